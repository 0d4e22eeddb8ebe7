"""Data safety: a backup restores into a new site with the community's records intact, and Frappe's
personal data deletion anonymises a person's answers, votes and ledger without breaking the totals.

The backup test commits and runs bench commands in a subprocess (a new site is made from the backup
and dropped again), so, like test_lifecycle, this module runs in the harness's lifecycle pass.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import frappe
import pytest
from helpers import as_user, make_customer, make_ticket, make_user, shared_ticket

from peer_support.api import answers, community, knowledge, tickets
from peer_support.services import reputation

pytestmark = pytest.mark.lifecycle

PEER_TABLES = (
	"Peer Answer",
	"Peer Answer Vote",
	"Peer Answer Flag",
	"Peer Ticket Affected",
	"Peer Ticket Follower",
	"Peer Reputation Event",
	"Peer Reputation Period",
	"Peer Profile",
	"Peer Profile Badge",
	"Peer Profile Topic",
	"Peer Deflection",
)
TICKET_PEER_FIELDS = [
	"peer_visibility",
	"peer_status",
	"peer_affected_count",
	"peer_accepted_answer",
	"peer_resolved",
]
FEEDBACK = "Clear guidance given"


def frappe_command(*args: str, site: str | None = None) -> str:
	"""`bench [--site SITE] ...` in its own process, as the harness runs it; an empty MariaDB root
	password (PEER_SUPPORT_DB_ROOT_PASSWORD) on stdin for the commands that ask for one."""
	frappe.db.commit()  # the subprocess must see what this test wrote
	proc = subprocess.run(
		[
			sys.executable,
			"-m",
			"frappe.utils.bench_helper",
			"frappe",
			*(["--site", site] if site else []),
			*args,
		],
		cwd=os.environ.get("PEER_SUPPORT_SITES_PATH", "."),
		input=os.environ.get("PEER_SUPPORT_DB_ROOT_PASSWORD", "") + "\n",
		capture_output=True,
		text=True,
		timeout=900,
		start_new_session=True,  # no controlling terminal: the password prompt reads stdin
	)
	assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
	return proc.stdout


def read_on(site: str, doctype: str, filters: dict, fields: list[str]) -> list[dict]:
	"""Rows of another site, read there by `bench execute` (sorted by name, values as JSON gives them)."""
	kwargs = json.dumps(
		{
			"doctype": doctype,
			"filters": filters,
			"fields": fields,
			"order_by": "name asc",
			"limit_page_length": 0,
		}
	)
	output = frappe_command("execute", "frappe.get_all", "--kwargs", kwargs, site=site)
	return json.loads(output.strip().splitlines()[-1])


def rows_here(doctype: str, filters: dict, fields: list[str]) -> list[dict]:
	return json.loads(
		frappe.as_json(frappe.get_all(doctype, filters=filters, fields=fields, order_by="name asc"))
	)


@pytest.fixture
def community_story(people):
	"""A shared ticket with two answers, votes, an acceptance, an endorsement and "I have this too", among
	people of a customer of its own: the backup test commits, and no other test may meet this data."""
	run = uuid.uuid4().hex[:8]
	customer = make_customer(f"Backup {run}")
	rhea, ada, bo, cy = (
		make_user(f"{name.lower()}.{run}@backup.test", name, customer) for name in ("Rhea", "Ada", "Bo", "Cy")
	)
	ticket = make_ticket(
		f"Backup story {run}: the scanner is slow", raised_by=rhea, customer=customer, priority="Low"
	).name
	as_user(rhea, tickets.share, ticket)
	first = as_user(ada, answers.create, ticket, "<p>Lower the scan resolution to 300 dpi.</p>")["name"]
	second = as_user(bo, answers.create, ticket, "<p>Update the scanner driver.</p>")["name"]
	as_user(cy, answers.vote, first, 1)
	as_user(bo, answers.vote, first, 1)
	as_user(cy, answers.vote, second, -1)
	as_user(cy, tickets.affected, ticket)
	as_user(people.derek, answers.endorse, second)
	as_user(rhea, answers.accept, first, FEEDBACK)
	return frappe._dict(ticket=str(ticket), answers=[first, second], users=[ada, bo, cy])


def test_a_backup_restores_into_a_new_site_with_the_community_intact(community_story):
	story = community_story
	answer_fields = ["name", "ticket", "author", "body", "score", "accepted", "endorsed_by", "hidden"]
	expected = {
		"Peer Answer": rows_here("Peer Answer", {"ticket": story.ticket}, answer_fields),
		"Peer Answer Vote": rows_here(
			"Peer Answer Vote", {"ticket": story.ticket}, ["name", "answer", "voter", "value", "points"]
		),
		"Peer Reputation Event": rows_here(
			"Peer Reputation Event",
			{"ticket": story.ticket},
			["name", "user", "points", "reason", "answer", "actor"],
		),
		"Peer Profile": rows_here(
			"Peer Profile",
			{"name": ["in", story.users]},
			["name", "reputation", "answers", "accepted", "endorsed", "helpful_votes"],
		),
		"HD Ticket": rows_here("HD Ticket", {"name": story.ticket}, ["name", *TICKET_PEER_FIELDS]),
	}
	assert len(expected["Peer Answer"]) == 2 and len(expected["Peer Reputation Event"]) >= 4
	assert expected["HD Ticket"][0]["peer_status"] == "Accepted"

	output = frappe_command("backup", site=frappe.local.site)
	database = re.search(r"^Database\s*:\s*(\S+)", output, re.M).group(1)  # the backup's summary
	backup = Path(os.environ.get("PEER_SUPPORT_SITES_PATH", "."), database).resolve()
	assert backup.name.endswith(".sql.gz") and backup.exists(), output

	restored = f"ps-restore-{uuid.uuid4().hex[:8]}.localhost"
	try:
		frappe_command(
			"new-site",
			restored,
			"--admin-password",
			"admin",
			"--db-root-username",
			"root",
			"--source_sql",
			str(backup),
		)
		for doctype, rows in expected.items():
			fields = list(rows[0])
			filters = {"name": ["in", [row["name"] for row in rows]]}
			assert read_on(restored, doctype, filters, fields) == rows, doctype
		apps = frappe_command("execute", "frappe.get_installed_apps", site=restored).strip().splitlines()[-1]
		assert {"helpdesk", "peer_support"} <= set(json.loads(apps)), apps
	finally:
		frappe_command("drop-site", restored, "--force", "--no-backup", "--db-root-username", "root")
		sites = Path(os.environ.get("PEER_SUPPORT_SITES_PATH", ".")).resolve()
		assert not (sites / restored).exists()
		archived = sites.parent / "archived" / "sites" / restored
		if archived.exists():
			shutil.rmtree(archived, ignore_errors=True)


def values_mentioning(doctype: str, *needles: str) -> list[tuple[str, str, str]]:
	"""(name, column, value) of every text value in the doctype's table that contains a needle."""
	found = []
	for row in frappe.db.sql(f"select * from `tab{doctype}`", as_dict=True):
		for column, value in row.items():
			if isinstance(value, str) and any(needle in value for needle in needles):
				found.append((row.name, column, value[:120]))
	return found


