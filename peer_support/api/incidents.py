"""Known-issue notices and incident alerts: what colleagues read and subscribe to, what agents publish.

Colleagues: `notices` (the live notices of their audience, for the feed), `notice` (one, with its
workaround), `subscribe` ("me too", from the Ask page a deflection). Agents: `publish`, `update`,
`link`, `resolve` (the notice's document methods, also reached by Desk and REST's run_doc_method),
`alerts`, `dismiss`, `for_ticket` (the agent view). Each checks who asks first; a notice a portal user
may not read is a 404.
"""

import frappe
from frappe import _

from peer_support.services import access, incidents


def notice_doc(name: str | None):
	access.require_agent(_("Only the service desk's agents may change a known issue."))
	if not name or not frappe.db.exists(incidents.NOTICE, name):
		frappe.throw(_("Known issue {0} not found").format(frappe.bold(name)), frappe.DoesNotExistError)
	return frappe.get_doc(incidents.NOTICE, name)


@frappe.whitelist()
def notices() -> list[dict]:
	"""The live known issues the caller's audience covers, newest first (the community feed)."""
	me = access.require_login()
	return incidents.project(incidents.active_notices(me), me)


@frappe.whitelist()
def notice(name: str | None = None) -> dict:
	"""One known issue (live or resolved) the caller may read."""
	me = access.require_login()
	return incidents.project([incidents.get_readable(name, me)], me)[0]


@frappe.whitelist(methods=["POST"])
def subscribe(
	notice: str | None = None,
	subscribe: bool = True,
	session: str | None = None,
	query: str | None = None,
) -> dict:
	"""\"Me too: subscribe\": told when it is resolved; from the Ask page (its session), nothing is
	filed and the visit counts as a deflection."""
	me = access.require_login()
	return incidents.subscribe(notice, me, bool(subscribe), session=session, query=query)


@frappe.whitelist(methods=["POST"])
def publish(
	title: str | None = None,
	summary: str | None = None,
	workaround: str | None = None,
	status: str | None = None,
	topics: str | list | None = None,
	customers: str | list | None = None,
	tickets: str | list | None = None,
	alert: str | None = None,
) -> dict:
	"""Publish a known-issue notice (agents): on the feed and the Ask page, and to its topics' followers."""
	access.require_agent(_("Only the service desk's agents may publish a known issue."))
	doc = incidents.publish(
		title or "",
		summary,
		workaround,
		status,
		topics,
		None if customers is None else customers,
		tickets,
		alert,
	)
	return {
		"name": doc.name,
		"route": incidents.notice_route(doc.name),
		"desk_route": f"/app/peer-known-issue/{doc.name}",
	}


@frappe.whitelist(methods=["POST"])
def update(
	notice: str | None = None,
	title: str | None = None,
	status: str | None = None,
	summary: str | None = None,
	workaround: str | None = None,
	topics: str | list | None = None,
	customers: str | list | None = None,
) -> dict:
	return notice_doc(notice).update_notice(title, status, summary, workaround, topics, customers)


@frappe.whitelist(methods=["POST"])
def link(notice: str | None = None, tickets: str | list | None = None) -> dict:
	return notice_doc(notice).link_tickets(tickets)


@frappe.whitelist(methods=["POST"])
def unlink(notice: str | None = None, ticket: str | None = None) -> dict:
	return notice_doc(notice).unlink_ticket(ticket)


@frappe.whitelist(methods=["POST"])
def resolve(notice: str | None = None) -> dict:
	"""Resolved: everyone affected is told, once."""
	return notice_doc(notice).resolve()


@frappe.whitelist()
def alerts() -> list[dict]:
	"""Open possible-incident alerts, newest first (agents)."""
	access.require_agent()
	return [dict(row, alerted_on=str(row.alerted_on)) for row in incidents.open_alerts()]


@frappe.whitelist(methods=["POST"])
def dismiss(alert: str | None = None) -> dict:
	access.require_agent(_("Only the service desk's agents may dismiss an alert."))
	if not alert or not frappe.db.exists(incidents.ALERT, alert):
		frappe.throw(_("Alert {0} not found").format(frappe.bold(alert)), frappe.DoesNotExistError)
	return frappe.get_doc(incidents.ALERT, alert).dismiss()


@frappe.whitelist()
def for_ticket(ticket: str | int | None = None) -> dict:
	"""The agent view of one ticket: its known issues, the open alerts it is part of, the live notices."""
	access.require_agent()
	if ticket in (None, ""):
		frappe.throw(_("Which ticket? The argument 'ticket' is required."), frappe.MandatoryError)
	if not frappe.db.exists("HD Ticket", ticket) or not frappe.has_permission(
		"HD Ticket", "read", doc=str(ticket)
	):
		access.not_found(_("Ticket"), ticket)
	return incidents.for_ticket(str(ticket))
