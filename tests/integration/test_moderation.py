"""Votes, edits, endorsements, hiding, flags and "I have this too", on a real site."""

import frappe
import pytest
from helpers import (
	as_user,
	make_ticket,
	notifications,
	restrict_by_agent_group,
	shared_ticket,
	update_settings,
)

from peer_support.api import answers, tickets
from peer_support.services.write_path import peer_writes


@pytest.fixture
def answered(people):
	ticket = shared_ticket(people)
	answer = as_user(people.lottie, answers.create, ticket, "<p>Re-seat the toner cartridge.</p>")
	return frappe._dict(ticket=ticket, answer=answer["name"])


def score(answer: str) -> int:
	return frappe.db.get_value("Peer Answer", answer, "score")


def test_colleagues_vote_change_and_retract(people, answered):
	assert as_user(people.mia, answers.vote, answered.answer, 1)["score"] == 1
	assert as_user(people.max, answers.vote, answered.answer, 1)["score"] == 2
	assert as_user(people.mia, answers.vote, answered.answer, -1)["score"] == 0
	assert as_user(people.mia, answers.vote, answered.answer, 0)["score"] == 1
	assert not frappe.db.exists("Peer Answer Vote", {"answer": answered.answer, "voter": people.mia})
	mine = as_user(people.max, tickets.get, answered.ticket)["answers"][0]
	assert mine["my_vote"] == 1 and mine["score"] == 1


def test_voting_twice_is_refused_with_a_message(people, answered):
	as_user(people.mia, answers.vote, answered.answer, 1)
	with pytest.raises(frappe.DuplicateEntryError, match="already voted"):
		as_user(people.mia, answers.vote, answered.answer, 1)
	assert score(answered.answer) == 1


@pytest.mark.parametrize(
	"who, error, text",
	[
		("lottie", frappe.PermissionError, "your own answer"),
		("jeff", frappe.PermissionError, "accept the answer"),
		("derek", frappe.PermissionError, "endorse"),
		("olga", frappe.DoesNotExistError, "not found"),
	],
)
def test_who_may_not_vote(people, answered, who, error, text):
	with pytest.raises(error, match=text):
		as_user(people[who], answers.vote, answered.answer, 1)
	assert score(answered.answer) == 0


def test_a_vote_must_be_one_minus_one_or_zero(people, answered):
	with pytest.raises(frappe.ValidationError, match="A vote is 1"):
		as_user(people.mia, answers.vote, answered.answer, 5)


def test_the_database_keeps_one_vote_per_voter_and_answer(people, answered):
	row = {"doctype": "Peer Answer Vote", "answer": answered.answer, "voter": people.mia, "value": 1}
	with peer_writes():  # past the API's checks (as its own code is): only the unique key stops the second
		frappe.get_doc(row).insert(ignore_permissions=True)
		with pytest.raises(frappe.UniqueValidationError):
			frappe.get_doc(row).insert(ignore_permissions=True)


def test_authors_edit_their_answer_until_it_is_accepted(people, answered):
	edited = as_user(
		people.lottie,
		answers.update,
		answered.answer,
		"<p>Re-seat the toner, then print a test page.</p><script>alert(1)</script>",
	)
	assert "test page" in edited["body"] and "<script" not in edited["body"]
	assert "<script" not in frappe.db.get_value("Peer Answer", answered.answer, "body")
	with pytest.raises(frappe.PermissionError, match="Only the author"):
		as_user(people.mia, answers.update, answered.answer, "<p>Mine now</p>")
	as_user(people.jeff, answers.accept, answered.answer, "Clear guidance given")
	with pytest.raises(frappe.PermissionError, match="accepted answer can no longer be edited"):
		as_user(people.lottie, answers.update, answered.answer, "<p>Changed after the fact</p>")


def test_agents_endorse_and_the_author_is_told(people, answered):
	with pytest.raises(frappe.PermissionError, match="agents"):
		as_user(people.mia, answers.endorse, answered.answer)
	endorsed = as_user(people.derek, answers.endorse, answered.answer)
	assert endorsed["endorsed"] and endorsed["endorsed_by"] == "Derek"
	assert frappe.db.get_value("Peer Answer", answered.answer, "endorsed_by") == people.derek
	assert notifications(people.lottie, "verified your answer")
	assert "endorsed the peer answer from Lottie (verified by IT)" in activity(answered.ticket)
	assert not as_user(people.derek, answers.unendorse, answered.answer)["endorsed"]