def delete_personal_data(email: str) -> str:
	"""Frappe's personal data deletion, as the System Manager approves it after the person confirmed;
	returns the anonymous name the person's records now carry."""
	request = frappe.get_doc({"doctype": "Personal Data Deletion Request", "email": email}).insert(
		ignore_permissions=True
	)
	request.db_set("status", "Pending Approval")  # what the person's signed confirmation link does
	request.trigger_data_deletion()  # the approval; the anonymisation runs at once in tests (in_test)
	assert frappe.db.get_value("Personal Data Deletion Request", request.name, "status") == "Deleted"
	assert not frappe.db.exists("User", email) and frappe.db.exists("User", request.name)
	return request.name


@pytest.fixture
def no_mail(monkeypatch):
	monkeypatch.setattr(frappe, "sendmail", lambda *args, **kwargs: None)  # a test site has no mail account


def test_deleting_a_person_anonymises_their_answers_votes_and_ledger(people, no_mail):
	run = uuid.uuid4().hex[:8]
	full_name = f"Erin Quill{run}"
	erin = make_user(f"erin.{run}@acme.test", full_name, people.acme)
	assert frappe.db.get_value("User", erin, "full_name") == full_name

	ticket = shared_ticket(people, f"Deletion story {run}: the badge reader beeps")
	as_user(erin, tickets.affected, ticket)
	as_user(erin, tickets.follow, ticket)
	mine = as_user(
		erin, answers.create, ticket, f"<p>Hold the badge still. Ask me: {erin}, {full_name}.</p>"
	)["name"]
	theirs = as_user(people.lottie, answers.create, ticket, "<p>Clean the reader.</p>")["name"]
	as_user(erin, answers.vote, theirs, 1)  # an event for Lottie with Erin as its actor
	as_user(erin, answers.flag, theirs, f"Outdated, says {full_name}")
	as_user(erin, community.deflect, f"badge reader, asked by {full_name}", ticket)
	as_user(people.mia, answers.vote, mine, 1)
	as_user(people.derek, answers.endorse, mine)
	as_user(people.jeff, answers.accept, mine, FEEDBACK)
	events = {
		row.name: row
		for row in frappe.get_all(
			"Peer Reputation Event",
			filters={"ticket": ticket},
			fields=["name", "user", "actor", "points", "reason"],
		)
	}
	assert {row.user for row in events.values()} >= {erin} and {row.actor for row in events.values()} >= {
		erin
	}
	reputation_before = frappe.db.get_value("Peer Profile", erin, "reputation")
	assert reputation_before > 0 and values_mentioning("Notification Log", full_name)
	assert reputation.differences() == {}

	anon = delete_personal_data(erin)
	for doctype in (*PEER_TABLES, "Notification Log", "HD Ticket Activity"):
		assert values_mentioning(doctype, erin, full_name) == [], doctype
	# the records stay, now the anonymous user's; the ledger keeps every point
	assert frappe.db.get_value("Peer Answer", mine, ["author", "accepted"]) == (anon, 1)
	after = {
		row.name: row
		for row in frappe.get_all(
			"Peer Reputation Event",
			filters={"name": ["in", list(events)]},
			fields=["name", "user", "actor", "points", "reason"],
		)
	}
	renamed = {
		name: row.copy()
		| {"user": anon if row.user == erin else row.user, "actor": anon if row.actor == erin else row.actor}
		for name, row in events.items()
	}
	assert after == renamed
	assert frappe.db.get_value("Peer Answer Vote", {"answer": theirs, "voter": anon}, "value") == 1
	assert frappe.db.exists("Peer Ticket Affected", {"ticket": ticket, "user": anon})
	assert frappe.db.get_value("Peer Profile", anon, ["full_name", "reputation"]) == (
		"[REDACTED]",
		reputation_before,
	)
	assert reputation.differences() == {}
	view = as_user(people.lottie, tickets.get, ticket)
	assert full_name not in json.dumps(view) and erin not in json.dumps(view)


@pytest.mark.xfail(
	strict=True,
	reason="BUG (issue 8 report): a knowledge-base draft keeps the deleted person's "
	"name and answer text; Frappe's redaction cannot be pointed at HD Article",
)
def test_deleting_a_person_anonymises_the_knowledge_base_draft_that_credits_them(people, no_mail):
	run = uuid.uuid4().hex[:8]
	full_name = f"Finn Quill{run}"
	finn = make_user(f"finn.{run}@acme.test", full_name, people.acme)
	ticket = shared_ticket(people, f"Article story {run}: the projector flickers")
	answer = as_user(finn, answers.create, ticket, f"<p>Swap the HDMI cable. {full_name}</p>")["name"]
	as_user(people.derek, answers.endorse, answer)
	article = as_user(people.derek, knowledge.promote, answer)["name"]
	assert full_name in frappe.db.get_value("HD Article", article, "content")
	delete_personal_data(finn)
	assert full_name not in frappe.db.get_value("HD Article", article, "content")
