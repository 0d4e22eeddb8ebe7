"""The peer window on a real site: time moves by freezegun (as Frappe's own tests do), never by sleeping."""

from datetime import timedelta

import frappe
import pytest
from frappe.utils import get_datetime, now_datetime
from helpers import as_user, ensure_ticket_type, frozen, notifications, shared_ticket, update_settings

from peer_support import host
from peer_support.api import answers, tickets
from peer_support.peer_support.report.peer_window import peer_window
from peer_support.services import notify
from peer_support.services import peer_window as window

SUBJECT = "colleagues did not solve it within the peer window"


@pytest.fixture
def t0():
	return now_datetime().replace(microsecond=0)


def share_at(people, moment, subject, **values) -> tuple[str, timedelta]:
	"""A ticket Jeff shares at `moment`, and its first-response budget: Helpdesk's own Response By (by
	its SLA and working hours, so the budget depends on the weekday) minus the moment of sharing."""
	with frozen(moment):
		name = shared_ticket(people, subject, **values)
	response_by = frappe.db.get_value(host.TICKET, name, host.RESPONSE_BY)
	assert response_by, "Helpdesk's default SLA gives every ticket a first-response deadline"
	return name, get_datetime(response_by) - moment


def sla_of(ticket: str) -> dict:
	return frappe.db.get_value(
		host.TICKET, ticket, [*host.sla_fields(), "modified", "priority"], as_dict=True
	)


def activity(ticket: str) -> list[str]:
	return frappe.get_all("HD Ticket Activity", filters={"ticket": ticket}, pluck="action")


def test_the_window_passes_the_ticket_is_escalated_once_and_helpdesks_sla_is_unchanged(people, t0):
	update_settings(peer_window_share=50, peer_window_step_priority=0, peer_window_overrides=[])
	ticket, budget = share_at(people, t0, "Badge reader at the side door stays red")
	assert get_datetime(frappe.db.get_value(host.TICKET, ticket, "peer_shared_on")) == t0
	deadline = t0 + budget / 2
	with frozen(t0 + budget / 10):
		page = as_user(people.lottie, tickets.get, ticket)
	assert page["service_desk_on_it"] is False and get_datetime(page["peer_window_ends"]) == deadline

	before = sla_of(ticket)
	with frozen(deadline - timedelta(minutes=1)):
		assert ticket not in window.escalate_due()
	assert not frappe.db.get_value(host.TICKET, ticket, "peer_escalated_on")

	frappe.db.set_value(host.TICKET, ticket, "_assign", frappe.as_json([people.derek]), update_modified=False)
	agents = notify.ticket_agents(ticket)
	assert agents == [people.derek]
	with frozen(deadline + timedelta(minutes=1)):
		assert ticket in window.escalate_due()
	assert get_datetime(
		frappe.db.get_value(host.TICKET, ticket, "peer_escalated_on")
	) == deadline + timedelta(minutes=1)
	assert any("escalated this ticket to the service desk" in action for action in activity(ticket))
	for agent in agents:
		assert len(notifications(agent, SUBJECT)) == 1
	# Helpdesk's SLA fields (and the ticket's modified time) are exactly as Helpdesk left them
	assert sla_of(ticket) == before
	assert before[host.FIRST_RESPONDED_ON] is None

	# once: later runs leave it alone
	with frozen(deadline + budget / 4):
		assert ticket not in window.escalate_due()
	for agent in agents:
		assert len(notifications(agent, SUBJECT)) == 1
	assert sum("escalated this ticket" in action for action in activity(ticket)) == 1

	page = as_user(people.lottie, tickets.get, ticket)
	assert page["service_desk_on_it"] is True and page["peer_window_ends"] is None


