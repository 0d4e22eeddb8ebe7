# Copyright (c) 2026, peer_support developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class PeerReputationEvent(Document):
	"""Append-only: a mistake is corrected by a compensating event, so totals always equal the sum."""

	def validate(self):
		if not self.is_new():
			frappe.throw(_("Reputation events are never changed; a compensating event corrects them."),
			             frappe.PermissionError)

	def on_trash(self):
		if not frappe.flags.peer_support_erasing_user:
			frappe.throw(_("Reputation events are never deleted; a compensating event corrects them."),
			             frappe.PermissionError)
