"""The reputation ledger: core.reputation decides the events; this writes them and keeps totals.

Each event is one append-only Peer Reputation Event row. In the same transaction, atomic SQL
increments add it to the author's Peer Profile and to the leaderboard rows (all time, this month,
this week; all topics and the ticket's topic), so totals always equal the ledger's sum and
concurrent events never overwrite each other. `recompute` proves it.
"""

import hashlib
from collections import defaultdict
from dataclasses import asdict
from datetime import date, timedelta

import frappe
from frappe.query_builder import DocType
from frappe.query_builder.builder import Base  # plain tables, usable at import time
from frappe.query_builder.functions import Coalesce, Count, Sum
from frappe.utils import date_diff, getdate, now_datetime, nowdate
from pypika.terms import Values

from peer_support.core import reputation as rules_engine
from peer_support.core.reputation import Event, Totals
from peer_support.peer_support.doctype.peer_support_settings.peer_support_settings import get_settings
from peer_support.services import badges
from peer_support.services.rows import get_field, insert_row, insert_rows, param, returning, statement

Ledger = Base.DocType("Peer Reputation Event")
Profile = Base.DocType("Peer Profile")
Period = Base.DocType("Peer Reputation Period")
User = Base.DocType("User")
COUNTERS = ("accepted", "endorsed", "helpful_votes")
TOTALS = ("reputation", "answers", *COUNTERS)
PERIODS = ("All", "Month", "Week")
ALL_TIME_START = date(2000, 1, 1)


def period_start(period: str, day: date) -> date:
	if period == "Month":
		return day.replace(day=1)
	if period == "Week":
		return day - timedelta(days=day.weekday())
	return ALL_TIME_START


def period_name(user: str, period: str, start: date, topic: str) -> str:
	"""A deterministic name, so the row of a (user, period, start, topic) is found or made by one upsert."""
	return hashlib.sha1(f"{user}\n{period}\n{start}\n{topic}".encode()).hexdigest()[:20]


def add_to_profile(user: str, change: Totals) -> Totals:
	"""Add `change` to the user's Peer Profile, made on their first event, in one upsert (a duplicate
	key is safe under concurrency); returns the profile's totals after it."""

	def build():
		# the full name comes from User in the same statement, so making a profile needs no read before it
		full_name = Coalesce(
			frappe.qb.from_(User).select(User.full_name).where(User.name == param("user")), param("user")
		)
		query = (
			frappe.qb.into(Profile)
			.columns(
				"name",
				"user",
				"full_name",
				"involvement",
				*TOTALS,
				"creation",
				"modified",
				"owner",
				"modified_by",
			)
			.insert(
				param("user"),
				param("user"),
				full_name,
				"Off",
				*(param(field) for field in TOTALS),
				param("now"),
				param("now"),
				"Administrator",
				"Administrator",
			)
		)
		for field in TOTALS:
			query = query.on_duplicate_key_update(Profile[field], Profile[field] + Values(Profile[field]))
		return query

	(row,) = frappe.db.sql(
		returning(statement(("profile upsert",), build), TOTALS),
		{"user": user, "now": now_datetime(), **asdict(change)},
		as_dict=True,
	)
	return Totals(**{field: int(row[field] or 0) for field in TOTALS})


def ensure_profile(user: str) -> None:
	add_to_profile(user, Totals())


def deltas(event: Event) -> Totals:
	"""What one event adds to each total."""
	return rules_engine.apply(Totals(), event)


def add_to_totals(user: str, change: Totals, topic: str | None, day: date) -> rules_engine.Standing:
	"""One upsert for the profile and one for the leaderboard rows; returns the user's standing after them."""
	profile = add_to_profile(user, change)
	return rules_engine.Standing(profile, add_period_rows(user, change, topic, day))


