"""Reputation: the points colleagues earn for helpful answers, as a rule engine without storage.

Every action (a vote, an accept, an endorsement by IT, moderation) becomes a list of events that
the glue appends to a ledger and adds to per-user totals. The ledger is the truth: a total is the
sum of a user's events, so every undo is a compensating event of exactly what was earned, never a
recomputation under today's rules. That is why the glue stores, next to each vote, accept,
endorsement and hide, the points it earned, and hands them back here when it is undone.
"""

from collections import defaultdict
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from enum import Enum

UPVOTE = "Upvote"
DOWNVOTE = "Downvote"
ACCEPTED = "Accepted"
ENDORSED = "Endorsed"
HIDDEN = "Hidden"
UPVOTE_RETRACTED = "Upvote Retracted"
DOWNVOTE_RETRACTED = "Downvote Retracted"
ACCEPT_WITHDRAWN = "Accept Withdrawn"
ENDORSEMENT_WITHDRAWN = "Endorsement Withdrawn"
UNHIDDEN = "Unhidden"
SERIAL_VOTE_REVERSED = "Serial Vote Reversed"
PROMOTED = "Promoted to Knowledge Base"
REASONS = (
	UPVOTE,
	DOWNVOTE,
	ACCEPTED,
	ENDORSED,
	HIDDEN,
	UPVOTE_RETRACTED,
	DOWNVOTE_RETRACTED,
	ACCEPT_WITHDRAWN,
	ENDORSEMENT_WITHDRAWN,
	UNHIDDEN,
	SERIAL_VOTE_REVERSED,
	PROMOTED,
)

OFF = "Off"
WEEKLY_DIGEST = "Weekly Digest"
DAILY_DIGEST = "Daily Digest"
REAL_TIME = "Real Time"
INVOLVEMENTS = (OFF, WEEKLY_DIGEST, DAILY_DIGEST, REAL_TIME)

VOTE_VALUES = (-1, 0, 1)


@dataclass(frozen=True)
class Rules:
	"""The configurable points (Peer Support Settings); the defaults follow Stack Overflow's."""

	upvote: int = 10
	downvote: int = -2
	accepted: int = 15
	endorsed: int = 20
	hidden: int = -10  # penalty on top of losing what the hidden answer had earned
	daily_vote_cap: int = 200  # positive points per user per UTC day from votes
	new_user_days: int = 0  # votes of accounts younger than this earn nothing; 0 = off
	serial_window_hours: int = 24
	serial_threshold: int = 5
	promoted: int = 25  # the service desk made the answer a knowledge-base article


@dataclass(frozen=True)
class Event:
	"""One ledger row: `user` gets `points` because `actor` did `reason` on answer `reference`."""

	user: str
	points: int
	reason: str
	reference: str
	actor: str


def _events(*events: Event) -> list[Event]:
	"""Zero-point events are left out: they change no total and would only clutter the ledger."""
	return [event for event in events if event.points]


# Votes


class VoteRefusal(str, Enum):
	"""Why a vote is not taken; the glue turns it into a translated message."""

	INVALID_VALUE = "invalid_value"
	OWN_ANSWER = "own_answer"
	OWN_TICKET = "own_ticket"  # the requester accepts an answer instead of voting on it
	SAME_VOTE = "same_vote"


class VoteRefused(Exception):
	def __init__(self, reason: VoteRefusal):
		super().__init__(reason.value)
		self.reason = reason


@dataclass(frozen=True)
class VoteOutcome:
	events: list[Event]
	new_vote_points: int  # what the new vote earned; the glue stores it on the vote row


def vote_refusal(
	answer_author: str, voter: str, ticket_requester: str | None, old: int, new: int
) -> VoteRefusal | None:
	"""None when the voter may change their vote from `old` to `new` (each -1, 0 or 1)."""
	if old not in VOTE_VALUES or new not in VOTE_VALUES:
		return VoteRefusal.INVALID_VALUE
	if voter == answer_author:
		return VoteRefusal.OWN_ANSWER
	if ticket_requester and voter == ticket_requester:
		return VoteRefusal.OWN_TICKET
	if new == old:
		return VoteRefusal.SAME_VOTE
	return None


