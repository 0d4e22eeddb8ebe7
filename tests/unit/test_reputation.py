"""Reputation rules: points, their exact reversal, caps, serial voting, totals, badges, experts."""

import itertools
from datetime import datetime, timedelta

import pytest

from peer_support.core import reputation as rep
from peer_support.core.reputation import (
	BADGES,
	REAL_TIME,
	Event,
	Expert,
	Rules,
	Standing,
	Totals,
	VoteRecord,
	VoteRefusal,
	VoteRefused,
	accept_events,
	apply,
	badges_crossed,
	badges_earned,
	differences,
	endorse_events,
	hide_events,
	serial_reversal_events,
	serial_votes,
	top_experts,
	topic_score,
	totals_from_ledger,
	vote_events,
	vote_refusal,
)

RULES = Rules()
T0 = datetime(2026, 11, 23, 9, 0)


def vote(old, new, old_points=0, today=0, age=365, rules=RULES, voter="bob", requester="carol"):
	return vote_events(rules, "ANS-1", "alice", voter, old, new, requester, age, today, old_points)


def summary(events):
	return [(e.user, e.points, e.reason) for e in events]


# Votes


def test_an_upvote_and_a_downvote_pay_the_author():
	up = vote(0, 1)
	assert summary(up.events) == [("alice", 10, "Upvote")]
	assert up.events[0] == Event("alice", 10, "Upvote", "ANS-1", "bob")
	assert up.new_vote_points == 10
	down = vote(0, -1)
	assert summary(down.events) == [("alice", -2, "Downvote")] and down.new_vote_points == -2


def test_retracting_compensates_what_the_vote_earned():
	assert summary(vote(1, 0, old_points=10).events) == [("alice", -10, "Upvote Retracted")]
	assert summary(vote(-1, 0, old_points=-2).events) == [("alice", 2, "Downvote Retracted")]
	assert vote(1, 0, old_points=10).new_vote_points == 0


def test_switching_a_vote_retracts_then_casts():
	assert summary(vote(1, -1, old_points=10).events) == [
		("alice", -10, "Upvote Retracted"),
		("alice", -2, "Downvote"),
	]
	assert summary(vote(-1, 1, old_points=-2).events) == [
		("alice", 2, "Downvote Retracted"),
		("alice", 10, "Upvote"),
	]


def test_retraction_uses_the_stored_points_not_todays_rules():
	assert summary(vote(1, 0, old_points=4, rules=Rules(upvote=50)).events) == [
		("alice", -4, "Upvote Retracted")
	]
	assert vote(1, 0, old_points=0).events == []  # it earned nothing (capped or from a new account)


@pytest.mark.parametrize(
	"voter, requester, old, new, refusal",
	[
		("alice", "carol", 0, 1, VoteRefusal.OWN_ANSWER),
		("carol", "carol", 0, 1, VoteRefusal.OWN_TICKET),
		("bob", "carol", 1, 1, VoteRefusal.SAME_VOTE),
		("bob", "carol", 0, 0, VoteRefusal.SAME_VOTE),
		("bob", "carol", 0, 2, VoteRefusal.INVALID_VALUE),
		("bob", "carol", -2, 0, VoteRefusal.INVALID_VALUE),
	],
)
def test_refused_votes(voter, requester, old, new, refusal):
	assert vote_refusal("alice", voter, requester, old, new) is refusal
	with pytest.raises(VoteRefused) as raised:
		vote(old, new, voter=voter, requester=requester)
	assert raised.value.reason is refusal


def test_a_ticket_without_requester_refuses_nobody():
	assert vote_refusal("alice", "bob", None, 0, 1) is None
	assert vote_refusal("alice", "bob", "", 0, -1) is None


def test_upvotes_are_capped_per_day_and_downvotes_never():
	assert vote(0, 1, today=195).new_vote_points == 5
	assert vote(0, 1, today=200).events == [] and vote(0, 1, today=200).new_vote_points == 0
	assert vote(0, 1, today=230).new_vote_points == 0
	assert vote(0, -1, today=500).new_vote_points == -2
	assert vote(1, 0, old_points=10, today=500).events[0].points == -10  # compensation is never capped


def test_votes_of_new_accounts_earn_nothing_and_retract_to_nothing():
	rules = Rules(new_user_days=7)
	assert vote(0, 1, age=3, rules=rules) == rep.VoteOutcome([], 0)
	assert vote(0, -1, age=6.9, rules=rules).events == []
	assert vote(1, 0, old_points=0, age=3, rules=rules).events == []
	assert vote(0, 1, age=7, rules=rules).new_vote_points == 10
	assert vote(0, 1, age=0, rules=Rules(new_user_days=0)).new_vote_points == 10  # 0 = off


