"""Accepting an answer resolves the ticket through Helpdesk's own flow; its SLA engine records it."""

import frappe
import pytest
from helpers import as_user, make_ticket, notifications, shared_ticket, update_settings

from peer_support import host
from peer_support.api import answers, tickets

FEEDBACK = "Clear guidance given"


@pytest.fixture
def answered(people):
	ticket = shared_ticket(people)
	frappe.db.set_value("HD Ticket", ticket, "_assign", frappe.as_json([people.derek]))
	first = as_user(people.lottie, answers.create, ticket, "<p>Re-seat the toner cartridge.</p>")["name"]
	second = as_user(people.mia, answers.create, ticket, "<p>Use the printer on floor 2.</p>")["name"]
	return frappe._dict(ticket=ticket, answer=first, other=second)


def ticket_state(ticket: str) -> frappe._dict:
	return frappe.db.get_value(
		"HD Ticket",
		ticket,
		[
			"status",
			"sla",
			"resolution_date",
			"resolution_time",
			"agreement_status",
			"first_responded_on",
			"_assign",
			"peer_status",
			"peer_resolved",
			"peer_accepted_answer",
			"feedback",
		],
		as_dict=True,
	)


def helpdesk_stamps_first_response_on_resolution(people) -> bool:
	"""Helpdesk's own rule, seen on a twin ticket its requester resolves in Helpdesk's portal: v1.5 records no
	first response then, v1.2x records the resolution as the first response."""
	twin = make_ticket(
		"Twin printer ticket",
		raised_by=people.jeff,
		customer=people.acme,
		priority="Low",
		via_customer_portal=1,
	)
	frappe.set_user(people.jeff)
	doc = frappe.get_doc("HD Ticket", twin.name)
	host.resolve(doc, FEEDBACK)
	doc.save()
	frappe.set_user("Administrator")
	return bool(frappe.db.get_value("HD Ticket", twin.name, "first_responded_on"))


def agent_replied(people, ticket: str) -> None:
	"""An agent's e-mail reply on the ticket, as Helpdesk records one (a sent Communication)."""
	frappe.get_doc(
		{
			"doctype": "Communication",
			"communication_type": "Communication",
			"communication_medium": "Email",
			"sent_or_received": "Sent",
			"reference_doctype": "HD Ticket",
			"reference_name": ticket,
			"sender": people.derek,
			"recipients": people.jeff,
			"subject": "Re: your ticket",
			"content": "<p>Looking into it.</p>",
		}
	).insert(ignore_permissions=True)


def test_accepting_resolves_through_helpdesk_and_its_sla_records_it(people, answered):
	before = ticket_state(answered.ticket)
	assert before.sla == "Default" and before.status == "Open" and not before.resolution_date

	accepted = as_user(people.jeff, answers.accept, answered.answer, FEEDBACK)
	assert accepted["accepted"]

	after = ticket_state(answered.ticket)
	assert after.status == "Resolved" and after.feedback == FEEDBACK
	assert after.resolution_date, "Helpdesk's SLA engine fills the resolution date"
	assert after.resolution_time is not None
	assert (
		after.peer_status == "Accepted"
		and after.peer_resolved
		and after.peer_accepted_answer == answered.answer
	)
	assert after._assign == before._assign, "the ticket stays with its agent"
	assert bool(after.first_responded_on) == helpdesk_stamps_first_response_on_resolution(people), (
		"a peer answer is not an agent's first response: only what Helpdesk itself records on resolving"
	)
	assert "accepted the peer answer from Lottie" in frappe.get_all(
		"HD Ticket Activity", filters={"ticket": answered.ticket}, pluck="action"
	)
	assert notifications(people.lottie, "was accepted")
	view = as_user(people.max, tickets.get, answered.ticket)
	assert [a["name"] for a in view["answers"]][0] == answered.answer and view["answers"][0]["accepted"]


