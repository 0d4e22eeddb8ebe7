"""The reputation ledger, totals, badges, leaderboards and routing, on a real site."""

import os
import threading

import frappe
import pytest
from helpers import (
	as_user,
	ensure_ticket_type,
	make_customer,
	make_user,
	notifications,
	shared_ticket,
	update_settings,
)

from peer_support.api import answers, profiles
from peer_support.services import badges as badge_service
from peer_support.services import reputation, routing


@pytest.fixture(autouse=True)
def no_daily_cap():
	"""Earlier votes today (other tests, timings) must not cap these tests' points; the cap has its own test."""
	update_settings(daily_vote_cap=10**6)


@pytest.fixture(autouse=True)
def fresh_boards():
	"""Colleagues' boards are cached for a minute; these tests read boards they have just changed."""
	profiles.forget_colleague_boards()


@pytest.fixture
def answered(people):
	ensure_ticket_type("Printers")
	ticket = shared_ticket(people, ticket_type="Printers")
	answer = as_user(people.lottie, answers.create, ticket, "<p>Re-seat the toner cartridge.</p>")["name"]
	return frappe._dict(ticket=ticket, answer=answer)


def profile(user: str) -> frappe._dict:
	return frappe.db.get_value(
		"Peer Profile", user, ["reputation", "answers", "accepted", "endorsed", "helpful_votes"], as_dict=True
	)


def ledger(user: str, answer: str | None = None) -> list[tuple[str, int]]:
	filters = {"user": user} | ({"answer": answer} if answer else {})
	return [
		(r.reason, r.points)
		for r in frappe.get_all(
			"Peer Reputation Event",
			filters=filters,
			fields=["reason", "points"],
			order_by="creation asc, name asc",
		)
	]


def test_every_action_writes_the_ledger_and_its_reversal(people, answered):
	base = profile(people.lottie).reputation
	as_user(people.mia, answers.vote, answered.answer, 1)
	as_user(people.mia, answers.vote, answered.answer, -1)
	as_user(people.mia, answers.vote, answered.answer, 0)
	as_user(people.derek, answers.endorse, answered.answer)
	as_user(people.jeff, answers.accept, answered.answer, "Clear guidance given")
	as_user(people.derek, answers.unaccept, answered.answer)
	as_user(people.derek, answers.unendorse, answered.answer)
	assert ledger(people.lottie, answered.answer) == [
		("Upvote", 10),
		("Upvote Retracted", -10),
		("Downvote", -2),
		("Downvote Retracted", 2),
		("Endorsed", 20),
		("Accepted", 15),
		("Accept Withdrawn", -15),
		("Endorsement Withdrawn", -20),
	]
	assert profile(people.lottie).reputation == base
	assert reputation.differences() == {}


def test_hiding_takes_back_what_the_answer_earned_and_unhiding_gives_it_back(people, answered):
	as_user(people.mia, answers.vote, answered.answer, 1)
	as_user(people.max, answers.vote, answered.answer, 1)
	before = profile(people.lottie).reputation
	as_user(people.derek, answers.hide, answered.answer, "Unsafe")
	assert profile(people.lottie).reputation == before - 20 - 10
	with pytest.raises(frappe.ValidationError, match="show it again first"):
		as_user(people.derek, answers.endorse, answered.answer)
	as_user(people.derek, answers.unhide, answered.answer)
	assert profile(people.lottie).reputation == before
	assert reputation.differences() == {}


def test_totals_counts_and_leaderboards_follow_the_ledger(people, answered):
	as_user(people.mia, answers.vote, answered.answer, 1)
	as_user(people.derek, answers.endorse, answered.answer)
	lottie = profile(people.lottie)
	assert lottie.answers >= 1 and lottie.helpful_votes >= 1 and lottie.endorsed >= 1
	for period in ("all", "month", "week"):
		board = as_user(people.max, profiles.leaderboard, period, "Printers")
		assert board[0]["full_name"] == "Lottie" and board[0]["points"] >= 30, period
		overall = as_user(people.max, profiles.leaderboard, period, None, 100)
		assert [row["points"] for row in overall] == sorted((row["points"] for row in overall), reverse=True)
		assert not any("@" in str(value) for row in board + overall for value in row.values()), (
			"no email addresses"
		)
	with pytest.raises(frappe.ValidationError):
		as_user(people.max, profiles.leaderboard, "decade")


