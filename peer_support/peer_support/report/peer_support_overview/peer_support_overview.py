"""Peer Support Overview: tickets, sharing, peer resolutions, deflections, time to first peer answer
versus Helpdesk's own first response (its SLA field), moderation; per month and topic."""

import frappe
from frappe import _
from frappe.query_builder.functions import Min
from frappe.utils import add_days, getdate

from peer_support.core.metrics import overview, totals


def execute(filters=None):
	filters = frappe._dict(filters or {})
	data = overview(*load(filters))
	return columns(), data, None, chart(data), summary(data)


def date_range(filters) -> tuple:
	start = getdate(filters.from_date or add_days(getdate(), -180))
	end = getdate(filters.to_date or getdate())
	if end < start:
		frappe.throw(_("The end date is before the start date."))
	return start, add_days(end, 1)  # up to the end of the last day


def by_ticket(query, Ticket, filters):
	"""The report filters that apply through the ticket: its team and type."""
	if filters.team:
		query = query.where(Ticket.agent_group == filters.team)
	if filters.ticket_type:
		query = query.where(Ticket.ticket_type == filters.ticket_type)
	return query


def load(filters):
	start, end = date_range(filters)
	Ticket = frappe.qb.DocType("HD Ticket")
	Answer = frappe.qb.DocType("Peer Answer")
	Deflection = frappe.qb.DocType("Peer Deflection")
	query = (
		frappe.qb.from_(Ticket)
		.select(
			Ticket.name,
			Ticket.creation,
			Ticket.ticket_type,
			Ticket.peer_visibility,
			Ticket.peer_resolved,
			Ticket.first_responded_on,
		)
		.where(Ticket.creation >= start)
		.where(Ticket.creation < end)
	)
	rows = by_ticket(query, Ticket, filters).run(as_dict=True)
	names = [row.name for row in rows]
	first_answers = (
		dict(
			frappe.qb.from_(Answer)
			.select(Answer.ticket, Min(Answer.creation))
			.where(Answer.ticket.isin(names))
			.groupby(Answer.ticket)
			.run()
		)
		if names
		else {}
	)
	tickets = [
		{
			"name": str(r.name),
			"created": r.creation,
			"topic": r.ticket_type,
			"shared": r.peer_visibility == "Community",
			"peer_resolved": bool(r.peer_resolved),
			"first_responded_on": r.first_responded_on,
		}
		for r in rows
	]
	# HD Ticket names are integers; Peer Answer.ticket stores them as text.
	first_peer = {str(ticket): created for ticket, created in first_answers.items()}

	answer_query = (
		frappe.qb.from_(Answer)
		.join(Ticket)
		.on(Answer.ticket == Ticket.name)
		.select(Answer.creation, Ticket.ticket_type, Answer.endorsed_by, Answer.hidden)
		.where(Answer.creation >= start)
		.where(Answer.creation < end)
	)
	deflection_query = (
		frappe.qb.from_(Deflection)
		.left_join(Ticket)
		.on(Deflection.ticket == Ticket.name)
		.select(Deflection.creation, Ticket.ticket_type)
		.where(Deflection.creation >= start)
		.where(Deflection.creation < end)
	)
	answer_query, deflection_query = (by_ticket(q, Ticket, filters) for q in (answer_query, deflection_query))
	answers = [
		{
			"created": r.creation,
			"topic": r.ticket_type,
			"endorsed": bool(r.endorsed_by),
			"hidden": bool(r.hidden),
		}
		for r in answer_query.run(as_dict=True)
	]
	deflections = [
		{"created": r.creation, "topic": r.ticket_type} for r in deflection_query.run(as_dict=True)
	]
	return tickets, first_peer, deflections, answers


def columns():
	def column(fieldname, label, fieldtype="Int", width=110):
		return {"fieldname": fieldname, "label": _(label), "fieldtype": fieldtype, "width": width}

	return [
		column("month", "Month", "Data", 90),
		column("topic", "Topic", "Data", 150),
		column("tickets", "Tickets"),
		column("shared", "Shared with Colleagues"),
		column("peer_resolved", "Resolved by Peers"),
		column("peer_resolved_share", "Resolved by Peers %", "Percent"),
		column("deflections", "Deflections"),
		column("median_hours_to_peer_answer", "Median Hours to First Peer Answer", "Float", 150),
		column("median_hours_to_agent_response", "Median Hours to First Agent Response", "Float", 150),
		column("endorsed", "Answers Endorsed"),
		column("hidden", "Answers Hidden"),
	]


def chart(data):
	months = sorted({row["month"] for row in data})
	by_month = {month: [row for row in data if row["month"] == month] for month in months}
	return {
		"data": {
			"labels": months,
			"datasets": [
				{"name": _("Tickets"), "values": [sum(r["tickets"] for r in by_month[m]) for m in months]},
				{
					"name": _("Resolved by Peers"),
					"values": [sum(r["peer_resolved"] for r in by_month[m]) for m in months],
				},
				{
					"name": _("Deflections"),
					"values": [sum(r["deflections"] for r in by_month[m]) for m in months],
				},
			],
		},
		"type": "bar",
	}


def summary(data):
	total = totals(data)
	return [
		{"label": _("Tickets"), "value": total["tickets"], "datatype": "Int"},
		{
			"label": _("Resolved by Peers"),
			"value": total["peer_resolved"],
			"datatype": "Int",
			"indicator": "Green",
		},
		{"label": _("Resolved by Peers %"), "value": total["peer_resolved_share"], "datatype": "Percent"},
		{"label": _("Deflections"), "value": total["deflections"], "datatype": "Int", "indicator": "Blue"},
		{"label": _("Answers Endorsed"), "value": total["endorsed"], "datatype": "Int"},
		{"label": _("Answers Hidden"), "value": total["hidden"], "datatype": "Int", "indicator": "Red"},
	]
