"""Colleagues answer community tickets; Helpdesk's SLA and first-response tracking do not notice."""

import frappe
import pytest
from helpers import make_ticket

from peer_support.api import answers, tickets

SLA_FIELDS = [
	"status",
	"sla",
	"response_by",
	"resolution_by",
	"agreement_status",
	"first_responded_on",
	"first_response_time",
	"modified",
	"_assign",
	"agent_group",
]


@pytest.fixture
def shared(people):
	ticket = make_ticket(
		"Printer on floor 3 prints blank pages", raised_by=people.jeff, customer=people.acme, priority="Low"
	)
	frappe.set_user(people.jeff)
	tickets.share(ticket.name)
	frappe.set_user("Administrator")
	return ticket.name


def test_a_colleague_answers_and_helpdesk_sla_is_untouched(people, shared):
	before = frappe.db.get_value("HD Ticket", shared, SLA_FIELDS, as_dict=True)
	assert before.sla and before.agreement_status == "First Response Due" and not before.first_responded_on

	frappe.set_user(people.lottie)
	answer = answers.create(shared, '<p>Re-seat the toner.</p><img src=x onerror="alert(1)">')
	assert answer["author"] == "Lottie" and answer["is_mine"]
	assert "onerror" not in answer["body"]
	frappe.set_user("Administrator")

	stored = frappe.get_doc("Peer Answer", answer["name"])
	assert stored.author == people.lottie and "onerror" not in stored.body
	assert frappe.db.get_value("HD Ticket", shared, SLA_FIELDS, as_dict=True) == before
	assert frappe.db.get_value("HD Ticket", shared, "peer_status") == "Answered"
	assert "posted a peer answer" in frappe.get_all(
		"HD Ticket Activity", filters={"ticket": shared}, pluck="action"
	)
	frappe.set_user(people.jeff)
	assert [a["name"] for a in tickets.get(shared)["answers"]] == [answer["name"]]


@pytest.mark.parametrize(
	"who, error, text",
	[
		("jeff", frappe.PermissionError, "requester accepts"),
		("derek", frappe.PermissionError, "agents reply in Helpdesk"),
		("olga", frappe.DoesNotExistError, "not found"),
	],
)
def test_who_may_not_answer(people, shared, who, error, text):
	frappe.set_user(people[who])
	with pytest.raises(error, match=text):
		answers.create(shared, "<p>Try this</p>")


def test_a_private_ticket_cannot_be_answered(people):
	private = make_ticket("Salary question", raised_by=people.jeff, customer=people.acme, priority="Low")
	frappe.set_user(people.lottie)
	with pytest.raises(frappe.DoesNotExistError):
		answers.create(private.name, "<p>Try this</p>")


def test_empty_and_missing_input_is_refused_with_a_message(people, shared):
	frappe.set_user(people.lottie)
	with pytest.raises(frappe.MandatoryError, match="empty"):
		answers.create(shared, "<p> </p>")
	with pytest.raises(frappe.MandatoryError, match="required"):
		answers.create(None, "<p>Hi</p>")
	with pytest.raises(frappe.ValidationError, match="longer than"):
		answers.create(shared, "<p>" + "x" * 20_001 + "</p>")
	frappe.set_user("Administrator")
	assert not frappe.db.exists("Peer Answer", {"ticket": shared})


def test_a_vote_chosen_as_a_deadlocks_victim_runs_again(people, monkeypatch):
	"""InnoDB rolls back the vote it picks to end a deadlock; the API runs it again, no 500."""
	from helpers import as_user, make_answer, shared_ticket

	from peer_support.peer_support.doctype.peer_answer.peer_answer import PeerAnswer

	answer = make_answer(shared_ticket(people, "Monitor flickers after docking"), people.lottie)
	tries, rollbacks = [], []
	original = PeerAnswer.vote

	def vote(self, value=None):
		tries.append(value)
		if len(tries) == 1:
			raise frappe.QueryDeadlockError("(1213, 'Deadlock found when trying to get lock')")
		return original(self, value)

	monkeypatch.setattr(PeerAnswer, "vote", vote)
	# the simulated deadlock wrote nothing; a real rollback would also take this test's own set-up
	monkeypatch.setattr(frappe.db, "rollback", lambda **kwargs: rollbacks.append(kwargs))
	result = as_user(people.mia, answers.vote, answer, 1)
	assert (result["score"], result["my_vote"], len(tries), len(rollbacks)) == (1, 1, 2, 1)
	assert frappe.db.get_value("Peer Answer Vote", {"answer": answer, "voter": people.mia}, "value") == 1

	monkeypatch.setattr(
		PeerAnswer, "vote", lambda self, value=None: (_ for _ in ()).throw(frappe.QueryDeadlockError("again"))
	)
	with pytest.raises(frappe.QueryDeadlockError):
		as_user(people.max, answers.vote, answer, 1)
	assert len(rollbacks) == 1 + answers.DEADLOCK_RETRIES - 1