def vote_points(rules: Rules, value: int, voter_age_days: float, points_from_votes_today: int) -> int:
	"""What a new vote earns the author: nothing from too-new accounts (sock puppets), and
	upvotes only up to the daily cap, so that no single day of attention buys a reputation."""
	if not value or voter_age_days < rules.new_user_days:
		return 0
	points = rules.upvote if value > 0 else rules.downvote
	if points > 0:
		points = min(points, max(rules.daily_vote_cap - points_from_votes_today, 0))
	return points


def vote_events(
	rules: Rules,
	answer: str,
	author: str,
	voter: str,
	old_value: int,
	new_value: int,
	ticket_requester: str | None,
	voter_age_days: float,
	points_from_votes_today: int,
	old_vote_points: int,
) -> VoteOutcome:
	"""The events of changing a vote, or VoteRefused.

	The old vote is taken back by compensating exactly `old_vote_points` (what it earned then,
	stored on the vote row), so that vote-then-retract always sums to zero whatever the cap,
	the voter's age or the rules were at the time. Compensation is never capped.
	`points_from_votes_today` is what the author has already earned from votes this UTC day.
	"""
	refusal = vote_refusal(author, voter, ticket_requester, old_value, new_value)
	if refusal:
		raise VoteRefused(refusal)
	retracted = UPVOTE_RETRACTED if old_value > 0 else DOWNVOTE_RETRACTED
	points = vote_points(rules, new_value, voter_age_days, points_from_votes_today)
	cast = UPVOTE if new_value > 0 else DOWNVOTE
	events = _events(
		Event(author, -old_vote_points if old_value else 0, retracted, answer, voter),
		Event(author, points, cast, answer, voter),
	)
	return VoteOutcome(events, points)


# Accept, endorse, hide


def _award_events(
	user: str, actor: str, answer: str, granted: bool, points: int, earned: int, reasons: tuple[str, str]
) -> list[Event]:
	"""Granting pays `points` (never to oneself); withdrawing takes back exactly what was `earned`."""
	if granted:
		return _events(Event(user, points if user != actor else 0, reasons[0], answer, actor))
	return _events(Event(user, -earned, reasons[1], answer, actor))


def accept_events(
	rules: Rules, answer: str, author: str, requester: str, accepted: bool, earned_points: int
) -> list[Event]:
	"""The requester accepts (or withdraws acceptance of) an answer; `earned_points` is only read
	when withdrawing and is what the accept earned."""
	reasons = (ACCEPTED, ACCEPT_WITHDRAWN)
	return _award_events(author, requester, answer, accepted, rules.accepted, earned_points, reasons)


def endorse_events(
	rules: Rules, answer: str, author: str, agent: str, endorsed: bool, earned_points: int
) -> list[Event]:
	"""An IT agent marks an answer as verified (or withdraws it); same shape as accept_events."""
	reasons = (ENDORSED, ENDORSEMENT_WITHDRAWN)
	return _award_events(author, agent, answer, endorsed, rules.endorsed, earned_points, reasons)


def hide_events(
	rules: Rules,
	answer: str,
	author: str,
	agent: str,
	hidden: bool,
	earned_so_far: int,
	hide_points: int = 0,
) -> list[Event]:
	"""Moderation hides (or unhides) an answer.

	Hiding takes back what the answer had earned (a net loss is left as it is: hiding should
	never pay) plus the `rules.hidden` penalty, in one event whose points the glue stores.
	Unhiding gives back exactly those `hide_points`; `earned_so_far` is not read then.
	"""
	if hidden:
		return _events(Event(author, -max(earned_so_far, 0) + rules.hidden, HIDDEN, answer, agent))
	return _events(Event(author, -hide_points, UNHIDDEN, answer, agent))