def play(values, today, age, rules):
	"""Vote through `values`, then retract; the sum of all events."""
	total, old, stored = 0, 0, 0
	for new in [*values, 0]:
		if new == old:
			continue
		outcome = vote(old, new, old_points=stored, today=today, age=age, rules=rules)
		assert sum(e.points for e in outcome.events) == outcome.new_vote_points - stored
		total += sum(e.points for e in outcome.events)
		old, stored = new, outcome.new_vote_points
	return total


@pytest.mark.parametrize("today, age", [(0, 365), (195, 365), (200, 365), (0, 1)])
def test_any_sequence_of_votes_then_retraction_sums_to_zero(today, age):
	rules = Rules(new_user_days=3)
	for length in range(1, 5):
		for values in itertools.product((-1, 0, 1), repeat=length):
			assert play(values, today, age, rules) == 0


try:
	from hypothesis import given
	from hypothesis import strategies as st
except ImportError:  # hypothesis is optional
	pass
else:

	@given(
		st.lists(st.sampled_from((-1, 0, 1)), max_size=12),
		st.integers(0, 400),
		st.integers(0, 30),
		st.integers(0, 40),
		st.integers(-20, 0),
		st.integers(0, 300),
	)
	def test_retraction_symmetry_for_any_rules(values, today, age, upvote, downvote, cap):
		rules = Rules(upvote=upvote, downvote=downvote, daily_vote_cap=cap, new_user_days=7)
		assert play(values, today, age, rules) == 0


# Accept, endorse, hide


def test_accepting_pays_and_withdrawing_takes_back_what_was_earned():
	assert accept_events(RULES, "ANS-1", "alice", "carol", True, 0) == [
		Event("alice", 15, "Accepted", "ANS-1", "carol")
	]
	assert summary(accept_events(RULES, "ANS-1", "alice", "carol", False, 15)) == [
		("alice", -15, "Accept Withdrawn")
	]
	assert accept_events(RULES, "ANS-1", "alice", "carol", False, 0) == []
	assert accept_events(RULES, "ANS-1", "alice", "alice", True, 0) == []


def test_endorsing_pays_and_withdrawing_takes_back_what_was_earned():
	assert endorse_events(RULES, "ANS-1", "alice", "agent", True, 0) == [
		Event("alice", 20, "Endorsed", "ANS-1", "agent")
	]
	assert summary(endorse_events(Rules(endorsed=30), "ANS-1", "alice", "agent", False, 20)) == [
		("alice", -20, "Endorsement Withdrawn")
	]
	assert endorse_events(RULES, "ANS-1", "agent", "agent", True, 0) == []


def test_hiding_takes_back_earnings_plus_a_penalty_and_unhiding_restores_it():
	hidden = hide_events(RULES, "ANS-1", "alice", "agent", True, 45)
	assert hidden == [Event("alice", -55, "Hidden", "ANS-1", "agent")]
	unhidden = hide_events(RULES, "ANS-1", "alice", "agent", False, 0, hide_points=-55)
	assert summary(unhidden) == [("alice", 55, "Unhidden")]
	assert summary(hide_events(RULES, "ANS-1", "alice", "agent", True, -6)) == [("alice", -10, "Hidden")]
	assert hide_events(Rules(hidden=0), "ANS-1", "alice", "agent", True, 0) == []
	assert hide_events(RULES, "ANS-1", "alice", "agent", False, 99, hide_points=0) == []


# Serial voting


def record(voter="bob", author="alice", answer="A1", hours=0.0, points=10, value=1):
	return VoteRecord(voter, author, answer, value, points, T0 + timedelta(hours=hours))


def burst(count, spacing_hours=1.0, **kwargs):
	return [record(answer=f"A{i}", hours=i * spacing_hours, **kwargs) for i in range(count)]


def test_votes_at_the_threshold_are_serial():
	votes = burst(5)
	assert serial_votes(votes, RULES, T0 + timedelta(days=2)) == votes


def test_votes_below_the_threshold_are_not():
	assert serial_votes(burst(4), RULES, T0 + timedelta(days=2)) == []


