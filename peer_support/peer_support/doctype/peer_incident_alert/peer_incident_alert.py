# Copyright (c) 2026, peer_support developers
# For license information, please see license.txt
"""A possible incident the detection job found (services.incidents.detect); agents publish a
known-issue notice from it (`publish_notice`) or dismiss it (`dismiss`), POST only."""

import frappe
from frappe import _

from peer_support.services import access, incidents
from peer_support.services.write_path import AppWritten


class PeerIncidentAlert(AppWritten):
	@frappe.whitelist(methods=["POST"])
	def publish_notice(
		self, title: str | None = None, summary: str | None = None, workaround: str | None = None
	) -> dict:
		access.require_agent(_("Only the service desk's agents may publish a known issue."))
		doc = incidents.publish(title or self.subject, summary, workaround, alert=self.name)
		return {"name": doc.name, "route": f"/app/peer-known-issue/{doc.name}"}

	@frappe.whitelist(methods=["POST"])
	def dismiss(self) -> dict:
		access.require_agent(_("Only the service desk's agents may dismiss an alert."))
		incidents.dismiss(self.name)
		return {"name": self.name, "status": frappe.db.get_value(self.doctype, self.name, "status")}
