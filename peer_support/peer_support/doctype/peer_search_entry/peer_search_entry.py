# Copyright (c) 2026, peer_support developers
# For license information, please see license.txt

from peer_support.services.write_path import AppWritten


class PeerSearchEntry(AppWritten):
	"""One solved question or published article in the suggestion index (services.search_index)."""
