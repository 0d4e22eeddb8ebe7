"""Peer Window: per month of sharing, the shared tickets with a peer window, those colleagues solved
inside it, those escalated to the desk, and the desk time saved (the first-response budget left when
a colleague's answer was accepted inside the window: Helpdesk's Response By minus that moment)."""

import frappe
from frappe import _

from peer_support import host
from peer_support.core.peer_window import monthly
from peer_support.peer_support.doctype.peer_support_settings.peer_support_settings import get_settings
from peer_support.peer_support.report.peer_support_overview.peer_support_overview import by_ticket, date_range
from peer_support.services.peer_window import ESCALATED_ON, SHARED_ON, deadline_of, window_start


def execute(filters=None):
	filters = frappe._dict(filters or {})
	data = monthly(load(filters))
	return columns(), data, None, chart(data), summary(data)


def load(filters) -> list[dict]:
	"""Shared tickets whose window started in the range; the deadline by today's settings."""
	start, end = date_range(filters)
	Ticket = frappe.qb.DocType(host.TICKET)
	query = (
		frappe.qb.from_(Ticket)
		.select(
			Ticket.name,
			Ticket.creation,
			Ticket.ticket_type,
			Ticket.priority,
			Ticket[SHARED_ON],
			Ticket[host.RESPONSE_BY],
			Ticket.peer_accepted_on,
			Ticket[ESCALATED_ON],
		)
		.where(Ticket[SHARED_ON] >= start)
		.where(Ticket[SHARED_ON] < end)
	)
	settings = get_settings()
	return [
		{
			"shared_on": window_start(row),
			"deadline": deadline_of(row, settings),
			"response_by": row.get(host.RESPONSE_BY),
			"accepted_on": row.peer_accepted_on,
			"escalated_on": row.get(ESCALATED_ON),
		}
		for row in by_ticket(query, Ticket, filters).run(as_dict=True)
	]


def columns():
	def column(fieldname, label, fieldtype="Int", width=140):
		return {"fieldname": fieldname, "label": _(label), "fieldtype": fieldtype, "width": width}

	return [
		column("month", "Month", "Data", 90),
		column("with_window", "Shared with a Peer Window"),
		column("solved_inside", "Solved by Colleagues inside the Window", width=200),
		column("solved_inside_share", "Solved inside the Window %", "Percent"),
		column("escalated", "Escalated to the Desk"),
		column("desk_hours_saved", "Desk Hours Saved (First-Response Budget Not Used)", "Float", 220),
	]


def chart(data):
	return {
		"data": {
			"labels": [row["month"] for row in data],
			"datasets": [
				{"name": _("Solved inside the Window"), "values": [row["solved_inside"] for row in data]},
				{"name": _("Escalated to the Desk"), "values": [row["escalated"] for row in data]},
			],
		},
		"type": "bar",
	}


def summary(data):
	return [
		{
			"label": _("Solved inside the Window"),
			"value": sum(row["solved_inside"] for row in data),
			"datatype": "Int",
			"indicator": "Green",
		},
		{
			"label": _("Escalated to the Desk"),
			"value": sum(row["escalated"] for row in data),
			"datatype": "Int",
			"indicator": "Orange",
		},
		{
			"label": _("Desk Hours Saved"),
			"value": round(sum(row["desk_hours_saved"] for row in data), 2),
			"datatype": "Float",
		},
	]
