"""Knowledge capture, the reports against hand-computed numbers, and the demo organisation."""

from datetime import timedelta

import frappe
import pytest
from frappe.utils import add_days, getdate, now_datetime
from helpers import as_user, ensure_ticket_type, make_ticket, shared_ticket

from peer_support import demo
from peer_support.api import answers, community, knowledge
from peer_support.peer_support.report.deflection_holdout import deflection_holdout
from peer_support.peer_support.report.peer_support_overview import peer_support_overview
from peer_support.peer_support.report.peer_support_top_contributors import peer_support_top_contributors
from peer_support.services import reputation


@pytest.fixture
def proven(people):
	ticket = shared_ticket(people, "Projector in room 4 shows no signal")
	answer = as_user(people.lottie, answers.create, ticket, "Press **Source** twice to reach HDMI 2.")["name"]
	return frappe._dict(ticket=ticket, answer=answer)


def test_an_agent_makes_a_draft_article_from_a_proven_answer(people, proven):
	with pytest.raises(frappe.ValidationError, match="accepted or endorsed"):
		as_user(people.derek, knowledge.promote, proven.answer)
	with pytest.raises(frappe.PermissionError):
		as_user(people.mia, knowledge.promote, proven.answer)
	as_user(people.derek, answers.endorse, proven.answer)
	before = frappe.db.get_value("Peer Profile", people.lottie, "reputation")

	article = as_user(people.derek, knowledge.promote, proven.answer, None, "Projector: no signal")
	doc = frappe.get_doc("HD Article", article["name"])
	assert doc.status == "Draft" and doc.title == "Projector: no signal" and doc.author == people.derek
	assert (
		"Source" in doc.content
		and "Lottie" in doc.content
		and f"/helpdesk/tickets/{proven.ticket}" in doc.content
	)
	assert frappe.db.get_value("Peer Answer", proven.answer, "kb_article") == doc.name
	assert frappe.db.get_value("Peer Profile", people.lottie, "reputation") == before + 25
	assert frappe.db.exists(
		"Peer Reputation Event", {"answer": proven.answer, "reason": "Promoted to Knowledge Base"}
	)
	with pytest.raises(frappe.DuplicateEntryError):
		as_user(people.derek, knowledge.promote, proven.answer)
	assert reputation.differences() == {}


def test_the_overview_report_equals_hand_computed_numbers(people):
	topic = ensure_ticket_type("Report Topic")
	now = now_datetime()
	quick = shared_ticket(people, "Report ticket one", ticket_type=topic)
	slow = shared_ticket(people, "Report ticket two", ticket_type=topic)
	make_ticket(
		"Report ticket three", raised_by=people.jeff, customer=people.acme, priority="Low", ticket_type=topic
	)
	# Peer answers 1 h and 3 h after creation; agent first responses after 2 h and 6 h (Helpdesk's field).
	first = as_user(people.lottie, answers.create, quick, "Answer one")["name"]
	second = as_user(people.mia, answers.create, slow, "Answer two")["name"]
	for ticket, answer, peer_h, agent_h in ((quick, first, 1, 2), (slow, second, 3, 6)):
		frappe.db.set_value("HD Ticket", ticket, "creation", now - timedelta(hours=10), update_modified=False)
		frappe.db.set_value(
			"Peer Answer", answer, "creation", now - timedelta(hours=10 - peer_h), update_modified=False
		)
		frappe.db.set_value(
			"HD Ticket",
			ticket,
			"first_responded_on",
			now - timedelta(hours=10 - agent_h),
			update_modified=False,
		)
	as_user(people.jeff, answers.accept, first, "Clear guidance given")
	as_user(people.derek, answers.endorse, second)
	as_user(people.max, community.deflect, "report ticket", quick)

	_, rows, _, chart, summary = peer_support_overview.execute(
		{"from_date": add_days(getdate(), -2), "to_date": getdate(), "ticket_type": topic}
	)
	row = next(r for r in rows if r["topic"] == topic)
	assert (
		row["tickets"],
		row["shared"],
		row["peer_resolved"],
		row["deflections"],
		row["endorsed"],
		row["hidden"],
	) == (3, 2, 1, 1, 1, 0)
	assert row["peer_resolved_share"] == 33.3
	assert row["median_hours_to_peer_answer"] == 2.0  # median of 1 h and 3 h
	assert row["median_hours_to_agent_response"] == 4.0  # median of 2 h and 6 h
	assert chart["data"]["datasets"][0]["values"][-1] == 3
	assert {item["label"]: item["value"] for item in summary}["Resolved by Peers"] == 1

	_, people_rows = peer_support_top_contributors.execute(
		{"from_date": add_days(getdate(), -2), "to_date": getdate(), "ticket_type": topic}
	)
	lottie = next(r for r in people_rows if r["user"] == people.lottie)
	mia = next(r for r in people_rows if r["user"] == people.mia)
	assert (lottie["points"], lottie["answers"], lottie["accepted"]) == (15, 1, 1)
	assert (mia["points"], mia["answers"], mia["endorsed"]) == (20, 1, 1)


