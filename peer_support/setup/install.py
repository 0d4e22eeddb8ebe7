"""Install, migrate and uninstall: what this app adds to a Helpdesk site, and takes away again.

Everything here is idempotent, so `bench migrate` may run it again.
"""

import click
import frappe
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

from peer_support import host
from peer_support.services import search_index
from peer_support.setup import dashboard

MODULE = "Peer Support"
TICKET = "HD Ticket"

# Fields this app adds to HD Ticket, on a tab of their own after Helpdesk's last field.
# `feedback_extra` is the last field of HD Ticket in Helpdesk v1.5 and in current main.
TICKET_FIELDS = [
	{
		"fieldname": "peer_support_tab",
		"fieldtype": "Tab Break",
		"label": "Peer Support",
		"insert_after": "feedback_extra",
	},
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
	{
		"fieldname": "peer_shared_on",
		"fieldtype": "Datetime",
		"label": "Shared with Colleagues On",
		"read_only": 1,
		"no_copy": 1,
		"insert_after": "peer_resolved",
		"description": "The peer window starts here.",
	},
	{
		"fieldname": "peer_accepted_on",
		"fieldtype": "Datetime",
		"label": "Peer Answer Accepted On",
		"read_only": 1,
		"no_copy": 1,
		"insert_after": "peer_shared_on",
	},
	{
		"fieldname": "peer_escalated_on",
		"fieldtype": "Datetime",
		"label": "Escalated after the Peer Window On",
		"read_only": 1,
		"no_copy": 1,
		"insert_after": "peer_accepted_on",
		"description": "Colleagues had a share of the first-response budget and did not solve the ticket; its agents were told. Helpdesk's SLA is not changed.",
	},
	{
		"fieldname": "peer_answers_section",
		"fieldtype": "Section Break",
		"label": "Peer Answers",
		"insert_after": "peer_escalated_on",
	},
	{
		"fieldname": "peer_answers_html",
		"fieldtype": "HTML",
		"label": "Peer Answers",
		"insert_after": "peer_answers_section",
	},
]

# Enforced by the database (not only by the API's checks): concurrent requests of one user cannot
# vote, flag or say "I have this too" twice, and a badge is awarded once.
UNIQUE_KEYS = {
	"Peer Answer Vote": ("answer", "voter"),
	"Peer Answer Flag": ("answer", "flagged_by"),
	"Peer Ticket Affected": ("ticket", "user"),
	"Peer Profile Badge": ("parent", "badge", "topic"),
	"Peer Ticket Follower": ("ticket", "user"),
	"Peer Known Issue Subscriber": ("notice", "user"),
}

# Indexes for the hot reads: the daily vote cap, leaderboards ordered by points; on Helpdesk's HD
# Ticket the community feed (community tickets newest first) and solved questions; on Frappe's Contact
# the contact of a user (services.access.customers_of looks it up by user or e-mail on every request).
INDEXES = {
	"Peer Reputation Event": [("user", "event_date")],
	"Peer Reputation Period": [("period", "period_start", "topic", "points")],
	"Peer Profile": [("involvement",)],
	# the feed's answer counts of a page of tickets, read from the index alone
	"Peer Answer": [("ticket", "hidden")],
	# (and `creation` alone: the incident detection job reads the window's new tickets)
	"HD Ticket": [
		("peer_visibility", "creation"),
		# a small customer's feed: its tickets and the reader's own, merged (MariaDB's index_merge
		# sort_union) instead of reading the whole community in order to find a page of them
		("peer_visibility", "customer", "creation"),
		("peer_visibility", "raised_by", "creation"),
		("peer_visibility", "peer_status", "creation"),
		("creation",),
	],
	"Contact": [("user",)],
}
# Tables of other apps: this app's indexes on them are dropped again before uninstall.
OTHER_APPS_TABLES = ("HD Ticket", "Contact")

# Earlier versions searched ticket subjects through a FULLTEXT index of their own on HD Ticket (where
# Helpdesk had none); migrate and uninstall drop it. Suggestions now read services.search_index.
SUBJECT_FULLTEXT = host.OWN_SUBJECT_FULLTEXT

# Helpdesk's own way to add actions to its ticket pages: HD Form Scripts, one for agents (the peer
# answers with moderation) and one for the customer portal (a link to the community page).
FORM_SCRIPTS = {
	"peer_support:agent-peer-answers": ("agent_peer_answers.js", 0),
	"peer_support:portal-community-link": ("portal_community_link.js", 1),
}

DEFAULT_EXCLUDED_PRIORITIES = ("Urgent",)


def custom_fields() -> dict[str, list[dict]]:
	return {TICKET: [dict(field, module=MODULE) for field in TICKET_FIELDS]}


