"""The Peer Support dashboard in Desk (charts and number cards), for agents and managers.

Made on install and migrate (idempotent), removed on uninstall. Charts and cards count this app's
doctypes and HD Ticket's peer fields with Frappe's own Dashboard Chart and Number Card.
"""

import json

import frappe

DASHBOARD = "Peer Support"
MODULE = "Peer Support"

CARDS = [
	{
		"label": "Tickets Resolved by Peers",
		"document_type": "HD Ticket",
		"filters": [["HD Ticket", "peer_resolved", "=", 1]],
		"color": "#137949",
	},
	{
		"label": "Shared with Colleagues",
		"document_type": "HD Ticket",
		"filters": [["HD Ticket", "peer_visibility", "=", "Community"]],
		"color": "#0289f7",
	},
	{"label": "Deflections", "document_type": "Peer Deflection", "filters": [], "color": "#6846e3"},
	{"label": "Peer Answers", "document_type": "Peer Answer", "filters": [], "color": "#525252"},
	{
		"label": "Articles under Review",
		"document_type": "Peer Article Review",
		"filters": [["Peer Article Review", "status", "=", "Under Review"]],
		"color": "#e79913",
	},
	{
		"label": "Answers Endorsed by IT",
		"document_type": "Peer Answer",
		"filters": [["Peer Answer", "endorsed_by", "is", "set"]],
		"color": "#005ca3",
	},
	{
		"label": "Answers Hidden by Moderation",
		"document_type": "Peer Answer",
		"filters": [["Peer Answer", "hidden", "=", 1]],
		"color": "#cc2929",
	},
]

CHARTS = [
	{
		"chart_name": "Peer Answers per Month",
		"chart_type": "Count",
		"document_type": "Peer Answer",
		"based_on": "creation",
		"timeseries": 1,
		"timespan": "Last Year",
		"time_interval": "Monthly",
		"type": "Bar",
		"filters": [],
	},
	{
		"chart_name": "Tickets Resolved by Peers per Month",
		"chart_type": "Count",
		"document_type": "HD Ticket",
		"based_on": "creation",
		"timeseries": 1,
		"timespan": "Last Year",
		"time_interval": "Monthly",
		"type": "Line",
		"filters": [["HD Ticket", "peer_resolved", "=", 1]],
	},
	{
		"chart_name": "Deflections per Month",
		"chart_type": "Count",
		"document_type": "Peer Deflection",
		"based_on": "creation",
		"timeseries": 1,
		"timespan": "Last Year",
		"time_interval": "Monthly",
		"type": "Bar",
		"filters": [],
	},
	{
		"chart_name": "Reputation Events by Topic",
		"chart_type": "Group By",
		"document_type": "Peer Reputation Event",
		"group_by_type": "Count",
		"group_by_based_on": "topic",
		"type": "Donut",
		"filters": [],
	},
]


def sync():
	for card in CARDS:
		upsert(
			"Number Card",
			card["label"],
			{
				"label": card["label"],
				"type": "Document Type",
				"document_type": card["document_type"],
				"function": "Count",
				"filters_json": json.dumps(card["filters"]),
				"is_public": 1,
				"show_percentage_stats": 1,
				"stats_time_interval": "Monthly",
				"color": card["color"],
				"module": MODULE,
			},
		)
	for chart in CHARTS:
		values = {key: value for key, value in chart.items() if key != "filters"}
		upsert(
			"Dashboard Chart",
			chart["chart_name"],
			{**values, "filters_json": json.dumps(chart["filters"]), "is_public": 1, "module": MODULE},
		)
	upsert(
		"Dashboard",
		DASHBOARD,
		{
			"dashboard_name": DASHBOARD,
			"module": MODULE,
			"cards": [{"card": card["label"]} for card in CARDS],
			"charts": [{"chart": chart["chart_name"], "width": "Half"} for chart in CHARTS],
		},
	)


def upsert(doctype: str, name: str, values: dict) -> None:
	doc = frappe.get_doc(doctype, name) if frappe.db.exists(doctype, name) else frappe.new_doc(doctype)
	doc.update(values)
	# Installed from the CLI (install/migrate); these records are this app's own.
	doc.save(ignore_permissions=True)


def remove():
	if frappe.db.exists("Dashboard", DASHBOARD):
		frappe.delete_doc("Dashboard", DASHBOARD, ignore_permissions=True, force=True)
	for chart in CHARTS:
		if frappe.db.exists("Dashboard Chart", chart["chart_name"]):
			frappe.delete_doc("Dashboard Chart", chart["chart_name"], ignore_permissions=True, force=True)
	for card in CARDS:
		if frappe.db.exists("Number Card", card["label"]):
			frappe.delete_doc("Number Card", card["label"], ignore_permissions=True, force=True)
