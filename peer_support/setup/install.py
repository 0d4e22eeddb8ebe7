"""Install, migrate and uninstall: what this app adds to a Helpdesk site, and takes away again.

Everything here is idempotent, so `bench migrate` may run it again.
"""

import click
import frappe
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

MODULE = "Peer Support"
TICKET = "HD Ticket"

# Fields this app adds to HD Ticket, on a tab of their own after Helpdesk's last field.
# `feedback_extra` is the last field of HD Ticket in Helpdesk v1.5 and in current main.
TICKET_FIELDS = [
	{"fieldname": "peer_support_tab", "fieldtype": "Tab Break", "label": "Peer Support", "insert_after": "feedback_extra"},
	{
		"fieldname": "peer_visibility",
		"fieldtype": "Select",
		"label": "Community Visibility",
		"options": "Private\nCommunity",
		"default": "Private",
		"in_standard_filter": 1,
		"search_index": 1,
		"no_copy": 1,
		"insert_after": "peer_support_tab",
		"description": "Community: colleagues may read and answer this ticket on the community page. Peer Support Settings decide which tickets may ever be shared.",
	},
	{
		"fieldname": "peer_status",
		"fieldtype": "Select",
		"label": "Peer Status",
		"options": "None\nAnswered\nAccepted",
		"default": "None",
		"read_only": 1,
		"no_copy": 1,
		"insert_after": "peer_visibility",
	},
	{
		"fieldname": "peer_affected_count",
		"fieldtype": "Int",
		"label": "Affected Colleagues",
		"default": "0",
		"read_only": 1,
		"no_copy": 1,
		"insert_after": "peer_status",
	},
	{"fieldname": "peer_column_break", "fieldtype": "Column Break", "insert_after": "peer_affected_count"},
	{
		"fieldname": "peer_accepted_answer",
		"fieldtype": "Link",
		"label": "Accepted Peer Answer",
		"options": "Peer Answer",
		"read_only": 1,
		"no_copy": 1,
		"insert_after": "peer_column_break",
	},
	{
		"fieldname": "peer_resolved",
		"fieldtype": "Check",
		"label": "Resolved by Peer",
		"default": "0",
		"read_only": 1,
		"no_copy": 1,
		"insert_after": "peer_accepted_answer",
	},
]

DEFAULT_EXCLUDED_PRIORITIES = ("Urgent",)


def custom_fields() -> dict[str, list[dict]]:
	return {TICKET: [dict(field, module=MODULE) for field in TICKET_FIELDS]}


def after_install():
	click.echo("peer_support: adding Peer Support fields to HD Ticket")
	create_custom_fields(custom_fields(), update=True)
	set_default_settings()


def after_migrate():
	create_custom_fields(custom_fields(), update=True)


def set_default_settings():
	"""Sensible defaults: on, private unless shared (and private for colleagues through Helpdesk too),
	colleagues of the same customer, urgent tickets never shared."""
	settings = frappe.get_single("Peer Support Settings")
	settings.enabled = 1
	settings.default_visibility = "Private"
	settings.audience = "Same Customer"
	settings.private_tickets_stay_private = 1
	if not settings.excluded_priorities:
		for priority in DEFAULT_EXCLUDED_PRIORITIES:
			if frappe.db.exists("HD Ticket Priority", priority):
				settings.append("excluded_priorities", {"priority": priority})
	settings.save()


def before_uninstall():
	"""Remove what this app added to Helpdesk's doctypes; Helpdesk's own records stay as they are.

	The app's own doctypes (and their tables) are removed by Frappe's uninstall afterwards.
	"""
	click.echo("peer_support: removing Peer Support fields from HD Ticket")
	for field in TICKET_FIELDS:
		name = frappe.db.get_value("Custom Field", {"dt": TICKET, "fieldname": field["fieldname"]})
		if name:
			# uninstall runs from the CLI as Administrator; the fields are this app's own
			frappe.delete_doc("Custom Field", name, ignore_permissions=True, force=True)
	drop_ticket_columns()
	frappe.clear_cache(doctype=TICKET)


def drop_ticket_columns():
	"""Frappe keeps a deleted custom field's column; this app's columns go, so HD Ticket is as before."""
	existing = set(frappe.db.get_table_columns(TICKET))
	data_fields = [f["fieldname"] for f in TICKET_FIELDS if f["fieldtype"] not in ("Tab Break", "Column Break")]
	for fieldname in data_fields:
		if fieldname in existing:
			# Fieldnames come from TICKET_FIELDS above, never from input.
			frappe.db.sql_ddl(f"ALTER TABLE `tabHD Ticket` DROP COLUMN `{fieldname}`")