def after_install():
	click.echo("peer_support: adding Peer Support fields to HD Ticket")
	host.forget()
	create_custom_fields(custom_fields(), update=True)
	add_unique_keys()
	search_index.ensure_fulltext()
	sync_form_script()
	set_default_settings()
	search_index.queue_rebuild()
	dashboard.sync()


def after_migrate():
	create_custom_fields(custom_fields(), update=True)
	add_unique_keys()
	# Suggestions read the suggestion index now, not HD Ticket's subject: an older install's own index goes.
	host.drop_own_subject_fulltext()
	search_index.ensure_fulltext()
	sync_form_script()
	fill_setting_defaults()
	if not frappe.db.exists(search_index.ENTRY, {"active": 1}):
		search_index.queue_rebuild()
	dashboard.sync()


def fill_setting_defaults():
	"""Settings added by a newer version start at their defaults (Frappe leaves a single's new fields empty)."""
	Singles = frappe.qb.DocType("Singles")
	doctype = "Peer Support Settings"
	present = set(
		frappe.qb.from_(Singles).select(Singles.field).where(Singles.doctype == doctype).run(pluck=True)
	)
	for df in frappe.get_meta(doctype).fields:
		if (
			df.default is not None
			and df.fieldname not in present
			and df.fieldtype not in frappe.model.table_fields
		):
			frappe.db.set_single_value(doctype, df.fieldname, df.default)


def add_unique_keys():
	for doctype, fields in UNIQUE_KEYS.items():
		frappe.db.add_unique(doctype, list(fields), constraint_name="unique_" + "_".join(fields))
	for doctype, indexes in INDEXES.items():
		for fields in indexes:
			frappe.db.add_index(doctype, list(fields), index_name=index_name(fields))


def index_name(fields) -> str:
	return "idx_" + "_".join(fields)


def drop_other_apps_indexes():
	"""This app's indexes on Helpdesk's and Frappe's tables go, before its columns do (a dropped column
	would leave a composite index behind, narrowed to its other columns); their own indexes stay."""
	for doctype in OTHER_APPS_TABLES:
		if doctype == TICKET:
			host.drop_own_subject_fulltext()
		for name in [index_name(fields) for fields in INDEXES.get(doctype, [])]:
			if frappe.db.has_index(f"tab{doctype}", name):
				# Index names are this module's constants, never input.
				frappe.db.sql_ddl(f"ALTER TABLE `tab{doctype}` DROP INDEX `{name}`")


def form_script_name(marker: str) -> str | None:
	names = frappe.get_all(
		"HD Form Script", filters={"dt": TICKET, "script": ["like", f"%{marker}%"]}, pluck="name"
	)
	return names[0] if names else None


def sync_form_script():
	for marker, (filename, customer_portal) in FORM_SCRIPTS.items():
		script = open(frappe.get_app_path("peer_support", "public", "js", filename)).read()
		name = form_script_name(marker)
		doc = frappe.get_doc("HD Form Script", name) if name else frappe.new_doc("HD Form Script")
		doc.update(
			{
				"dt": TICKET,
				"apply_to": "Form",
				"enabled": 1,
				"apply_to_customer_portal": customer_portal,
				"script": script,
			}
		)
		if doc.is_new() and doc.meta.autoname == "prompt":
			doc.name = "Peer Support: " + marker.split(":")[1].replace("-", " ").title()
		# Installed from the CLI; HD Form Script is a System Manager doctype.
		doc.save(ignore_permissions=True)


def set_default_settings():
	"""Sensible defaults: on, private unless shared (and private for colleagues through Helpdesk too),
	colleagues of the same customer, urgent tickets never shared."""
	fill_setting_defaults()
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
	drop_other_apps_indexes()
	drop_ticket_columns()
	dashboard.remove()
	for marker in FORM_SCRIPTS:
		if name := form_script_name(marker):
			frappe.delete_doc("HD Form Script", name, ignore_permissions=True, force=True)
	frappe.clear_cache(doctype=TICKET)


def drop_ticket_columns():
	"""Frappe keeps a deleted custom field's column; this app's columns go, so HD Ticket is as before."""
	existing = set(frappe.db.get_table_columns(TICKET))
	data_fields = [
		f["fieldname"] for f in TICKET_FIELDS if f["fieldtype"] not in frappe.model.no_value_fields
	]
	for fieldname in data_fields:
		if fieldname in existing:
			# Fieldnames come from TICKET_FIELDS above, never from input.
			frappe.db.sql_ddl(f"ALTER TABLE `tabHD Ticket` DROP COLUMN `{fieldname}`")