def test_helpdesk_asks_the_requester_for_feedback_and_nothing_changes_without_it(people, answered):
	agent_replied(people, answered.ticket)  # v1.2x asks for feedback once an agent has replied; v1.5 always
	with pytest.raises(frappe.ValidationError, match="feedback"):
		as_user(people.jeff, answers.accept, answered.answer)
	state = ticket_state(answered.ticket)
	assert not host.is_done(state) and state.peer_status == "Answered" and not state.peer_accepted_answer
	assert not frappe.db.get_value("Peer Answer", answered.answer, "accepted")


@pytest.mark.parametrize(
	"who, error",
	[
		("lottie", frappe.PermissionError),
		("mia", frappe.PermissionError),
		("derek", frappe.PermissionError),
		("olga", frappe.DoesNotExistError),
	],
)
def test_only_the_requester_accepts(people, answered, who, error):
	with pytest.raises(error):
		as_user(people[who], answers.accept, answered.answer, FEEDBACK)
	assert ticket_state(answered.ticket).status == "Open"


def test_an_unknown_feedback_option_is_a_404(people, answered):
	with pytest.raises(frappe.DoesNotExistError, match="Feedback option"):
		as_user(people.jeff, answers.accept, answered.answer, "Best ever")


def test_a_hidden_answer_cannot_be_accepted(people, answered):
	as_user(people.derek, answers.hide, answered.answer, "Wrong")
	with pytest.raises(frappe.DoesNotExistError):
		as_user(people.jeff, answers.accept, answered.answer, FEEDBACK)


def test_the_requester_may_switch_the_accepted_answer(people, answered):
	update_settings(on_accept="Ask the Agent to Confirm")
	as_user(people.jeff, answers.accept, answered.answer)
	as_user(people.jeff, answers.accept, answered.other)
	assert frappe.get_all(
		"Peer Answer", filters={"ticket": answered.ticket, "accepted": 1}, pluck="name"
	) == [answered.other]
	assert ticket_state(answered.ticket).peer_accepted_answer == answered.other


def test_helpdesk_does_not_let_a_requester_reopen_a_rated_ticket_but_an_agent_may(people, answered):
	as_user(people.jeff, answers.accept, answered.answer, FEEDBACK)
	with pytest.raises(frappe.PermissionError, match="rated tickets cannot be updated by non-agents"):
		as_user(people.jeff, answers.unaccept, answered.answer)
	assert ticket_state(answered.ticket).status == "Resolved"

	as_user(people.derek, answers.unaccept, answered.answer)
	state = ticket_state(answered.ticket)
	assert state.status == "Open" and state.peer_status == "Answered" and not state.peer_resolved
	assert not state.resolution_date, "Helpdesk's SLA engine clears the resolution on reopening"
	assert not frappe.db.get_value("Peer Answer", answered.answer, "accepted")


def test_settings_can_ask_the_agent_to_confirm_instead(people, answered):
	update_settings(on_accept="Ask the Agent to Confirm")
	as_user(people.jeff, answers.accept, answered.answer)
	state = ticket_state(answered.ticket)
	assert state.status == "Open" and not state.resolution_date
	assert state.peer_status == "Accepted" and state.peer_resolved
	assert notifications(people.derek, "please confirm and resolve")
	as_user(people.jeff, answers.unaccept, answered.answer)  # nothing to reopen: Helpdesk lets the requester
	assert ticket_state(answered.ticket).peer_status == "Answered"


def test_an_sla_ticket_keeps_its_first_response_due_through_peer_activity(people):
	ticket = make_ticket(
		"VPN drops every hour", raised_by=people.jeff, customer=people.acme, priority="Medium"
	)
	as_user(people.jeff, tickets.share, ticket.name)
	answer = as_user(people.lottie, answers.create, ticket.name, "<p>Update the VPN client.</p>")["name"]
	as_user(people.mia, answers.vote, answer, 1)
	as_user(people.derek, answers.endorse, answer)
	state = frappe.db.get_value(
		"HD Ticket", ticket.name, ["agreement_status", "first_responded_on", "response_by"], as_dict=True
	)
	assert (
		state.agreement_status == "First Response Due" and not state.first_responded_on and state.response_by
	)
