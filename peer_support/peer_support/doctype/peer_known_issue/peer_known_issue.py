# Copyright (c) 2026, peer_support developers
# For license information, please see license.txt
"""A known issue (an incident) the service desk tells colleagues about, and every change it goes through.

Published by an agent (`peer_support.api.incidents.publish`, or from an alert in Desk); then changed
only by its document methods, agents only, POST only, from the agent view, Desk or REST's
`run_doc_method`: `update_notice` (title, status, summary, workaround, topics, customers),
`link_tickets`, `unlink_ticket` and `resolve`. Resolving tells everyone affected, once
(services.incidents.after_save). Any other write is refused by `AppWritten`.
"""

import frappe
from frappe import _
from frappe.utils import now_datetime
from frappe.utils.html_utils import sanitize_html

from peer_support import host
from peer_support.core.incidents import RESOLVED
from peer_support.services import access, incidents
from peer_support.services.write_path import AppWritten, peer_writes


class PeerKnownIssue(AppWritten):
	def validate(self):
		super().validate()
		incidents.clean_status(self.status)
		if not (self.title or "").strip():
			frappe.throw(_("A known issue needs a title."), frappe.MandatoryError)
		tickets = [row.ticket for row in self.tickets]
		if len(tickets) != len(set(tickets)):
			frappe.throw(_("A ticket is linked once."), frappe.ValidationError)
		if self.status == RESOLVED and not self.resolved_on:
			self.resolved_on = now_datetime()
		elif self.status != RESOLVED:
			self.resolved_on = None

	def on_update(self):
		incidents.after_save(self)

	def apply(self) -> dict:
		with peer_writes():  # an agent's change, checked by the method that calls this
			self.save(ignore_permissions=True)
		return {
			"name": self.name,
			"status": self.status,
			"resolution_notified_on": self.resolution_notified_on,
		}

	@frappe.whitelist(methods=["POST"])
	def update_notice(
		self,
		title: str | None = None,
		status: str | None = None,
		summary: str | None = None,
		workaround: str | None = None,
		topics: str | list | None = None,
		customers: str | list | None = None,
	) -> dict:
		"""Change what the notice says (only the arguments given)."""
		access.require_agent(_("Only the service desk's agents may change a known issue."))
		if title is not None:
			self.title = title.strip()[: incidents.TITLE_LENGTH]
		if status is not None:
			self.status = incidents.clean_status(status)
		if summary is not None:
			self.summary = summary.strip()[:1000] or None
		if workaround is not None:
			self.workaround = sanitize_html(workaround, always_sanitize=True) or None
		if topics is not None:
			self.set(
				"topics", [{"topic": t} for t in incidents.checked("HD Ticket Type", topics, _("Topic"))]
			)
		if customers is not None:
			self.set(
				"customers",
				[{"customer": c} for c in incidents.checked("HD Customer", customers, _("Customer"))],
			)
		return self.apply()

	@frappe.whitelist(methods=["POST"])
	def link_tickets(self, tickets: str | list | None = None) -> dict:
		"""Link tickets (that the agent may read in Helpdesk) to this notice."""
		access.require_agent(_("Only the service desk's agents may link tickets to a known issue."))
		names = incidents.checked_tickets(tickets)
		if not names:
			frappe.throw(_("Which tickets? The argument 'tickets' is required."), frappe.MandatoryError)
		have = {row.ticket for row in self.tickets}
		added = [name for name in names if name not in have]
		for name in added:
			self.append("tickets", {"ticket": name, "linked_by": frappe.session.user})
		result = self.apply()
		for name in added:
			host.log_activity(
				name, _("linked this ticket to known issue {0}: {1}").format(self.name, self.title)
			)
		return result | {"linked": added, "tickets_count": len(self.tickets)}

	@frappe.whitelist(methods=["POST"])
	def unlink_ticket(self, ticket: str | None = None) -> dict:
		access.require_agent(_("Only the service desk's agents may unlink tickets from a known issue."))
		keep = [row for row in self.tickets if row.ticket != str(ticket)]
		if len(keep) == len(self.tickets):
			frappe.throw(
				_("Ticket {0} is not linked to this known issue.").format(ticket), frappe.ValidationError
			)
		self.set("tickets", keep)
		return self.apply() | {"tickets_count": len(self.tickets)}

	@frappe.whitelist(methods=["POST"])
	def resolve(self) -> dict:
		"""Resolved: everyone affected (subscribers, "I have this too" on linked tickets, their requesters)
		is told, once; resolving again (or saving a resolved notice) tells nobody again."""
		access.require_agent(_("Only the service desk's agents may resolve a known issue."))
		self.status = RESOLVED
		return self.apply()