def test_an_accepted_answer_inside_the_window_is_not_escalated_and_saves_desk_time(people, t0):
	topic = ensure_ticket_type("Window Report Topic")
	update_settings(peer_window_share=50, peer_window_step_priority=0, peer_window_overrides=[])
	solved, budget = share_at(people, t0, "Wi-Fi on floor 2 drops every hour", ticket_type=topic)
	late, _ = share_at(people, t0, "Monitor flickers after lunch", ticket_type=topic)
	accepted_at = (t0 + budget / 5).replace(microsecond=0)
	with frozen(t0 + budget / 10):
		answer = as_user(people.lottie, answers.create, solved, "Forget the network and join again.")["name"]
	feedback = host.feedback_options()[0]["name"]  # Helpdesk v1.5 asks a requester resolving for it
	with frozen(accepted_at):
		as_user(people.jeff, answers.accept, answer, feedback)
	assert get_datetime(frappe.db.get_value(host.TICKET, solved, "peer_accepted_on")) == accepted_at

	with frozen(t0 + budget * 0.6):
		due = window.escalate_due()
	assert solved not in due and late in due

	report = peer_window.execute({"from_date": t0.date(), "to_date": t0.date(), "ticket_type": topic})
	(row,) = report[1]
	# two with a window, one solved inside it (accepted at a fifth of the budget, window half), one
	# escalated; saved: Response By minus the acceptance
	response_by = get_datetime(frappe.db.get_value(host.TICKET, solved, host.RESPONSE_BY))
	assert row["with_window"] == 2 and row["solved_inside"] == 1 and row["escalated"] == 1
	assert row["desk_hours_saved"] == round((response_by - accepted_at).total_seconds() / 3600, 2)
	assert row["desk_hours_saved"] > 0
	assert row["solved_inside_share"] == 50.0


def test_an_answer_verified_by_it_stops_the_escalation(people, t0):
	update_settings(peer_window_share=50, peer_window_step_priority=0, peer_window_overrides=[])
	ticket, budget = share_at(people, t0, "Shared drive asks for a password again")
	answer = as_user(people.lottie, answers.create, ticket, "Remove the saved credential, then log in.")[
		"name"
	]
	as_user(people.derek, answers.endorse, answer)
	with frozen(t0 + budget * 0.9):
		assert ticket not in window.escalate_due()


def test_an_override_per_ticket_type_shortens_the_window(people, t0):
	topic = ensure_ticket_type("Window Quick Topic")
	update_settings(
		peer_window_share=50,
		peer_window_step_priority=0,
		peer_window_overrides=[{"ticket_type": topic, "share": 25}],
	)
	quick, budget = share_at(people, t0, "Keyboard types the wrong letters", ticket_type=topic)
	normal, normal_budget = share_at(people, t0, "Mouse pointer jumps around")
	assert budget == normal_budget  # same priority, same SLA
	with frozen(t0 + budget * 0.375):  # past 25 %, not past 50 %
		due = window.escalate_due()
	assert quick in due and normal not in due


def test_the_optional_priority_step_goes_through_helpdesk(people, t0):
	update_settings(peer_window_share=50, peer_window_step_priority=1, peer_window_overrides=[])
	ticket, budget = share_at(people, t0, "Laptop dock does not charge", priority="Low")
	expected = min(
		((rank, name) for name, rank in host.priority_ranks().items() if rank < host.priority_ranks()["Low"]),
		key=lambda pair: -pair[0],
	)[1]
	with frozen(t0 + budget * 0.6):
		assert ticket in window.escalate_due()
	doc = frappe.get_doc(host.TICKET, ticket)
	assert doc.priority == expected
	# the step is Helpdesk's save; a peer answer or an escalation is never the desk's first response
	assert doc.get(host.FIRST_RESPONDED_ON) is None
	assert any(expected in action for action in activity(ticket))
	with frozen(t0 + budget * 0.7):
		assert ticket not in window.escalate_due()
	assert frappe.db.get_value(host.TICKET, ticket, "priority") == expected


@pytest.mark.parametrize("who", ["jeff", "derek", "Administrator"])
def test_the_peer_fields_of_the_window_cannot_be_set_directly_by_anyone(people, t0, who):
	ticket, _ = share_at(people, t0, "Phone headset is silent")
	doc = frappe.get_doc(host.TICKET, ticket)
	doc.peer_escalated_on = t0
	frappe.set_user(people.get(who, who))
	try:
		with pytest.raises(frappe.PermissionError, match="kept by Peer Support"):
			doc.save()
	finally:
		frappe.set_user("Administrator")
