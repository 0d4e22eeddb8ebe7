"""Live updates: each change of a ticket's answers is queued for Frappe's realtime to the ticket's own
room, sent only when the transaction commits (nothing of a rolled-back change), carrying no content;
the room's name is a keyed hash of the ticket and its visibility, handed out with the ticket only."""

import json
import time

import frappe
import pytest
from frappe.utils.background_jobs import get_redis_connection_without_auth
from helpers import make_ticket, shared_ticket

from peer_support import host
from peer_support.api import answers, tickets
from peer_support.services import live


@pytest.fixture
def shared(people):
	return shared_ticket(people, "Monitor flickers on the dock")


def queued() -> list[dict]:
	"""This app's events waiting for the commit: each message, with the Frappe room it goes `to`."""
	return [
		{"to": room, **message}
		for event, message, room in getattr(frappe.local, "_realtime_log", [])
		if event == live.EVENT
	]


def room(ticket: str, visibility: str = "Community") -> str:
	return "task_progress:" + live.room_token(ticket, visibility)


def test_every_change_of_the_answers_is_queued_for_the_tickets_room(people, shared):
	shared_at = len(queued())  # sharing itself told the pages on the private ticket
	frappe.set_user(people.lottie)
	first = answers.create(shared, "<p>Swap the cable.</p>")["name"]
	frappe.set_user(people.mia)
	second = answers.create(shared, "<p>Turn it off and on.</p>")["name"]
	answers.vote(first, 1)
	frappe.set_user(people.jeff)
	answers.accept(first, host.feedback_options()[0]["name"])  # Helpdesk v1.5 asks for feedback
	frappe.set_user(people.derek)
	answers.endorse(first)
	frappe.get_doc("Peer Answer", second).hide("Off topic")  # as Desk and REST's run_doc_method call it
	events = queued()[shared_at:]
	assert [(e["kind"], e["answer"]) for e in events] == [
		("answer", first),
		("answer", second),
		("vote", first),
		("accept", first),
		("endorse", first),
		("hide", second),
	]
	assert {e["to"] for e in events} == {room(shared)}
	assert {e["room"] for e in events} == {live.room_token(shared, "Community")}  # the page's own name
	# No content leaves through the socket: the page reads the ticket again through the API.
	assert all(set(e) == {"to", "room", "ticket", "kind", "answer"} and e["ticket"] == shared for e in events)


def test_nothing_is_sent_before_the_commit_and_nothing_of_a_rollback(people, shared):
	pubsub = get_redis_connection_without_auth().pubsub()
	pubsub.subscribe("events")
	try:
		pubsub.get_message(timeout=1)  # the subscription's confirmation
		frappe.set_user(people.lottie)
		answers.create(shared, "<p>Update the dock's firmware.</p>")
		assert queued(), "queued for the commit"
		frappe.db.rollback()
		assert not queued(), "a rolled-back change is never announced"
		deadline, sent = time.monotonic() + 1, []
		while time.monotonic() < deadline:
			message = pubsub.get_message(timeout=0.2)
			if message and message["type"] == "message":
				sent.append(json.loads(message["data"]))
		assert not [m for m in sent if m["event"] == live.EVENT and m["message"]["ticket"] == shared]
	finally:
		pubsub.close()


def test_the_room_is_handed_out_with_the_ticket_and_moves_when_it_is_made_private(people, shared):
	frappe.set_user(people.lottie)
	assert tickets.get(shared)["live_room"] == live.room_token(shared, "Community")
	frappe.set_user(people.jeff)
	tickets.share(shared, "Private")
	# the pages open on the shared ticket hear that it changed; the requester's page moves rooms
	assert [(e["to"], e["kind"]) for e in queued()][-1] == (room(shared), "visibility")
	assert (
		tickets.get(shared)["live_room"]
		== live.room_token(shared, "Private")
		!= live.room_token(shared, "Community")
	)
	frappe.set_user(people.lottie)
	with pytest.raises(frappe.DoesNotExistError):
		tickets.get(shared)  # no longer hers to read, nor its room


def test_room_names_differ_per_ticket_and_visibility(people, shared):
	other = str(make_ticket("Another", raised_by=people.jeff, customer=people.acme, priority="Low").name)
	assert live.room_token(shared, "Community") != live.room_token(other, "Community")
	assert live.room_token(shared, "Community") != live.room_token(shared, "Private")
	assert len(live.room_token(shared, "Community")) == len("peer-support-") + 40