def record(events: list[Event], ticket: str | None = None, topic: str | None = None) -> None:
	"""Write the events to the ledger and add them to the totals, then award the badges they reached."""
	day = getdate(nowdate())
	now, actor = now_datetime(), frappe.session.user
	standings: dict[str, list[rules_engine.Standing]] = {}  # per user: before the first event, after the last
	for step, event in enumerate(events):
		at = now + timedelta(microseconds=step)  # the ledger keeps the events of one action in order
		# Append-only rows written here alone, in the caller's transaction (no document hooks to run).
		insert_row(
			"Peer Reputation Event",
			{
				"name": frappe.generate_hash(length=12),
				"user": event.user,
				"points": event.points,
				"reason": event.reason,
				"answer": event.reference or None,
				"ticket": ticket,
				"topic": topic,
				"actor": event.actor,
				"event_date": day,
				"creation": at,
				"modified": at,
				"owner": actor,
				"modified_by": actor,
			},
		)
		change = deltas(event)
		after = add_to_totals(event.user, change, topic, day)
		standings.setdefault(event.user, [after.minus(change), after])[1] = after
	for user, (before, after) in standings.items():
		badges.award_reached(user, topic, before, after)


def topic_of(ticket: str | None) -> str | None:
	return get_field("HD Ticket", ticket, "ticket_type") if ticket else None


def rules() -> rules_engine.Rules:
	return get_settings().reputation_rules()


def ledger_sum(answer: str, user: str, reasons: tuple[str, ...] | None = None) -> int:
	query = (
		frappe.qb.from_(Ledger)
		.select(Sum(Ledger.points))
		.where(Ledger.answer == answer)
		.where(Ledger.user == user)
	)
	if reasons:
		query = query.where(Ledger.reason.isin(reasons))
	return int(query.run()[0][0] or 0)


def vote_points_today(user: str) -> int:
	"""Positive points the user earned from votes today (the daily cap counts them)."""

	def build():
		return (
			frappe.qb.from_(Ledger)
			.select(Sum(Ledger.points))
			.where(Ledger.user == param("user"))
			.where(Ledger.event_date == param("day"))
			.where(Ledger.reason == rules_engine.UPVOTE)
			.where(Ledger.points > 0)
		)

	return int(
		frappe.db.sql(statement(("vote points today",), build), {"user": user, "day": nowdate()})[0][0] or 0
	)


def on_answer(answer, topic: str | None) -> None:
	"""Posting earns no points; it counts on the profile (and may reach the First Answer badge)."""
	change = Totals(answers=1)
	after = rules_engine.Standing(add_to_profile(answer.author, change))
	badges.award_reached(answer.author, topic, after.minus(change), after)


def on_vote(answer, ticket, voter: str, old: int, new: int, old_points: int) -> int:
	"""Record a vote change on `answer` of `ticket` (its row as read by the caller); returns what the
	new vote earned (stored on the vote row). Reads only what the rules need for this vote."""
	settings_rules = rules()
	age = (
		date_diff(nowdate(), get_field("User", voter, "creation")) if settings_rules.new_user_days else 10**6
	)
	earned_today = vote_points_today(answer.author) if new > 0 else 0  # the daily cap limits upvotes alone
	outcome = rules_engine.vote_events(
		settings_rules,
		answer.name,
		answer.author,
		voter,
		old,
		new,
		ticket.raised_by,
		age,
		earned_today,
		old_points,
	)
	record(outcome.events, answer.ticket, ticket.ticket_type)
	return outcome.new_vote_points


def on_accept(answer, accepted: bool) -> None:
	earned = ledger_sum(answer.name, answer.author, (rules_engine.ACCEPTED, rules_engine.ACCEPT_WITHDRAWN))
	requester = get_field("HD Ticket", answer.ticket, "raised_by")
	record(
		rules_engine.accept_events(rules(), answer.name, answer.author, requester, accepted, earned),
		answer.ticket,
		topic_of(answer.ticket),
	)


