# Copyright (c) 2026, peer_support developers
# For license information, please see license.txt

from peer_support.services.write_path import AppWritten


class PeerKnownIssueSubscriber(AppWritten):
	"""\"Me too\" on a known-issue notice: written by the community page's subscribe (services.incidents)."""
