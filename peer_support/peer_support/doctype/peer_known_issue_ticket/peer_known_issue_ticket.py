# Copyright (c) 2026, peer_support developers
# For license information, please see license.txt

from frappe.model.document import Document


class PeerKnownIssueTicket(Document):
	"""A row of a known-issue notice; written with its notice, by the notice's methods."""
