"""The community page's API: feed, similar questions, deflections, follow, Markdown answers."""

import frappe
import pytest
from helpers import as_user, ensure_ticket_type, make_ticket, notifications, shared_ticket, update_settings

from peer_support.api import answers, community, tickets


def names(rows) -> list[str]:
	return [str(row["name"]) for row in rows]


def test_the_feed_shows_what_the_audience_may_read(people):
	shared = shared_ticket(people, "Teams camera shows a black picture")
	private = str(
		make_ticket(
			"Teams camera private question", raised_by=people.jeff, customer=people.acme, priority="Low"
		).name
	)
	ensure_ticket_type("Finance System")
	excluded = shared_ticket(people, "Teams camera in the finance system")
	frappe.db.set_value("HD Ticket", excluded, "ticket_type", "Finance System")
	update_settings(excluded_ticket_types=["Finance System"])

	seen = names(as_user(people.mia, community.feed, "newest", "teams camera")["rows"])
	assert shared in seen and private not in seen and excluded not in seen
	assert shared not in names(as_user(people.olga, community.feed, "newest", "teams camera")["rows"])
	row = as_user(people.mia, community.feed, "newest", "teams camera")["rows"][0]
	assert set(row) == {
		"name",
		"subject",
		"topic",
		"status",
		"age",
		"answers",
		"accepted",
		"affected_count",
		"is_mine",
	}
	assert shared in names(as_user(people.jeff, community.feed, "mine")["rows"])
	assert shared not in names(as_user(people.mia, community.feed, "mine")["rows"])


def test_ages_read_as_frappes_pretty_date(people):
	"""The feed's and the ticket page's ages, against one "now" (services.rows.ages), say what Frappe's
	own pretty_date says, in the user's language too."""
	from frappe.utils import add_to_date, now_datetime, pretty_date

	from peer_support.services.rows import ages

	now = now_datetime()
	moments = [add_to_date(now, **{unit: -n}) for unit, n in (("minutes", 3), ("hours", 5), ("days", 40))]
	assert ages([*moments, None]) == [*map(pretty_date, moments), ""]
	ticket = shared_ticket(people, "Outlook search finds nothing")
	assert as_user(people.mia, tickets.get, ticket)["age"] == pretty_date(
		frappe.db.get_value("HD Ticket", ticket, "creation")
	)
	frappe.local.lang = "de"
	try:
		assert ages(moments[:1]) == [pretty_date(moments[0])] and "vor" in ages(moments[:1])[0]
	finally:
		frappe.local.lang = "en"


def test_feed_filters_and_paging(people):
	first = shared_ticket(people, "Wifi drops in meeting room A")
	second = shared_ticket(people, "Wifi drops in meeting room B")
	as_user(people.lottie, answers.create, first, "Forget the network and join again.")
	as_user(people.mia, tickets.affected, second)
	unanswered = names(as_user(people.mia, community.feed, "unanswered", "wifi drops")["rows"])
	assert second in unanswered and first not in unanswered
	assert names(as_user(people.max, community.feed, "most_affected", "wifi drops")["rows"])[0] == second
	page = as_user(people.mia, community.feed, "newest", "wifi drops", 1, 1)
	assert len(page["rows"]) == 1 and page["has_more"]
	assert as_user(people.mia, community.feed, "newest", "wifi drops", 1, 1)["rows"][0]["answers"] in (0, 1)
	with pytest.raises(frappe.ValidationError, match="Filter must be"):
		as_user(people.mia, community.feed, "oldest")
	with pytest.raises(frappe.ValidationError, match="page size"):
		as_user(people.mia, community.feed, "newest", None, 1, 500)
	with pytest.raises(frappe.PermissionError):
		as_user("Guest", community.feed)


def test_similar_questions_and_articles_while_asking(people):
	solved = shared_ticket(people, "Outlook keeps asking for my password")
	answer = as_user(people.lottie, answers.create, solved, "Remove the saved credential.")["name"]
	as_user(people.jeff, answers.accept, answer, "Clear guidance given")
	category = frappe.get_all("HD Article Category", pluck="name", limit=1)
	article = frappe.get_doc(
		{
			"doctype": "HD Article",
			"title": "Outlook password prompts explained",
			"content": "<p>Why Outlook asks again</p>",
			"status": "Published",
			"category": category[0] if category else None,
		}
	).insert()
	draft = frappe.get_doc(
		{
			"doctype": "HD Article",
			"title": "Outlook password draft",
			"content": "<p>x</p>",
			"status": "Draft",
			"category": category[0] if category else None,
		}
	).insert()

	found = as_user(people.mia, community.similar, "outlook asks for password again")
	assert solved in names(found["tickets"])
	assert "saved credential" in found["tickets"][0]["accepted_answer"]
	assert article.name in names(found["articles"]) and draft.name not in names(found["articles"])
	assert solved not in names(
		as_user(people.olga, community.similar, "outlook asks for password again")["tickets"]
	)
	assert as_user(people.mia, community.similar, "a an") == {
		"tickets": [],
		"articles": [],
		"notices": [],
		"holdout": False,
	}


def test_this_solved_it_records_a_deflection_and_files_nothing(people):
	solved = shared_ticket(people, "Printer offline after the weekend")
	tickets_before = frappe.db.count("HD Ticket")
	deflection = as_user(people.mia, community.deflect, "printer offline", solved)
	assert frappe.db.get_value("Peer Deflection", deflection["name"], ["user", "ticket"]) == (
		people.mia,
		solved,
	)
	assert frappe.db.count("HD Ticket") == tickets_before
	with pytest.raises(frappe.ValidationError, match="one of them"):
		as_user(people.mia, community.deflect, "printer offline")
	with pytest.raises(frappe.DoesNotExistError):
		as_user(people.olga, community.deflect, "printer offline", solved)
	with pytest.raises(frappe.MandatoryError):
		as_user(people.mia, community.deflect, " ", solved)


def test_sharing_tells_the_requester_whether_the_settings_allow_it(people):
	ticket = make_ticket(
		"Payroll export fails", raised_by=people.jeff, customer=people.acme, priority="Urgent"
	)
	decision = as_user(people.jeff, community.sharing, ticket.name)
	assert not decision["allowed"] and "Urgent" in decision["reason"]
	with pytest.raises(frappe.DoesNotExistError):
		as_user(people.lottie, community.sharing, ticket.name)


def test_followers_hear_of_new_answers_and_markdown_becomes_html(people):
	ticket = shared_ticket(people, "Excel macro blocked")
	assert as_user(people.mia, tickets.follow, ticket)["following"]
	with pytest.raises(frappe.PermissionError):
		as_user(people.jeff, tickets.follow, ticket)
	answer = as_user(
		people.lottie, answers.create, ticket, "Unblock it under **Properties**:\n\n- right-click the file"
	)
	assert "<strong>Properties</strong>" in answer["body"] and "<li>" in answer["body"]
	assert notifications(people.mia, "answered a question you follow")
	assert as_user(people.mia, tickets.get, ticket)["i_follow"]
	as_user(people.mia, tickets.follow, ticket, False)
	assert not as_user(people.mia, tickets.get, ticket)["i_follow"]
