"""Helpdesk's ticket statuses, in both shapes this app supports.

Helpdesk v1.5 has fixed statuses (Open, Replied, Paused, Resolved, Closed). Current Helpdesk makes
`status` a link to HD Ticket Status records, each with a category (Open, Paused, Resolved) and a
reopen status in HD Settings or the ticket's SLA.
"""

import frappe

RESOLVED = "Resolved"
OPEN = "Open"
DONE_STATUSES = ("Resolved", "Closed")


def has_status_records() -> bool:
	return bool(frappe.db.exists("DocType", "HD Ticket Status"))


def resolved_status() -> str:
	if not has_status_records():
		return RESOLVED
	names = frappe.get_all("HD Ticket Status", filters={"category": RESOLVED}, pluck="name", order_by="creation asc")
	return RESOLVED if RESOLVED in names or not names else names[0]


def reopen_status(ticket) -> str:
	"""Where Helpdesk itself sends a reopened ticket: the SLA's or HD Settings' reopen status, else Open."""
	reopen = getattr(ticket, "ticket_reopen_status", None) if has_status_records() else None
	return reopen or OPEN


def is_done(ticket) -> bool:
	"""Resolved or closed, in Helpdesk's terms."""
	category = ticket.get("status_category")
	if category:
		return category == RESOLVED
	return ticket.get("status") in DONE_STATUSES


def became_done(ticket) -> bool:
	before = ticket.get_doc_before_save()
	return is_done(ticket) and bool(before) and not is_done(before)