def promote_events(rules: Rules, answer: str, author: str, agent: str) -> list[Event]:
	"""An agent turned the answer into a knowledge-base article: its author is credited, once."""
	return _events(Event(author, rules.promoted if author != agent else 0, PROMOTED, answer, agent))


# Serial voting


@dataclass(frozen=True)
class VoteRecord:
	voter: str
	author: str
	answer: str
	value: int
	points: int  # what the vote earned, as stored on the vote row
	at: datetime


def serial_votes(votes: list[VoteRecord], rules: Rules, now: datetime) -> list[VoteRecord]:
	"""The votes to reverse because one voter targeted one author.

	A (voter, author) pair is serial when, within some window of `serial_window_hours`
	(start inclusive, end exclusive), the voter voted on at least `serial_threshold` distinct
	answers of the author; every vote of the pair inside such a window is returned, oldest first.
	Retracted votes (value 0) and votes after `now` are ignored. Votes already reversed are
	returned again, so the glue should set their points to 0 once it has reversed them.
	"""
	window = timedelta(hours=rules.serial_window_hours)
	pairs: dict[tuple[str, str], list[VoteRecord]] = defaultdict(list)
	for vote in votes:
		if vote.value and vote.at <= now:
			pairs[vote.voter, vote.author].append(vote)
	serial: list[VoteRecord] = []
	for pair_votes in pairs.values():
		pair_votes.sort(key=lambda vote: (vote.at, vote.answer))
		marked: set[int] = set()
		for start, first in enumerate(pair_votes):
			inside = [i for i in range(start, len(pair_votes)) if pair_votes[i].at - first.at < window]
			if len({pair_votes[i].answer for i in inside}) >= rules.serial_threshold:
				marked.update(inside)
		serial.extend(pair_votes[i] for i in sorted(marked))
	return sorted(serial, key=lambda vote: (vote.at, vote.voter, vote.answer))


def serial_reversal_events(records: list[VoteRecord]) -> list[Event]:
	"""Take back what each serial vote earned (a downvote's reversal gives points back)."""
	return _events(*(Event(r.author, -r.points, SERIAL_VOTE_REVERSED, r.answer, r.voter) for r in records))


# Totals


@dataclass(frozen=True)
class Totals:
	"""A user's running totals. `answers` is kept by the glue (posting earns no points)."""

	reputation: int = 0
	answers: int = 0
	accepted: int = 0
	endorsed: int = 0
	helpful_votes: int = 0

	def counts(self) -> dict[str, int]:
		"""The metrics badges are defined on."""
		return asdict(self)


@dataclass(frozen=True)
class Standing:
	"""What badges are decided on: a user's totals, and their all-time totals in one topic (if any)."""

	profile: Totals
	in_topic: Totals | None = None

	def minus(self, change: Totals) -> "Standing":
		"""The standing before `change` was added (to the profile and, with a topic, to the topic)."""
		return Standing(
			_minus(self.profile, change), _minus(self.in_topic, change) if self.in_topic else None
		)

	def metrics(self) -> dict[str, int]:
		counts = self.profile.counts()
		if self.in_topic:
			counts["topic_score"] = topic_score(
				self.in_topic.accepted, self.in_topic.endorsed, self.in_topic.helpful_votes
			)
		return counts


def _minus(totals: Totals, change: Totals) -> Totals:
	return Totals(**{field: value - getattr(change, field) for field, value in asdict(totals).items()})


_COUNTED = {
	ACCEPTED: ("accepted", 1),
	ACCEPT_WITHDRAWN: ("accepted", -1),
	ENDORSED: ("endorsed", 1),
	ENDORSEMENT_WITHDRAWN: ("endorsed", -1),
	UPVOTE: ("helpful_votes", 1),
	UPVOTE_RETRACTED: ("helpful_votes", -1),
}