def test_repeated_votes_on_one_answer_count_once():
	votes = [record(answer="A1", hours=h) for h in range(3)] + [
		record(answer=f"B{i}", hours=3) for i in range(4)
	]
	assert serial_votes(votes[:6], RULES, T0 + timedelta(days=1)) == []  # 4 distinct answers
	assert serial_votes(votes, RULES, T0 + timedelta(days=1)) == votes


def test_votes_spread_beyond_the_window_are_not_serial():
	assert serial_votes(burst(5, spacing_hours=6), RULES, T0 + timedelta(days=3)) == []  # 0h..24h
	assert len(serial_votes(burst(5, spacing_hours=5.9), RULES, T0 + timedelta(days=3))) == 5


def test_only_votes_inside_a_serial_window_are_returned():
	early = record(answer="OLD", hours=-30)
	votes = [early, *burst(5)]
	assert serial_votes(votes, RULES, T0 + timedelta(days=2)) == votes[1:]


def test_votes_on_different_authors_or_by_different_voters_are_separate():
	spread = [record(author=f"author{i}", answer=f"A{i}") for i in range(5)]
	voters = [record(voter=f"voter{i}", answer=f"A{i}") for i in range(5)]
	assert serial_votes(spread + voters, RULES, T0 + timedelta(days=1)) == []
	mixed = burst(5) + spread
	assert serial_votes(mixed, RULES, T0 + timedelta(days=1)) == burst(5)


def test_retracted_and_future_votes_are_ignored():
	assert (
		serial_votes(burst(4) + [record(answer="X", value=0, points=0)], RULES, T0 + timedelta(days=1)) == []
	)
	assert serial_votes(burst(5), RULES, T0 + timedelta(hours=3)) == []


def test_a_lower_threshold_and_window_come_from_the_rules():
	rules = Rules(serial_threshold=3, serial_window_hours=2)
	assert len(serial_votes(burst(3, spacing_hours=0.5), rules, T0 + timedelta(days=1))) == 3
	assert serial_votes(burst(3, spacing_hours=1), rules, T0 + timedelta(days=1)) == []


def test_serial_reversal_takes_back_each_votes_points():
	records = [record(answer="A1", points=10), record(answer="A2", points=-2), record(answer="A3", points=0)]
	assert serial_reversal_events(records) == [
		Event("alice", -10, "Serial Vote Reversed", "A1", "bob"),
		Event("alice", 2, "Serial Vote Reversed", "A2", "bob"),
	]


# Totals


def test_apply_keeps_reputation_and_counts():
	events = [
		Event("alice", 10, "Upvote", "A", "bob"),
		Event("alice", 15, "Accepted", "A", "carol"),
		Event("alice", 20, "Endorsed", "A", "agent"),
		Event("alice", -2, "Downvote", "A", "dan"),
	]
	totals = Totals(answers=1)
	for event in events:
		totals = apply(totals, event)
	assert totals == Totals(reputation=43, answers=1, accepted=1, endorsed=1, helpful_votes=1)
	undo = [
		Event("alice", -10, "Upvote Retracted", "A", "bob"),
		Event("alice", -15, "Accept Withdrawn", "A", "carol"),
		Event("alice", -20, "Endorsement Withdrawn", "A", "agent"),
		Event("alice", 2, "Downvote Retracted", "A", "dan"),
	]
	for event in undo:
		totals = apply(totals, event)
	assert totals == Totals(answers=1)


def test_serial_reversal_of_an_upvote_removes_the_helpful_vote():
	totals = apply(Totals(reputation=10, helpful_votes=1), Event("a", -10, "Serial Vote Reversed", "A", "b"))
	assert totals == Totals()
	assert apply(Totals(), Event("a", 2, "Serial Vote Reversed", "A", "b")) == Totals(reputation=2)
	assert apply(Totals(), Event("a", -55, "Hidden", "A", "agent")) == Totals(reputation=-55)


def test_totals_from_ledger_and_differences():
	ledger = totals_from_ledger(
		[
			Event("alice", 10, "Upvote", "A", "b"),
			Event("alice", -2, "Downvote", "A", "c"),
			Event("bob", 0, "X", "", ""),
		]
	)
	assert ledger == {"alice": 8, "bob": 0}
	assert totals_from_ledger([]) == {}
	stored = {"alice": 8, "bob": 0, "carol": 5, "dan": 0}
	assert differences(stored, ledger) == {"carol": (5, 0)}
	assert differences({"alice": 7}, {"alice": 8, "erin": 3}) == {"alice": (7, 8), "erin": (0, 3)}
	assert differences({}, {}) == {}


# Badges


