# Copyright (c) 2026, peer_support developers
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from peer_support.services.write_path import inside, refuse


class PeerReputationEvent(Document):
	"""Append-only: a mistake is corrected by a compensating event, so totals always equal the sum."""

	def validate(self):
		if not inside():
			refuse(self.doctype)
		if not self.is_new():
			frappe.throw(
				_("Reputation events are never changed; a compensating event corrects them."),
				frappe.PermissionError,
			)

	def before_rename(self, old, new, merge=False):
		refuse(self.doctype)

	def on_trash(self):
		if not frappe.flags.peer_support_erasing_user:
			frappe.throw(
				_("Reputation events are never deleted; a compensating event corrects them."),
				frappe.PermissionError,
			)
