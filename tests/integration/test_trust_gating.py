"""Risk gating: a ticket whose type, team or priority the settings exclude is never community-visible,
whichever path tries: the API as requester or agent, the agent's document save, Desk's generic save,
an insert, the default visibility; and after a raw write past every hook, the read paths still refuse it."""

import uuid

import frappe
import frappe.client
import pytest
from helpers import as_user, ensure_team, ensure_ticket_type, make_answer, make_ticket, update_settings

from peer_support.api import answers, community, tickets
from peer_support.services.visibility import SharingNotAllowed, make_excluded_tickets_private

EXCLUSIONS = ("ticket_type", "team", "priority")
REFUSAL = "never shown to the community"


def exclusion_values(exclusion: str) -> dict:
	"""Settings excluding a new ticket type and team (and Urgent); the values of a ticket the `exclusion` hits."""
	run = uuid.uuid4().hex[:8]
	ticket_type = ensure_ticket_type(f"Core banking {run}")
	team = ensure_team(f"Core systems {run}")
	update_settings(
		excluded_ticket_types=[ticket_type], excluded_teams=[team], excluded_priorities=["Urgent"]
	)
	return {
		"ticket_type": {"ticket_type": ticket_type, "priority": "Low"},
		"team": {"agent_group": team, "priority": "Low"},
		"priority": {"priority": "Urgent"},
	}[exclusion]


@pytest.fixture(params=EXCLUSIONS)
def excluded(request, people):
	"""Jeff's private ticket of an excluded type, team or priority."""
	values = exclusion_values(request.param)
	return make_ticket(
		f"Core banking is down {uuid.uuid4().hex[:6]}", raised_by=people.jeff, customer=people.acme, **values
	)


def stored(name) -> str:
	return frappe.db.get_value("HD Ticket", name, "peer_visibility")


def test_the_requester_cannot_share_it(people, excluded):
	with pytest.raises(SharingNotAllowed, match=REFUSAL):
		as_user(people.jeff, tickets.share, excluded.name)
	assert stored(excluded.name) == "Private"


def test_an_agent_cannot_share_it(people, excluded):
	with pytest.raises(SharingNotAllowed, match=REFUSAL):
		as_user(people.derek, tickets.share, excluded.name, "Community")
	assert stored(excluded.name) == "Private"


def test_an_agents_document_save_is_refused(people, excluded):
	frappe.set_user(people.derek)
	doc = frappe.get_doc("HD Ticket", excluded.name)
	doc.peer_visibility = "Community"
	with pytest.raises(SharingNotAllowed, match=REFUSAL):
		doc.save()
	frappe.set_user("Administrator")
	assert stored(excluded.name) == "Private"


def test_desks_generic_save_is_refused(people, excluded):
	"""frappe.client.save, what Desk's form and REST clients call, with the agent's permissions."""
	values = frappe.get_doc("HD Ticket", excluded.name).as_dict() | {"peer_visibility": "Community"}
	with pytest.raises(SharingNotAllowed, match=REFUSAL):
		as_user(people.derek, frappe.client.save, values)
	assert stored(excluded.name) == "Private"


@pytest.mark.parametrize("exclusion", EXCLUSIONS)
def test_an_insert_asking_for_community_is_refused_or_starts_private(people, exclusion):
	values = exclusion_values(exclusion)
	chosen = frappe.get_doc(
		{
			"doctype": "HD Ticket",
			"subject": "Core banking is down",
			"raised_by": people.jeff,
			"peer_visibility": "Community",
			**values,
		}
	)
	chosen.flags.peer_visibility_chosen = True  # the creator chose Community explicitly
	with pytest.raises(SharingNotAllowed, match=REFUSAL):
		chosen.insert()
	unchosen = frappe.get_doc(
		{
			"doctype": "HD Ticket",
			"subject": "Core banking is down",
			"raised_by": people.jeff,
			"peer_visibility": "Community",
			**values,
		}
	).insert()
	assert stored(unchosen.name) == "Private"


@pytest.mark.parametrize("exclusion", EXCLUSIONS)
def test_a_community_default_does_not_reach_it(people, exclusion):
	values = exclusion_values(exclusion)
	update_settings(default_visibility="Community")
	assert stored(make_ticket(raised_by=people.jeff, customer=people.acme, **values).name) == "Private"
	assert (
		stored(make_ticket(raised_by=people.jeff, customer=people.acme, priority="Low").name) == "Community"
	)


@pytest.mark.parametrize("exclusion", EXCLUSIONS)
def test_a_shared_ticket_that_becomes_excluded_goes_private(people, exclusion):
	values = exclusion_values(exclusion)
	ticket = make_ticket(raised_by=people.jeff, customer=people.acme, priority="Low")
	as_user(people.jeff, tickets.share, ticket.name)
	frappe.set_user(people.derek)
	doc = frappe.get_doc("HD Ticket", ticket.name)
	doc.update(values)
	doc.save()  # the agent's change goes through; the ticket leaves the community
	frappe.set_user("Administrator")
	assert stored(ticket.name) == "Private"


def test_a_raw_write_past_every_hook_still_reaches_no_colleague(people, excluded):
	"""frappe.db.set_value skips the document's hooks; every read path checks the settings again."""
	answer = frappe._dict(
		name=make_answer(excluded.name, people.lottie, "<p>Restart the core banking service.</p>")
	)
	frappe.db.set_value(
		"HD Ticket",
		excluded.name,
		{"peer_visibility": "Community", "peer_status": "Accepted", "peer_accepted_answer": answer.name},
	)
	name = excluded.name
	for call, args in (
		(tickets.get, (name,)),
		(tickets.affected, (name,)),
		(tickets.follow, (name,)),
		(answers.create, (name, "<p>Me too</p>")),
		(answers.vote, (answer.name, 1)),
		(answers.flag, (answer.name, "spam")),
		(community.deflect, ("core banking", name)),
	):
		with pytest.raises(frappe.DoesNotExistError):
			as_user(people.mia, call, *args)
	feed = as_user(people.mia, community.feed, search="Core banking", page_size=50)
	assert name not in [row["name"] for row in feed["rows"]]
	similar = as_user(people.mia, community.similar, excluded.subject)
	assert name not in [row["name"] for row in similar["tickets"]]
	frappe.set_user(people.mia)
	assert not frappe.has_permission(
		"HD Ticket", "read", doc=frappe.get_doc("HD Ticket", name), user=people.mia
	)
	frappe.set_user("Administrator")
	# and the withdrawal that runs after the settings change puts the stored value right again
	assert make_excluded_tickets_private() >= 1
	assert stored(name) == "Private"
