"""Honest deflection on a real site: the holdout is stable per person and month, Ask sessions end as
the Ask page's endpoints say, only they write them, and the report equals hand-computed numbers."""

from datetime import datetime

import frappe
import pytest
from helpers import as_user, ensure_ticket_type, frozen, make_ticket, update_settings

from peer_support.api import community
from peer_support.peer_support.report.deflection_holdout import deflection_holdout
from peer_support.services.holdout import SESSION
from peer_support.services.write_path import peer_writes

# sha1(user + month) mod 10000 (tests/unit/test_holdout.py pins the rule):
# jeff@acme.test 2026-11 -> 157 (held out at 10 %), 2026-10 -> 3045; lottie@acme.test 2026-11 -> 3779
NOVEMBER = datetime(2026, 11, 10, 10, 0)
OCTOBER = datetime(2026, 10, 10, 10, 0)


def test_the_defaults_are_the_published_figures():
	# the fields' defaults (the suite itself runs with no holdout: see conftest.people)
	meta = frappe.get_meta("Peer Support Settings")
	defaults = [
		float(meta.get_field(f).default)
		for f in ("holdout_share", "self_help_cost", "desk_contact_cost", "peer_window_share")
	]
	assert defaults == [10, 2, 22, 50] and not int(meta.get_field("peer_window_step_priority").default or 0)


def test_a_held_out_asker_gets_no_suggestions_stably_for_the_month(people, monkeypatch):
	update_settings(holdout_share=10)
	asked = []
	monkeypatch.setattr(
		community.search_index, "for_asker", lambda text, me, *vector: asked.append(me.user) or []
	)
	with frozen(NOVEMBER):
		first = as_user(people.jeff, community.ask_started)
		second = as_user(people.jeff, community.ask_started)
		found = as_user(people.jeff, community.similar, "Printer prints blank pages")
		colleague = as_user(people.lottie, community.ask_started)
		suggested = as_user(people.lottie, community.similar, "Printer prints blank pages")
	assert first["holdout"] is True and second["holdout"] is True and first["session"] != second["session"]
	assert found == {"tickets": [], "articles": [], "notices": [], "holdout": True}
	assert colleague["holdout"] is False and suggested["holdout"] is False
	assert asked == [people.lottie]  # a held-out asker's text is not even searched
	groups = frappe.get_all(SESSION, filters={"user": people.jeff}, pluck="holdout_group")
	assert groups == ["Holdout", "Holdout"]
	assert frappe.db.get_value(SESSION, colleague["session"], ["holdout_group", "month"]) == (
		"Suggested",
		"2026-11",
	)
	# drawn again next month (and last month): Jeff sees suggestions in October
	with frozen(OCTOBER):
		assert as_user(people.jeff, community.ask_started)["holdout"] is False
		assert as_user(people.jeff, community.similar, "Printer prints blank pages")["holdout"] is False
	# no holdout at all at 0 %
	update_settings(holdout_share=0)
	with frozen(NOVEMBER):
		assert as_user(people.jeff, community.ask_started)["holdout"] is False


def test_agents_are_never_held_out_or_counted(people):
	update_settings(holdout_share=100)
	assert as_user(people.derek, community.ask_started) == {"session": None, "holdout": False}
	assert as_user(people.derek, community.similar, "Printer prints blank pages")["holdout"] is False
	assert as_user(people.lottie, community.ask_started)["holdout"] is True


