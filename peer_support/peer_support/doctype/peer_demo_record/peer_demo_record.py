# Copyright (c) 2026, peer_support developers
# For license information, please see license.txt

from frappe.model.document import Document


class PeerDemoRecord(Document):
	pass
