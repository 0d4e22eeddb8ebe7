"""Uninstall leaves Helpdesk working and intact; installing on a site with tickets leaves them untouched.

These tests commit and run bench commands in a subprocess, so the harness runs them last, alone
(`-m lifecycle`), on its throw-away site. They end with the app installed again.
"""

import os
import subprocess
import sys

import frappe
import pytest
from helpers import make_ticket

from peer_support.setup.install import INDEXES, OTHER_APPS_TABLES, SUBJECT_FULLTEXT, TICKET_FIELDS, index_name

pytestmark = pytest.mark.lifecycle

DATA_FIELDS = [f["fieldname"] for f in TICKET_FIELDS if f["fieldtype"] not in frappe.model.no_value_fields]


def bench(*args: str) -> str:
	"""Run a site command the way `bench --site SITE ...` does, in its own process."""
	site, sites_path = frappe.local.site, os.environ.get("PEER_SUPPORT_SITES_PATH", ".")
	frappe.db.commit()  # release our locks: uninstall alters HD Ticket
	proc = subprocess.run(
		[sys.executable, "-m", "frappe.utils.bench_helper", "frappe", "--site", site, *args],
		cwd=sites_path,
		capture_output=True,
		text=True,
		timeout=900,
	)
	assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
	# Start afresh, as a new request would: the installed apps and their hooks have changed.
	frappe.destroy()
	frappe.init(site=site, sites_path=sites_path)
	frappe.connect()
	frappe.clear_cache()
	frappe.flags.in_test = True
	frappe.set_user("Administrator")
	return proc.stdout


def indexes(doctype: str) -> dict[str, list[str]]:
	"""The table's indexes: name -> columns."""
	found: dict[str, list[str]] = {}
	for row in frappe.db.sql(f"SHOW INDEX FROM `tab{doctype}`", as_dict=True):
		found.setdefault(row.Key_name, []).append(row.Column_name)
	return found


def our_indexes(doctype: str, present: dict[str, list[str]]) -> set[str]:
	"""This app's indexes on the table; its FULLTEXT one only where Helpdesk has none of its own (v1.5).
	`present`: the table's indexes while the app is installed."""
	own_fulltext = {SUBJECT_FULLTEXT} if doctype == "HD Ticket" and SUBJECT_FULLTEXT in present else set()
	return {index_name(fields) for fields in INDEXES.get(doctype, [])} | own_fulltext


def snapshot(names: list[str]) -> list[dict]:
	fields = [
		"name",
		"subject",
		"status",
		"priority",
		"sla",
		"response_by",
		"resolution_by",
		"first_responded_on",
		"modified",
		"raised_by",
		"agent_group",
		"ticket_type",
	]
	return frappe.get_all("HD Ticket", filters={"name": ["in", names]}, fields=fields, order_by="name")


