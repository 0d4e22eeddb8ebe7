"""Deflection Holdout: what suggestions on the Ask page really save.

Per month and topic, the share of Ask sessions that ended in a filed ticket for askers held out of
suggestions and for those who saw them, the difference with a 95% confidence interval (normal
approximation for two proportions, core.holdout), and that difference priced with the settings'
per-ticket costs. Self-reported "this solved it" clicks stay a separate column: they are what people
say, the difference is what they did.
"""

import frappe
from frappe import _

from peer_support.core.holdout import compare
from peer_support.peer_support.doctype.peer_support_settings.peer_support_settings import get_settings
from peer_support.peer_support.report.peer_support_overview.peer_support_overview import date_range
from peer_support.services.holdout import SESSION


def execute(filters=None):
	filters = frappe._dict(filters or {})
	settings = get_settings()
	data = compare(load(filters), settings.self_help_cost or 0, settings.desk_contact_cost or 0)
	return columns(), data, message(settings), None, summary(data)


def load(filters) -> list[dict]:
	start, end = date_range(filters)
	Session = frappe.qb.DocType(SESSION)
	rows = (
		frappe.qb.from_(Session)
		.select(Session.month, Session.topic, Session.holdout_group, Session.outcome)
		.where(Session.creation >= start)
		.where(Session.creation < end)
		.run(as_dict=True)
	)
	return [
		{"month": r.month, "topic": r.topic, "group": r.holdout_group, "outcome": r.outcome} for r in rows
	]


def message(settings) -> str:
	return _(
		"Held out: {0}% of askers, drawn per person and month. Difference: filing share without "
		"suggestions minus with them (positive: suggestions avoid tickets), 95% interval. Saving: the "
		"difference times the sessions with suggestions times ({1} per desk contact - {2} per self-help)."
	).format(settings.holdout_share, settings.desk_contact_cost, settings.self_help_cost)


def columns():
	def column(fieldname, label, fieldtype="Int", width=120):
		return {"fieldname": fieldname, "label": _(label), "fieldtype": fieldtype, "width": width}

	return [
		column("month", "Month", "Data", 90),
		column("topic", "Topic", "Data", 150),
		column("holdout_sessions", "Sessions without Suggestions", width=150),
		column("holdout_filed", "Filed without Suggestions", width=150),
		column("holdout_filed_share", "Filed without Suggestions %", "Percent", 150),
		column("suggested_sessions", "Sessions with Suggestions", width=150),
		column("suggested_filed", "Filed with Suggestions", width=150),
		column("suggested_filed_share", "Filed with Suggestions %", "Percent", 150),
		column("difference", "Difference (Points)", "Float"),
		column("difference_low", "95% CI Low", "Float"),
		column("difference_high", "95% CI High", "Float"),
		column("saving", "Saving (USD)", "Float"),
		column("saving_low", "Saving, CI Low (USD)", "Float", 140),
		column("saving_high", "Saving, CI High (USD)", "Float", 140),
		column("self_reported_deflections", 'Self-Reported "This Solved It"', width=170),
	]


def summary(data):
	return [
		{
			"label": _("Sessions without Suggestions"),
			"value": sum(r["holdout_sessions"] for r in data),
			"datatype": "Int",
		},
		{
			"label": _("Sessions with Suggestions"),
			"value": sum(r["suggested_sessions"] for r in data),
			"datatype": "Int",
		},
		{
			"label": _("Estimated Saving (USD)"),
			"value": round(sum(r["saving"] or 0 for r in data), 2),
			"datatype": "Float",
			"indicator": "Green",
		},
		{
			"label": _('Self-Reported "This Solved It"'),
			"value": sum(r["self_reported_deflections"] for r in data),
			"datatype": "Int",
		},
	]
