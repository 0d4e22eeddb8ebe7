"""Peer Support Top Contributors: who helped most in the period, from the reputation ledger."""

import frappe
from frappe import _
from frappe.query_builder.functions import Count, Sum

from peer_support.peer_support.report.peer_support_overview.peer_support_overview import by_ticket, date_range

COUNTED = {
	"Accepted": "accepted",
	"Accept Withdrawn": "accepted",
	"Endorsed": "endorsed",
	"Endorsement Withdrawn": "endorsed",
}


def execute(filters=None):
	filters = frappe._dict(filters or {})
	start, end = date_range(filters)
	Ledger = frappe.qb.DocType("Peer Reputation Event")
	Ticket = frappe.qb.DocType("HD Ticket")
	Answer = frappe.qb.DocType("Peer Answer")
	query = (
		frappe.qb.from_(Ledger)
		.left_join(Ticket)
		.on(Ledger.ticket == Ticket.name)
		.select(Ledger.user, Ledger.reason, Sum(Ledger.points).as_("points"), Count("*").as_("events"))
		.where(Ledger.creation >= start)
		.where(Ledger.creation < end)
		.groupby(Ledger.user, Ledger.reason)
	)
	answers = (
		frappe.qb.from_(Answer)
		.join(Ticket)
		.on(Answer.ticket == Ticket.name)
		.select(Answer.author, Count("*"))
		.where(Answer.creation >= start)
		.where(Answer.creation < end)
		.groupby(Answer.author)
	)
	answers = by_ticket(answers, Ticket, filters)
	if filters.team:
		query = query.where(Ticket.agent_group == filters.team)
	if filters.ticket_type:
		query = query.where(Ledger.topic == filters.ticket_type)  # the topic the event was earned in
	people: dict[str, dict] = {}
	for row in query.run(as_dict=True):
		person = people.setdefault(
			row.user, {"user": row.user, "points": 0, "answers": 0, "accepted": 0, "endorsed": 0}
		)
		person["points"] += int(row.points or 0)
		if row.reason in COUNTED:
			person[COUNTED[row.reason]] += row.events if "Withdrawn" not in row.reason else -row.events
	for author, count in answers.run():
		people.setdefault(author, {"user": author, "points": 0, "answers": 0, "accepted": 0, "endorsed": 0})[
			"answers"
		] = count
	names = (
		dict(
			frappe.get_all(
				"User", filters={"name": ["in", list(people)]}, fields=["name", "full_name"], as_list=True
			)
		)
		if people
		else {}
	)
	data = sorted(people.values(), key=lambda p: (-p["points"], -p["answers"], p["user"]))
	for person in data:
		person["full_name"] = names.get(person["user"]) or person["user"]
	return columns(), data[:100]


def columns():
	return [
		{"fieldname": "full_name", "label": _("Colleague"), "fieldtype": "Data", "width": 180},
		{"fieldname": "user", "label": _("User"), "fieldtype": "Link", "options": "User", "width": 200},
		{"fieldname": "points", "label": _("Points"), "fieldtype": "Int", "width": 90},
		{"fieldname": "answers", "label": _("Answers"), "fieldtype": "Int", "width": 90},
		{"fieldname": "accepted", "label": _("Accepted"), "fieldtype": "Int", "width": 90},
		{"fieldname": "endorsed", "label": _("Endorsed"), "fieldtype": "Int", "width": 90},
	]
