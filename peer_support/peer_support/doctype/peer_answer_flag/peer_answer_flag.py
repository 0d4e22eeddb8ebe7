# Copyright (c) 2026, peer_support developers
# For license information, please see license.txt

from peer_support.services.write_path import AppWritten


class PeerAnswerFlag(AppWritten):
	# Written only through peer_support.api; the database keeps one row per pair (see setup.install.UNIQUE_KEYS).
	pass