def test_agents_read_through_the_community_api_only_what_helpdesk_lets_them(people, answered):
	"""Helpdesk's agent groups hold on the community API too: a private ticket of another team is not
	found for the agent outside it; a community question stays readable (and moderable) by any agent."""
	private = make_ticket("Payroll export fails for March", raised_by=people.jeff, customer=people.acme)
	restrict_by_agent_group(private.name)
	restrict_by_agent_group(answered.ticket)
	if frappe.has_permission("HD Ticket", "read", doc=str(private.name), user=people.derek):
		pytest.skip(
			"this Helpdesk applies agent groups in its own list view only, not in HD Ticket's permission"
		)
	with pytest.raises(frappe.DoesNotExistError):
		as_user(people.derek, tickets.get, private.name)
	assert str(as_user("erin@it.test", tickets.get, private.name)["name"]) == str(private.name)
	assert as_user(people.derek, tickets.get, answered.ticket)["answers"]
	assert as_user(people.derek, answers.endorse, answered.answer)["endorsed"]


def test_hidden_answers_vanish_for_colleagues_at_once(people, answered):
	with pytest.raises(frappe.MandatoryError, match="Say why"):
		as_user(people.derek, answers.hide, answered.answer, "  ")
	hidden = as_user(people.derek, answers.hide, answered.answer, "Unsafe: disables the print server's TLS")
	assert hidden["hidden"] and hidden["hidden_reason"].startswith("Unsafe")
	assert as_user(people.mia, tickets.get, answered.ticket)["answers"] == []
	with pytest.raises(frappe.DoesNotExistError):
		as_user(people.mia, answers.vote, answered.answer, 1)
	assert as_user(people.derek, tickets.get, answered.ticket)["answers"][0]["hidden"]
	assert notifications(people.lottie, "hid your answer")
	assert any(a.startswith("hid the peer answer from Lottie") for a in activity(answered.ticket))

	as_user(people.derek, answers.unhide, answered.answer)
	assert [a["name"] for a in as_user(people.mia, tickets.get, answered.ticket)["answers"]] == [
		answered.answer
	]


def test_enough_flags_hide_an_answer_for_review_and_tell_the_agents(people, answered):
	update_settings(flag_threshold=2)
	frappe.db.set_value("HD Ticket", answered.ticket, "_assign", frappe.as_json([people.derek]))
	with pytest.raises(frappe.PermissionError, match="own answer"):
		as_user(people.lottie, answers.flag, answered.answer, "spam")
	as_user(people.mia, answers.flag, answered.answer, "Wrong printer model")
	with pytest.raises(frappe.DuplicateEntryError, match="already flagged"):
		as_user(people.mia, answers.flag, answered.answer, "again")
	assert not frappe.db.get_value("Peer Answer", answered.answer, "hidden")

	as_user(people.jeff, answers.flag, answered.answer, "Did not work, and it is risky")
	stored = frappe.db.get_value(
		"Peer Answer", answered.answer, ["hidden", "flags_count", "hidden_reason"], as_dict=True
	)
	assert stored.hidden and stored.flags_count == 2 and "2 flags" in stored.hidden_reason
	assert notifications(people.derek, "hidden for review after 2 flags")
	assert as_user(people.max, tickets.get, answered.ticket)["answers"] == []


def test_i_have_this_too_counts_colleagues_and_tells_them_of_the_resolution(people, answered):
	assert as_user(people.mia, tickets.affected, answered.ticket)["affected_count"] == 1
	assert as_user(people.mia, tickets.affected, answered.ticket)["affected_count"] == 1  # once per colleague
	assert as_user(people.max, tickets.affected, answered.ticket)["affected_count"] == 2
	assert as_user(people.max, tickets.affected, answered.ticket, False)["affected_count"] == 1
	with pytest.raises(frappe.PermissionError):
		as_user(people.jeff, tickets.affected, answered.ticket)
	with pytest.raises(frappe.DoesNotExistError):
		as_user(people.olga, tickets.affected, answered.ticket)

	portal_view = as_user(people.lottie, tickets.get, answered.ticket)
	assert portal_view["affected_count"] == 1 and "affected_users" not in portal_view
	agent_view = as_user(people.derek, tickets.get, answered.ticket)
	assert [u["full_name"] for u in agent_view["affected_users"]] == ["Mia"]

	as_user(people.derek, resolve, answered.ticket)
	assert notifications(people.mia, "that you also had is resolved")
	assert not notifications(people.max, "that you also had is resolved")


def test_the_requester_hears_of_a_new_answer(people, answered):
	assert notifications(people.jeff, "Lottie answered your ticket")


def resolve(ticket: str) -> None:
	doc = frappe.get_doc("HD Ticket", ticket)
	doc.status = "Resolved"
	doc.save()


def activity(ticket: str) -> list[str]:
	return frappe.get_all("HD Ticket Activity", filters={"ticket": ticket}, pluck="action")
