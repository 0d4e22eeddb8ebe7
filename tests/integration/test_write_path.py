"""Outside this app's own methods, no record of the community can be created, changed, renamed or
deleted, by any role (the Administrator included): the doctype controllers refuse with a message."""

import frappe
import pytest
from frappe.model.base_document import get_controller
from helpers import as_user, shared_ticket

from peer_support import demo
from peer_support.api import answers, tickets
from peer_support.api import community as community_api
from peer_support.services import routing
from peer_support.services.write_path import WHERE, AppWritten, peer_writes
from peer_support.tests import records

CHANGES = {
	"Peer Answer": {"score": 999},
	"Peer Answer Vote": {"value": -1},
	"Peer Answer Flag": {"reason": "forged"},
	"Peer Ticket Affected": {"user": "Administrator"},
	"Peer Ticket Follower": {"user": "Administrator"},
	"Peer Reputation Event": {"points": 1000},
	"Peer Reputation Period": {"points": 1000},
	"Peer Profile": {"reputation": 1000},
	"Peer Routing": {"channel": "Daily Digest"},
	"Peer Deflection": {"query": "forged"},
	"Peer Ask Session": {"outcome": "Deflected"},  # the holdout report counts these
	"Peer Demo Record": {"key": "forged"},  # `demo remove` deletes what these records name
	"Peer Known Issue": {"status": "Resolved"},  # resolving one tells every subscriber
	"Peer Known Issue Subscriber": {"user": "Administrator"},
	"Peer Incident Alert": {"status": "Dismissed"},
	"Peer Article Review": {"status": "Reviewed"},
	"Peer Article Source": {"author": "Administrator"},  # who is told when the article decays
	"Peer Search Entry": {"customer": "forged", "content": "forged"},  # what askers are suggested
}


@pytest.fixture
def community(people):
	ticket = shared_ticket(people)
	answer = as_user(people.lottie, answers.create, ticket, "<p>Re-seat the toner.</p>")["name"]
	as_user(people.mia, answers.vote, answer, 1)
	as_user(people.mia, answers.flag, answer, "Outdated")
	as_user(people.mia, tickets.affected, ticket)
	as_user(people.mia, tickets.follow, ticket)
	as_user(people.mia, community_api.deflect, "printer blank", ticket)
	as_user(people.mia, community_api.ask_started)
	routing.log_routing(ticket, people.max, "Real Time")
	demo.note(f"test:ticket:{ticket}", "HD Ticket", ticket)
	records.app_written(ticket, answer, subscriber=people.mia, author=people.lottie)
	return frappe._dict(ticket=ticket, answer=answer)


def test_every_doctype_the_app_writes_is_covered():
	"""A new community doctype joins CHANGES (and so these tests) or this fails."""
	written = {
		name
		for name in frappe.get_all("DocType", filters={"module": "Peer Support", "istable": 0}, pluck="name")
		if issubclass(get_controller(name), AppWritten)
	}
	assert written - set(CHANGES) == set()  # (Peer Reputation Event guards itself: a ledger)


def one(doctype: str, people) -> str:
	filters = (
		{"user": people.lottie}
		if doctype in ("Peer Reputation Event", "Peer Reputation Period", "Peer Profile")
		else {}
	)
	return frappe.get_all(doctype, filters=filters, pluck="name", limit=1, order_by="creation desc")[0]


@pytest.mark.parametrize("doctype", list(CHANGES))
@pytest.mark.parametrize("user", ["Administrator", "derek"])
def test_no_write_outside_the_apps_methods(people, community, doctype, user):
	name = one(doctype, people)
	frappe.set_user(people[user] if user in people else user)
	before = frappe.get_doc(doctype, name).as_dict()
	changed = frappe.get_doc(doctype, name)
	changed.update(CHANGES[doctype])
	with pytest.raises(frappe.PermissionError):
		changed.save(ignore_permissions=True)  # even a console write past the role checks
	copy = frappe.copy_doc(frappe.get_doc(doctype, name))
	with pytest.raises(frappe.PermissionError):
		copy.insert(ignore_permissions=True)
	with pytest.raises(frappe.PermissionError):
		frappe.delete_doc(doctype, name, ignore_permissions=True)
	if user != "Administrator":
		with pytest.raises(frappe.PermissionError):
			frappe.rename_doc(doctype, name, name + "x", force=True)
	frappe.set_user("Administrator")
	assert frappe.get_doc(doctype, name).as_dict() == before


def test_the_refusal_says_where_the_change_is_made(people, community):
	doc = frappe.get_doc("Peer Answer", community.answer)
	doc.accepted = 1
	with pytest.raises(frappe.PermissionError) as refused:
		doc.save(ignore_permissions=True)
	assert str(refused.value) == WHERE["Peer Answer"]


def test_roles_may_only_read(people, community):
	for doctype in CHANGES:
		for role in ("Agent", "Agent Manager", "System Manager"):
			perms = [p for p in frappe.get_meta(doctype).permissions if p.role == role and p.permlevel == 0]
			for perm in perms:
				assert perm.read and not (perm.write or perm.create or perm.delete or perm.share), (
					doctype,
					role,
				)


def test_inside_the_apps_methods_writes_go_through(people, community):
	with peer_writes():
		frappe.db.set_value("Peer Answer", community.answer, "flags_count", 0)  # a plain column write
		doc = frappe.get_doc("Peer Answer", community.answer)
		doc.body = "<p>Re-seat the toner, then print a test page.</p>"
		doc.save(ignore_permissions=True)
	assert "test page" in frappe.db.get_value("Peer Answer", community.answer, "body")