def test_sessions_end_as_filed_or_deflected_by_their_asker_only(people, monkeypatch):
	topic = ensure_ticket_type("Holdout Topic")
	update_settings(holdout_share=10)
	with frozen(NOVEMBER):
		held = as_user(people.jeff, community.ask_started)["session"]
		seen = as_user(people.lottie, community.ask_started)["session"]
	ticket = make_ticket("VPN drops at login", raised_by=people.jeff, customer=people.acme, ticket_type=topic)

	# nobody else ends Jeff's session, or says they filed Jeff's ticket
	with pytest.raises(frappe.DoesNotExistError):
		as_user(people.lottie, community.ask_filed, held, ticket.name)
	with pytest.raises(frappe.DoesNotExistError):
		as_user(people.lottie, community.ask_filed, seen, ticket.name)
	result = as_user(people.jeff, community.ask_filed, held, ticket.name)
	assert result["outcome"] == "Filed"
	assert frappe.db.get_value(SESSION, held, ["outcome", "ticket", "topic"]) == (
		"Filed",
		str(ticket.name),
		topic,
	)

	# "this solved it", then a ticket anyway: the ticket is the outcome; the click stays a deflection
	article = frappe.get_doc(
		{"doctype": "HD Article", "title": "VPN at login", "content": "<p>Update the client.</p>"}
	)
	article.status = "Published"
	article.insert()
	as_user(people.lottie, community.deflect, "VPN drops", None, article.name, seen)
	assert frappe.db.get_value(SESSION, seen, "outcome") == "Deflected"
	assert frappe.db.get_value(SESSION, seen, "deflection")
	own = make_ticket("VPN still drops", raised_by=people.lottie, customer=people.acme)
	as_user(people.lottie, community.ask_filed, seen, own.name)
	assert frappe.db.get_value(SESSION, seen, "outcome") == "Filed"
	with pytest.raises(frappe.DoesNotExistError):
		as_user(people.lottie, community.deflect, "VPN drops", None, article.name, "no-such-session")


def test_only_the_ask_page_writes_sessions(people):
	with frozen(NOVEMBER):
		session = as_user(people.jeff, community.ask_started)["session"]
	doc = frappe.get_doc(SESSION, session)
	doc.outcome = "Deflected"
	with pytest.raises(frappe.PermissionError):
		doc.save(ignore_permissions=True)  # even the Administrator, outside the app's methods
	with pytest.raises(frappe.PermissionError):
		frappe.get_doc(
			{"doctype": SESSION, "user": people.jeff, "month": "2026-11", "holdout_group": "Holdout"}
		).insert(ignore_permissions=True)
	# read-only, and only for the managers of the experiment: not agents, not portal users
	managers = {"Agent Manager", "System Manager"}
	assert frappe.has_permission(SESSION, "read", user=people.derek) == bool(
		managers & set(frappe.get_roles(people.derek))
	)
	assert not frappe.has_permission(SESSION, "write", user=people.derek)
	assert not frappe.has_permission(SESSION, "read", user=people.jeff)


def test_the_report_equals_hand_computed_numbers(people):
	topic = ensure_ticket_type("Holdout Report Topic")
	update_settings(self_help_cost=2, desk_contact_cost=22)

	def sessions(n, group, outcome):
		for _ in range(n):
			doc = frappe.get_doc(
				{
					"doctype": SESSION,
					"user": people.mia,
					"month": "2026-11",
					"holdout_group": group,
					"outcome": outcome,
					"topic": topic,
				}
			)
			with peer_writes():
				doc.insert()

	with frozen(NOVEMBER):
		sessions(3, "Holdout", "Filed")
		sessions(7, "Holdout", "Left")
		sessions(2, "Suggested", "Filed")
		sessions(5, "Suggested", "Deflected")
		sessions(13, "Suggested", "Left")
	columns, data, message, chart, summary = deflection_holdout.execute(
		{"from_date": "2026-11-01", "to_date": "2026-11-30"}
	)
	(row,) = [r for r in data if r["topic"] == topic]
	# held out 3/10 = 30 %, with suggestions 2/20 = 10 %: 20 points,
	# se = sqrt(.3 * .7 / 10 + .1 * .9 / 20) = 0.159687, 95 % CI 20 -/+ 31.3 points
	assert (row["holdout_filed_share"], row["suggested_filed_share"], row["difference"]) == (30.0, 10.0, 20.0)
	assert (row["difference_low"], row["difference_high"]) == (-11.3, 51.3)
	assert row["saving"] == 80.0  # 0.2 * 20 sessions * ($22 - $2)
	assert row["self_reported_deflections"] == 5
	assert {c["fieldname"] for c in columns} >= {"difference_low", "saving", "self_reported_deflections"}