def on_endorse(answer, endorsed: bool) -> None:
	earned = ledger_sum(
		answer.name, answer.author, (rules_engine.ENDORSED, rules_engine.ENDORSEMENT_WITHDRAWN)
	)
	record(
		rules_engine.endorse_events(
			rules(), answer.name, answer.author, frappe.session.user, endorsed, earned
		),
		answer.ticket,
		topic_of(answer.ticket),
	)


def on_hide(answer, hidden: bool) -> None:
	earned = ledger_sum(answer.name, answer.author)
	outstanding = ledger_sum(answer.name, answer.author, (rules_engine.HIDDEN, rules_engine.UNHIDDEN))
	record(
		rules_engine.hide_events(
			rules(), answer.name, answer.author, frappe.session.user, hidden, earned, outstanding
		),
		answer.ticket,
		topic_of(answer.ticket),
	)


def reverse_serial_votes() -> int:
	"""Daily job: votes of one user on many answers of one author within the window are reversed."""
	settings_rules = rules()
	if not settings_rules.serial_threshold:
		return 0
	Vote = DocType("Peer Answer Vote")
	Answer = DocType("Peer Answer")
	since = now_datetime() - timedelta(hours=settings_rules.serial_window_hours * 2)
	rows = (
		frappe.qb.from_(Vote)
		.join(Answer)
		.on(Vote.answer == Answer.name)
		.select(
			Vote.name,
			Vote.voter,
			Answer.author,
			Vote.answer,
			Vote.value,
			Vote.points,
			Vote.creation,
			Answer.ticket,
		)
		.where(Vote.creation >= since)
		.where(Vote.points != 0)
		.run(as_dict=True)
	)
	records = {
		row.name: rules_engine.VoteRecord(
			row.voter, row.author, row.answer, row.value, row.points, row.creation
		)
		for row in rows
	}
	serial = set(rules_engine.serial_votes(list(records.values()), settings_rules, now_datetime()))
	reversed_count = 0
	for row in rows:
		vote = records[row.name]
		if vote not in serial:
			continue
		record(rules_engine.serial_reversal_events([vote]), row.ticket, topic_of(row.ticket))
		# The vote now earns nothing, so a later retraction takes back nothing and a re-run skips it.
		frappe.qb.update(Vote).set(Vote.points, 0).where(Vote.name == row.name).run()
		reversed_count += 1
	return reversed_count


def stored_totals() -> dict[str, int]:
	return dict(frappe.qb.from_(Profile).select(Profile.name, Profile.reputation).run())


def ledger_totals() -> dict[str, int]:
	rows = frappe.qb.from_(Ledger).select(Ledger.user, Sum(Ledger.points)).groupby(Ledger.user).run()
	return {user: int(points or 0) for user, points in rows}


def differences() -> dict[str, tuple[int, int]]:
	return rules_engine.differences(stored_totals(), ledger_totals())