def test_uninstall_keeps_helpdesk_working_and_reinstall_keeps_tickets_untouched():
	shared = make_ticket("Shared before uninstall", priority="Low")
	shared.peer_visibility = "Community"
	shared.save()
	helpdesk_records = {
		doctype: frappe.db.count(doctype)
		for doctype in (
			"HD Ticket",
			"Communication",
			"HD Service Level Agreement",
			"HD Team",
			"HD Ticket Type",
		)
	}
	before = snapshot([shared.name])
	indexes_before = {doctype: indexes(doctype) for doctype in OTHER_APPS_TABLES}
	for doctype in OTHER_APPS_TABLES:
		assert our_indexes(doctype, indexes_before[doctype]) <= set(indexes_before[doctype]), doctype

	output = bench("uninstall-app", "peer_support", "--yes", "--no-backup")
	assert "peer_support: removing Peer Support fields" in output

	# only this app's additions are gone
	assert "peer_support" not in frappe.get_installed_apps()
	assert not frappe.db.exists("DocType", "Peer Support Settings")
	assert not frappe.db.exists("DocType", "Peer Answer")
	assert not frappe.db.table_exists("Peer Answer")
	assert not frappe.db.exists("Custom Field", {"dt": "HD Ticket", "fieldname": ["like", "peer_%"]})
	assert not frappe.get_all("HD Form Script", filters={"script": ["like", "%peer_support%"]})
	assert not set(DATA_FIELDS) & set(frappe.db.get_table_columns("HD Ticket"))
	# this app's indexes on Helpdesk's and Frappe's tables are gone; theirs are as they were
	for doctype in OTHER_APPS_TABLES:
		theirs = {
			name: columns
			for name, columns in indexes_before[doctype].items()
			if name not in our_indexes(doctype, indexes_before[doctype])
			and not set(columns) & set(DATA_FIELDS)
		}
		assert indexes(doctype) == theirs, doctype
	meta = frappe.get_meta("HD Ticket", cached=False)
	assert not [f.fieldname for f in meta.fields if f.fieldname.startswith("peer_")]
	# Helpdesk's records are all there, unchanged
	for doctype, count in helpdesk_records.items():
		assert frappe.db.count(doctype) == count, doctype
	assert snapshot([shared.name]) == before

	# Helpdesk alone still works: a ticket gets its SLA, an agent replies, the response is tracked
	ticket = make_ticket("Outlook asks for the password again", priority="Medium")
	ticket.reload()
	assert ticket.sla and ticket.response_by and ticket.resolution_by
	assert ticket.agreement_status == "First Response Due"
	frappe.db.set_single_value("HD Settings", "skip_email_workflow", 1)  # no mail server on a test site
	ticket.reply_via_agent("<p>Please re-enter it under File &gt; Account settings.</p>")
	ticket.reload()
	assert frappe.db.exists(
		"Communication",
		{"reference_doctype": "HD Ticket", "reference_name": ticket.name, "sent_or_received": "Sent"},
	)
	# the response is tracked (v1.5 also sets the status to Replied; v1.2x only where HD Settings say so)
	assert ticket.first_responded_on
	untouched = [ticket.name, make_ticket("Teams camera is black", priority="Low").name]
	frappe.db.commit()
	before = snapshot(untouched)

	output = bench("install-app", "peer_support")
	assert "peer_support: adding Peer Support fields" in output

	# existing tickets: untouched, and all start private
	assert snapshot(untouched) == before
	for name in untouched:
		assert frappe.db.get_value(
			"HD Ticket", name, ["peer_visibility", "peer_status", "peer_resolved"]
		) == ("Private", "None", 0)
	assert frappe.get_single("Peer Support Settings").enabled == 1
	for doctype in OTHER_APPS_TABLES:
		assert our_indexes(doctype, indexes_before[doctype]) <= set(indexes(doctype)), doctype
	assert frappe.get_single("Peer Support Settings").upvote_points == 10
	for marker in ("peer_support:agent-peer-answers", "peer_support:portal-community-link"):
		assert len(frappe.get_all("HD Form Script", filters={"script": ["like", f"%{marker}%"]})) == 1, marker


def test_recompute_command_finds_no_difference_and_corrects_a_tampered_total(people):
	from peer_support.services import reputation

	reputation.record(
		[reputation.Event(people.lottie, 10, "Upvote", "", people.mia)] * 10
	)  # reaches "Helpful"
	frappe.db.commit()
	output = bench("peer-support-recompute")
	assert "0 difference(s)" in output, output
	frappe.db.set_value("Peer Profile", people.lottie, "reputation", 999)
	frappe.db.delete(
		"Peer Profile Badge", {"parent": people.lottie, "badge": "helpful"}
	)  # as if never awarded
	frappe.db.commit()
	output = bench("peer-support-recompute")
	assert f"{people.lottie}: stored 999" in output and "1 difference(s)" in output
	assert "1 badge(s) the totals had reached were awarded." in output, output
	assert frappe.db.exists("Peer Profile Badge", {"parent": people.lottie, "badge": "helpful"})
	assert reputation.differences() == {}