def test_every_badge_at_its_threshold_and_not_below():
	assert [b.title for b in BADGES] == [
		"First Answer",
		"Helpful",
		"Problem Solver",
		"Verified by IT",
		"Topic Expert",
	]
	for badge in BADGES:
		assert badges_earned({badge.metric: badge.threshold}, set()) == [badge]
		assert badges_earned({badge.metric: badge.threshold - 1}, set()) == []


def test_badges_are_awarded_once():
	counts = Totals(answers=3, helpful_votes=12, accepted=5).counts()
	earned = badges_earned(counts, set())
	assert [b.name for b in earned] == ["first_answer", "helpful", "problem_solver"]
	assert badges_earned(counts, {b.name for b in earned}) == []
	assert [b.name for b in badges_earned(counts, {"helpful"})] == ["first_answer", "problem_solver"]


def test_a_change_crosses_only_the_thresholds_between_its_counts():
	helpful = next(b for b in BADGES if b.name == "helpful")
	assert badges_crossed({"helpful_votes": 9}, {"helpful_votes": 10}) == [helpful]
	assert badges_crossed({"helpful_votes": 10}, {"helpful_votes": 11}) == []  # already past it
	assert badges_crossed({"helpful_votes": 10}, {"helpful_votes": 9}) == []  # falling never awards
	assert badges_crossed({}, {"answers": 1, "accepted": 5}) == [
		b for b in BADGES if b.name in ("first_answer", "problem_solver")
	]
	for badge in BADGES:  # every badge is reached by the step onto its threshold, and by no other step
		for count in range(badge.threshold + 3):
			crossed = badges_crossed({badge.metric: count}, {badge.metric: count + 1})
			assert crossed == ([badge] if count + 1 == badge.threshold else [])


def test_the_standing_before_a_change_is_the_standing_after_it_minus_the_change():
	change = apply(Totals(), Event("lottie", 15, rep.ACCEPTED, "a1", "jeff"))
	after = Standing(
		Totals(reputation=40, answers=4, accepted=5, helpful_votes=1), Totals(accepted=2, helpful_votes=1)
	)
	before = after.minus(change)
	assert before == Standing(
		Totals(reputation=25, answers=4, accepted=4, helpful_votes=1),
		Totals(reputation=-15, accepted=1, helpful_votes=1),
	)
	assert before.metrics()["topic_score"] == topic_score(1, 0, 1) and after.metrics()[
		"topic_score"
	] == topic_score(2, 0, 1)
	assert "topic_score" not in Standing(Totals()).metrics()  # no topic, no topic badge
	assert [b.name for b in badges_crossed(before.metrics(), after.metrics())] == ["problem_solver"]


# Expertise


def test_topic_score_weights():
	assert topic_score(0, 0, 0) == 0
	assert topic_score(1, 1, 1) == 37
	assert topic_score(2, 1, 5) == 60


def expert(user, score, declared=False, involvement=REAL_TIME):
	return Expert(user, score, declared, involvement)


def test_top_experts_by_score_then_declared_then_name():
	candidates = [expert("dan", 30), expert("erin", 30, declared=True), expert("bob", 50), expert("ann", 30)]
	assert top_experts(candidates, 10, set()) == ["bob", "erin", "ann", "dan"]
	assert top_experts(candidates, 2, set()) == ["bob", "erin"]
	assert top_experts(candidates, 0, set()) == []


def test_only_real_time_users_with_a_stake_in_the_topic_are_eligible():
	candidates = [
		expert("off", 90, involvement=rep.OFF),
		expert("daily", 90, involvement=rep.DAILY_DIGEST),
		expert("weekly", 90, involvement=rep.WEEKLY_DIGEST),
		expert("requester", 80),
		expert("newcomer", 0, declared=True),
		expert("stranger", 0),
		expert("pro", 10),
	]
	assert top_experts(candidates, 5, {"requester"}) == ["pro", "newcomer"]
	assert rep.INVOLVEMENTS == ("Off", "Weekly Digest", "Daily Digest", "Real Time")


def test_a_user_listed_twice_is_chosen_once():
	assert top_experts([expert("bob", 10), expert("bob", 40, declared=True)], 3, set()) == ["bob"]


def test_promotion_credits_the_author_once_and_never_oneself():
	from peer_support.core.reputation import PROMOTED, promote_events

	assert [(e.user, e.points, e.reason) for e in promote_events(Rules(), "a1", "lottie", "derek")] == [
		("lottie", 25, PROMOTED)
	]
	assert promote_events(Rules(), "a1", "derek", "derek") == []