def recompute(progress=None) -> dict[str, tuple[int, int]]:
	"""Rebuild every total from the ledger; returns the users whose stored reputation differed.

	One pass over the ledger, aggregated in memory, then written in bulk. `progress(done, total)`
	is called along the way (the bench command draws a bar with it).
	"""
	found = differences()
	Answer = DocType("Peer Answer")
	answers = dict(frappe.qb.from_(Answer).select(Answer.author, Count("*")).groupby(Answer.author).run())
	rows = (
		frappe.qb.from_(Ledger)
		.select(Ledger.user, Ledger.points, Ledger.reason, Ledger.topic, Ledger.event_date)
		.run()
	)
	totals: dict[str, Totals] = defaultdict(Totals)
	periods: dict[tuple, Totals] = defaultdict(Totals)
	for done, (user, points, reason, topic, day) in enumerate(rows, start=1):
		event = Event(user, points, reason, "", "")
		totals[user] = rules_engine.apply(totals[user], event)
		for key in period_keys(user, topic, getdate(day)):
			periods[key] = rules_engine.apply(periods[key], event)
		if progress and done % 10_000 == 0:
			progress(done, len(rows))
	now = now_datetime()
	users = sorted(set(totals) | set(answers) | set(stored_totals()))
	names = dict(
		frappe.get_all("User", filters={"name": ["in", users]}, fields=["name", "full_name"], as_list=True)
	)
	for batch in chunks(users, 2000):
		query = frappe.qb.into(Profile).columns(
			"name",
			"user",
			"full_name",
			"involvement",
			"reputation",
			"answers",
			*COUNTERS,
			"creation",
			"modified",
			"owner",
			"modified_by",
		)
		for user in batch:
			total = totals.get(user, Totals())
			query = query.insert(
				user,
				user,
				names.get(user) or user,
				"Off",
				total.reputation,
				answers.get(user, 0),
				total.accepted,
				total.endorsed,
				total.helpful_votes,
				now,
				now,
				"Administrator",
				"Administrator",
			)
		for field in ("reputation", "answers", *COUNTERS):
			query = query.on_duplicate_key_update(Profile[field], Values(Profile[field]))
		query.run()
	frappe.qb.from_(Period).delete().run()
	insert_rows(
		"Peer Reputation Period",
		[
			"name",
			"user",
			"period",
			"period_start",
			"topic",
			"points",
			*COUNTERS,
			"creation",
			"modified",
			"owner",
			"modified_by",
		],
		[
			(
				period_name(*key),
				*key,
				t.reputation,
				t.accepted,
				t.endorsed,
				t.helpful_votes,
				now,
				now,
				"Administrator",
				"Administrator",
			)
			for key, t in periods.items()
		],
	)
	if progress:
		progress(len(rows), len(rows))
	return found


def period_keys(user: str, topic: str | None, day: date) -> list[tuple]:
	"""The leaderboard rows one event of `day` counts in: (user, period, period start, topic) for all
	time, its month and its week, each over all topics ("") and over the event's topic."""
	return [
		(user, period, period_start(period, day), row_topic)
		for period in PERIODS
		for row_topic in {"", topic or ""}
	]


def add_period_rows(user: str, change: Totals, topic: str | None, day: date) -> Totals | None:
	"""Add one event to the user's leaderboard rows (all time, this month, this week; all topics and
	its topic) in one statement; rows are always written in the same order, so concurrent events
	on one user wait for each other instead of deadlocking. Returns the user's all-time counts in
	`topic` after it (topic badges are defined on them), or None without a topic."""
	keys = sorted(period_keys(user, topic, day), key=lambda key: period_name(*key))

	def build():
		query = frappe.qb.into(Period).columns(
			"name",
			"user",
			"period",
			"period_start",
			"topic",
			"points",
			*COUNTERS,
			"creation",
			"modified",
			"owner",
			"modified_by",
		)
		query = query.insert(
			*(
				(
					param(f"name{i}"),
					param("user"),
					param(f"period{i}"),
					param(f"start{i}"),
					param(f"topic{i}"),
					param("reputation"),
					*(param(field) for field in COUNTERS),
					param("now"),
					param("now"),
					"Administrator",
					"Administrator",
				)
				for i in range(len(keys))
			)
		)
		for field in ("points", *COUNTERS):
			query = query.on_duplicate_key_update(Period[field], Period[field] + Values(Period[field]))
		return query

	values = {"user": user, "now": now_datetime(), **asdict(change)}
	for i, key in enumerate(keys):
		values |= {
			f"name{i}": period_name(*key),
			f"period{i}": key[1],
			f"start{i}": key[2],
			f"topic{i}": key[3],
		}
	rows = frappe.db.sql(
		returning(statement(("period upsert", len(keys)), build), ["period", "topic", *COUNTERS]),
		values,
		as_dict=True,
	)
	in_topic = [row for row in rows if topic and row.period == "All" and row.topic == topic]
	return Totals(**{field: int(in_topic[0][field] or 0) for field in COUNTERS}) if in_topic else None


def chunks(items: list, size: int):
	for start in range(0, len(items), size):
		yield items[start : start + size]