def test_leaderboards_and_profiles_show_only_the_audience(people, answered):
	"""With the audience "same customer", Olga (Globex) sees neither Acme's people on the leaderboards
	nor their profiles (404, as for nobody); agents see everyone; with "all portal users", so does Olga."""
	as_user(people.mia, answers.vote, answered.answer, 1)  # Lottie (Acme) has points in Printers

	def names(user: str, topic: str | None = "Printers") -> set[str]:
		profiles.forget_colleague_boards()
		return {row["full_name"] for row in as_user(user, profiles.leaderboard, "all", topic, 100)}

	assert "Lottie" in names(people.max) and "Lottie" in names(people.derek)
	acme_people = {"Jeff", "Lottie", "Mia", "Max"}
	assert names(people.olga).isdisjoint(acme_people) and names(people.olga, None).isdisjoint(acme_people)
	assert as_user(people.max, profiles.get, people.lottie)["full_name"] == "Lottie"
	assert as_user(people.derek, profiles.get, people.lottie)["full_name"] == "Lottie"
	with pytest.raises(frappe.DoesNotExistError, match="Profile not found"):
		as_user(people.olga, profiles.get, people.lottie)
	assert as_user(people.olga, profiles.get)["is_me"], "one's own profile, always"

	update_settings(audience="All Portal Users")
	assert "Lottie" in names(people.olga)
	assert as_user(people.olga, profiles.get, people.lottie)["full_name"] == "Lottie"


def test_the_daily_cap_limits_points_from_votes(people, answered):
	update_settings(daily_vote_cap=reputation.vote_points_today(people.lottie) + 15)  # room for 15 more today
	as_user(people.mia, answers.vote, answered.answer, 1)
	as_user(people.max, answers.vote, answered.answer, 1)
	assert ledger(people.lottie, answered.answer)[-2:] == [("Upvote", 10), ("Upvote", 5)]
	assert (
		frappe.db.get_value("Peer Answer Vote", {"answer": answered.answer, "voter": people.max}, "points")
		== 5
	)
	as_user(people.max, answers.vote, answered.answer, 0)
	assert ledger(people.lottie, answered.answer)[-1] == ("Upvote Retracted", -5)


def test_votes_of_new_accounts_can_count_zero(people, answered):
	update_settings(new_user_days=30)
	as_user(people.mia, answers.vote, answered.answer, 1)
	assert frappe.db.get_value("Peer Answer", answered.answer, "score") == 1  # the vote is shown
	assert ledger(people.lottie, answered.answer) == []  # but earns nothing


def test_serial_voting_is_reversed_by_the_daily_job(people):
	update_settings(serial_threshold=3, serial_window_hours=24)
	names = []
	for subject in ("Printer jams", "Toner streaks", "Scanner to email fails"):
		ticket = shared_ticket(people, subject)
		names.append(as_user(people.lottie, answers.create, ticket, f"<p>Fix for {subject}</p>")["name"])
	for name in names:
		as_user(people.mia, answers.vote, name, 1)
	as_user(people.max, answers.vote, names[0], 1)  # a single vote of another colleague stays
	assert reputation.reverse_serial_votes() >= 3
	points = {
		(row.voter, row.answer): row.points
		for row in frappe.get_all(
			"Peer Answer Vote", filters={"answer": ["in", names]}, fields=["voter", "answer", "points"]
		)
	}
	assert [points[(people.mia, name)] for name in names] == [0, 0, 0], "Mia's serial votes now earn nothing"
	assert points[(people.max, names[0])] == 10, "a single vote of another colleague stays"
	reversed_rows = frappe.get_all(
		"Peer Reputation Event",
		filters={"reason": "Serial Vote Reversed", "actor": people.mia, "answer": ["in", names]},
		pluck="points",
	)
	assert sorted(reversed_rows) == [-10, -10, -10]
	assert reputation.reverse_serial_votes() == 0, "a second run reverses nothing again"
	as_user(people.mia, answers.vote, names[0], 0)  # retracting a reversed vote takes back nothing more
	assert reputation.differences() == {}


def test_the_first_answer_badge_is_awarded_once(people, answered):
	badges = frappe.get_all("Peer Profile Badge", filters={"parent": people.lottie, "badge": "first_answer"})
	assert len(badges) == 1
	as_user(people.lottie, answers.create, answered.ticket, "<p>Or print from the web portal.</p>")
	assert (
		len(frappe.get_all("Peer Profile Badge", filters={"parent": people.lottie, "badge": "first_answer"}))
		== 1
	)
	assert "First Answer" in [b["title"] for b in as_user(people.lottie, profiles.get)["badges"]]