def test_the_report_refuses_an_inverted_date_range():
	with pytest.raises(frappe.ValidationError, match="end date is before"):
		peer_support_overview.execute({"from_date": getdate(), "to_date": add_days(getdate(), -5)})


def test_the_dashboard_is_installed():
	dashboard = frappe.get_doc("Dashboard", "Peer Support")
	assert len(dashboard.cards) == 7 and len(dashboard.charts) == 4
	assert "Articles under Review" in {row.card for row in dashboard.cards}
	for report in ("Peer Support Overview", "Knowledge Review"):
		assert frappe.db.exists("Report", report)


@pytest.mark.lifecycle  # commits, as the bench command does (Helpdesk commits when a team is deleted)
def test_the_demo_loads_once_and_removes_only_its_own_records(people):
	mine = make_ticket("Not part of the demo", raised_by=people.jeff, customer=people.acme, priority="Low")
	counts = {
		doctype: frappe.db.count(doctype)
		for doctype in ("HD Ticket", "User", "Contact", "HD Article", "Peer Answer", "HD Customer")
	}
	frappe.db.commit()
	first = demo.load(echo=lambda *_: None)
	frappe.db.commit()
	assert first["made"] > 80
	assert demo.load(echo=lambda *_: None) == {"made": 0}, "loading twice creates nothing twice"
	data = demo.fixture()
	assert frappe.db.count("HD Ticket") == counts["HD Ticket"] + len(data["tickets"])
	finance = frappe.get_value(
		"HD Ticket", demo.made("ticket:finance-close"), ["peer_visibility", "ticket_type"]
	)
	assert finance == ("Private", "Finance System")
	accepted = demo.made("ticket:printer-blank")
	assert frappe.db.get_value("HD Ticket", accepted, ["status", "peer_status"]) == ("Resolved", "Accepted")
	assert frappe.db.get_value("Peer Answer", demo.made("answer:a5"), "hidden") == 1
	assert reputation.differences() == {}
	# a ticket escalated after its peer window, and a month of holdout data in its report
	assert frappe.db.get_value("HD Ticket", demo.made("ticket:vpn-hotel"), "peer_escalated_on")
	# an article under review: promoted from a peer answer, published, marked "didn't help" by three readers
	doubted = demo.made("promoted:a6")
	assert frappe.db.get_value(
		"Peer Article Review", {"article": doubted}, ["status", "reason", "didnt_help"]
	) == ("Under Review", "Didn't Help", 3)
	month = frappe.db.get_value("Peer Ask Session", demo.made("ask_sessions"), "month")
	holdout = deflection_holdout.execute({"from_date": f"{month}-01", "to_date": f"{month}-28"})[1]
	printers = next(row for row in holdout if row["topic"] == "Printers")
	assert (printers["holdout_sessions"], printers["suggested_sessions"]) == (8, 54)
	assert printers["difference"] == round(100 * (4 / 8 - 9 / 54), 1)
	# a live known-issue notice with subscribers
	notice = demo.made("known_issue")
	assert frappe.db.get_value("Peer Known Issue", notice, ["status", "subscriber_count"]) == (
		data["known_issue"]["status"],
		len(data["known_issue"]["subscribers"]),
	)

	demo.remove(echo=lambda *_: None)
	frappe.db.commit()
	for doctype, count in counts.items():
		assert frappe.db.count(doctype) == count, doctype
	assert frappe.db.exists("HD Ticket", mine.name)
	assert not frappe.db.count("Peer Demo Record")
	assert not frappe.db.count("Peer Article Review", {"article": doubted})
	assert not frappe.db.count("Peer Ask Session", {"month": month})
	assert not frappe.db.exists("Peer Known Issue", notice)
	assert not frappe.db.count("Peer Known Issue Subscriber", {"notice": notice})
	assert "Finance System" not in {
		r.ticket_type for r in frappe.get_single("Peer Support Settings").excluded_ticket_types
	}
	assert reputation.differences() == {}
