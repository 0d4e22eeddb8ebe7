# Copyright (c) 2026, peer_support developers
# For license information, please see license.txt

from frappe.model.document import Document


class PeerAnswerVote(Document):
	# Written only through peer_support.api; the database keeps one row per pair (see setup.install.UNIQUE_KEYS).
	pass