def test_badges_are_awarded_by_the_event_that_reaches_them_and_swept_after_a_recompute(people):
	"""The tenth helpful vote earns Helpful, not the ninth nor the eleventh; accepting the answer lifts
	the topic score over 50 (Topic Expert in that topic); a badge the totals reached without an event
	(here: its row deleted) comes back by the sweep that `peer-support-recompute` runs, once."""
	run = frappe.generate_hash(length=6)
	topic = ensure_ticket_type(f"Badges {run}")
	acme = make_customer("Acme Test")
	author = make_user(f"badge-author-{run}@acme.test", "Bea", acme)
	voters = [make_user(f"badge-voter-{i}-{run}@acme.test", f"Voter {i}", acme) for i in range(11)]
	ticket = shared_ticket(people, f"Badge story {run}: the card reader rejects my badge", ticket_type=topic)
	answer = as_user(author, answers.create, ticket, "<p>Re-register the card at reception.</p>")["name"]

	def held(badge: str) -> list[str]:
		return frappe.get_all("Peer Profile Badge", filters={"parent": author, "badge": badge}, pluck="topic")

	for voter in voters[:9]:
		as_user(voter, answers.vote, answer, 1)
	assert held("helpful") == []
	as_user(voters[9], answers.vote, answer, 1)
	assert held("helpful") == [""]
	assert notifications(author, "You earned the badge Helpful")
	as_user(voters[10], answers.vote, answer, 1)
	assert held("helpful") == [""], "awarded once"

	as_user(people.derek, answers.endorse, answer)  # topic score 2 x 11 + 20 = 42: not yet
	assert held("topic_expert") == []
	as_user(people.jeff, answers.accept, answer, "Clear guidance given")  # + 15 = 57
	assert held("topic_expert") == [topic]

	frappe.db.delete("Peer Profile Badge", {"parent": author, "badge": "helpful"})
	assert (author, "helpful", "") in {(user, badge.name, t) for user, badge, t in badge_service.missing()}
	assert badge_service.sweep(announce=False) >= 1
	assert held("helpful") == [""]
	assert author not in {user for user, _badge, _topic in badge_service.missing()}
	assert reputation.differences() == {}


def test_users_choose_their_involvement_and_topics(people):
	ensure_ticket_type("Printers")
	mine = as_user(people.max, profiles.update, "Daily Digest", ["Printers"])
	assert mine["involvement"] == "Daily Digest" and mine["topics"] == ["Printers"]
	with pytest.raises(frappe.ValidationError, match="Involvement must be"):
		as_user(people.max, profiles.update, "Hourly")
	with pytest.raises(frappe.DoesNotExistError, match="Unknown topic"):
		as_user(people.max, profiles.update, None, ["Quantum"])
	public = as_user(people.mia, profiles.get, people.max)
	assert "involvement" not in public and "topics" not in public


def test_routing_tells_exactly_the_opted_in_top_experts_who_may_read_it(people):
	ensure_ticket_type("Printers")
	update_settings(experts_to_notify=2)
	ann = make_user("ann@acme.test", "Ann", "Acme Test")
	for user, level, topics in (
		(people.lottie, "Real Time", []),
		(people.mia, "Real Time", ["Printers"]),
		(people.max, "Real Time", []),
		(ann, "Daily Digest", ["Printers"]),
		(people.olga, "Real Time", ["Printers"]),
	):
		as_user(user, profiles.update, level, topics)
	# Lottie and Olga have standing in the topic; Olga works elsewhere, so may not read Acme's ticket.
	for user in (people.lottie, people.olga, ann):
		reputation.record([reputation.Event(user, 15, "Accepted", "", people.jeff)], topic="Printers")

	ticket = shared_ticket(people, "Printer on floor 5 offline", ticket_type="Printers")

	told = set(
		frappe.get_all("Peer Routing", filters={"ticket": ticket, "channel": "Real Time"}, pluck="user")
	)
	assert told == {people.lottie, people.mia}
	assert notifications(people.lottie, "Printer on floor 5 offline")
	assert not notifications(people.max, "Printer on floor 5 offline")
	assert not notifications(people.olga, "Printer on floor 5 offline")

	# Ann chose a daily digest: it has the ticket; Mia, told in real time, is not in a digest.
	assert routing.send_daily_digests() >= 1
	assert frappe.db.get_value("Peer Routing", {"ticket": ticket, "user": ann}, "channel") == "Daily Digest"
	assert notifications(ann, "open questions from colleagues")
	as_user(people.mia, profiles.update, "Daily Digest")
	assert ticket not in [str(q.name) for q in routing.open_questions_for(people.mia, 1)]
	assert routing.open_questions_for(ann, 1) == [], "a digest does not repeat itself"


def test_concurrent_votes_leave_totals_equal_to_the_ledger(people, answered):
	"""Ten colleagues vote at once, each in their own thread and database connection."""
	voters = [make_user(f"voter{i}@acme.test", f"Voter {i}", "Acme Test") for i in range(10)]
	frappe.db.commit()  # the threads read committed data (the site is the harness's throw-away site)
	site, sites_path = frappe.local.site, os.environ.get("PEER_SUPPORT_SITES_PATH", ".")
	errors = []

	def vote(user: str, value: int):
		frappe.init(site=site, sites_path=sites_path)
		frappe.connect()
		try:
			frappe.set_user(user)
			answers.vote(answered.answer, value)
			frappe.db.commit()
		except Exception as error:  # collected and asserted on below
			errors.append(repr(error))
			frappe.db.rollback()
		finally:
			frappe.destroy()

	threads = [
		threading.Thread(target=vote, args=(user, 1 if i % 3 else -1)) for i, user in enumerate(voters)
	]
	for thread in threads:
		thread.start()
	for thread in threads:
		thread.join()
	assert errors == []
	frappe.db.rollback()  # see what the threads committed
	assert frappe.db.count("Peer Answer Vote", {"answer": answered.answer}) == 10
	assert frappe.db.get_value("Peer Answer", answered.answer, "score") == 6 - 4
	assert reputation.differences() == {}