def apply(totals: Totals, event: Event) -> Totals:
	"""The totals after one event. Only votes that earned points count as helpful, and a serial
	reversal of an upvote (negative points) takes its helpful vote away again."""
	field, step = _COUNTED.get(event.reason, (None, 0))
	if event.reason == SERIAL_VOTE_REVERSED and event.points < 0:
		field, step = "helpful_votes", -1
	changed = replace(totals, reputation=totals.reputation + event.points)
	if field:
		changed = replace(changed, **{field: getattr(changed, field) + step})
	return changed


def totals_from_ledger(events: list[Event]) -> dict[str, int]:
	"""Reputation per user as the ledger says it is."""
	totals: dict[str, int] = defaultdict(int)
	for event in events:
		totals[event.user] += event.points
	return dict(totals)


def differences(stored: dict[str, int], ledger: dict[str, int]) -> dict[str, tuple[int, int]]:
	"""Users whose stored total drifted from the ledger, as (stored, ledger); missing counts as 0."""
	users = sorted(set(stored) | set(ledger))
	return {
		user: (stored.get(user, 0), ledger.get(user, 0))
		for user in users
		if stored.get(user, 0) != ledger.get(user, 0)
	}


# Badges


@dataclass(frozen=True)
class Badge:
	name: str  # stable key stored on the award
	title: str
	description: str
	metric: str  # a key of Totals.counts(), or "topic_score" (the glue awards that one per topic)
	threshold: int


BADGES = (
	Badge("first_answer", "First Answer", "Answered a colleague's question", "answers", 1),
	Badge("helpful", "Helpful", "Answers upvoted 10 times", "helpful_votes", 10),
	Badge("problem_solver", "Problem Solver", "5 answers accepted", "accepted", 5),
	Badge("verified_by_it", "Verified by IT", "10 answers verified by IT", "endorsed", 10),
	Badge("topic_expert", "Topic Expert", "Topic score of 50 in one topic", "topic_score", 50),
)


def badges_earned(counts: dict[str, int], already: set[str]) -> list[Badge]:
	"""Badges newly reached, in BADGES order; a badge in `already` is never awarded again, even if
	the count dropped below its threshold and rose back. Metrics missing from `counts` are 0."""
	return [b for b in BADGES if b.name not in already and counts.get(b.metric, 0) >= b.threshold]


def badges_crossed(before: dict[str, int], after: dict[str, int]) -> list[Badge]:
	"""Badges whose threshold a change of counts reached: below it before, at or above it after.

	What one event can newly earn, known without reading the badges already held (a unique key
	keeps a badge from being awarded twice when the count drops and rises back)."""
	return [b for b in BADGES if before.get(b.metric, 0) < b.threshold <= after.get(b.metric, 0)]


# Expertise


@dataclass(frozen=True)
class Expert:
	user: str
	topic_score: int
	declared: bool  # the user declared the topic as one of theirs
	involvement: str


def topic_score(accepted: int, endorsed: int, upvotes: int) -> int:
	"""A user's standing in one topic: 15 per accepted answer, 20 per answer verified by IT and 2
	per upvote. Being proven right (accepted, verified) weighs as in reputation, while upvotes
	weigh a fifth of their reputation value so that popularity alone does not make an expert."""
	return 15 * accepted + 20 * endorsed + 2 * upvotes


def top_experts(candidates: list[Expert], n: int, exclude: set[str]) -> list[str]:
	"""Up to `n` users to alert in real time about a new question in the topic.

	Only users who chose "Real Time" involvement, and who have a score in the topic or declared
	it, are eligible; `exclude` removes the requester and anyone already involved. Highest score
	first; a declared topic breaks ties, then the user name keeps the order stable.
	"""
	ranked = sorted(candidates, key=lambda c: (-c.topic_score, not c.declared, c.user))
	chosen: list[str] = []
	for c in ranked:
		eligible = c.involvement == REAL_TIME and (c.topic_score > 0 or c.declared)
		if eligible and c.user not in exclude and c.user not in chosen and len(chosen) < n:
			chosen.append(c.user)
	return chosen
