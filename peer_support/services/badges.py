"""Badges (defined as data in core.reputation.BADGES), awarded once and announced to their holder.

An event awards what it reached: `award_reached` compares the standing before and after it, so
the hot paths (a vote) read nothing more. `sweep` awards, in bulk, whatever the totals have reached
without an event (after `peer-support-recompute`, or when a threshold was lowered).
"""

import frappe
from frappe import _
from frappe.query_builder.builder import Base  # plain tables, usable at import time
from frappe.utils import now_datetime

from peer_support.core.reputation import Badge, Standing, badges_crossed, badges_earned, topic_score
from peer_support.services import notify

TOPIC_METRIC = "topic_score"
Awarded = Base.DocType("Peer Profile Badge")


def award_reached(user: str, topic: str | None, before: Standing, after: Standing) -> list[str]:
	"""Award the badges whose thresholds lie between the two standings; returns their titles."""
	return [
		title
		for badge in badges_crossed(before.metrics(), after.metrics())
		if (title := give(user, badge, topic if badge.metric == TOPIC_METRIC else None))
	]


def give(user: str, badge: Badge, topic: str | None, announce: bool = True) -> str | None:
	"""One award, or None when the user already holds it (the unique key (parent, badge, topic))."""
	row = frappe.get_doc(
		{
			"doctype": "Peer Profile Badge",
			"parent": user,
			"parenttype": "Peer Profile",
			"parentfield": "badges",
			"badge": badge.name,
			"title": badge.title,
			"topic": topic or "",
			"awarded_on": now_datetime(),
		}
	)
	row.name = frappe.generate_hash(length=10)
	try:
		row.db_insert()
	except (frappe.DuplicateEntryError, frappe.UniqueValidationError):
		return None  # held already (earned once, or a concurrent event awarded it a moment ago)
	title = f"{badge.title}: {topic}" if topic else badge.title
	if announce:
		notify.notify(
			[user],
			_("You earned the badge {0}").format(title),
			None,
			badge.description,
			reference=("Peer Profile", user),
			link="/community/profile",
			include_actor=True,
		)
	return title


def missing() -> list[tuple[str, Badge, str]]:
	"""(user, badge, topic) of every badge the totals have reached but the user does not hold; three queries."""
	from peer_support.services.reputation import ALL_TIME_START

	Profile, Period = Base.DocType("Peer Profile"), Base.DocType("Peer Reputation Period")
	held = {
		(parent, badge, topic or "")
		for parent, badge, topic in frappe.qb.from_(Awarded)
		.select(Awarded.parent, Awarded.badge, Awarded.topic)
		.where(Awarded.parenttype == "Peer Profile")
		.run()
	}
	holding: dict[str, set[str]] = {}
	for user, badge, topic in held:
		if not topic:
			holding.setdefault(user, set()).add(badge)
	found = []
	profiles = (
		frappe.qb.from_(Profile)
		.select(
			Profile.name,
			Profile.reputation,
			Profile.answers,
			Profile.accepted,
			Profile.endorsed,
			Profile.helpful_votes,
		)
		.run(as_dict=True)
	)
	for row in profiles:
		found += [
			(row.name, b, "")
			for b in badges_earned(dict(row), holding.get(row.name, set()))
			if b.metric != TOPIC_METRIC
		]
	in_topics = (
		frappe.qb.from_(Period)
		.select(Period.user, Period.topic, Period.accepted, Period.endorsed, Period.helpful_votes)
		.where(Period.period == "All")
		.where(Period.period_start == ALL_TIME_START)
		.where(Period.topic != "")
		.run()
	)
	for user, topic, accepted, endorsed, helpful in in_topics:
		score = {TOPIC_METRIC: topic_score(accepted, endorsed, helpful)}
		found += [
			(user, b, topic)
			for b in badges_earned(score, set())
			if b.metric == TOPIC_METRIC and (user, b.name, topic) not in held
		]
	return found


def sweep(announce: bool = True) -> int:
	"""Award every missing badge (see `missing`); returns how many were awarded."""
	return sum(1 for user, badge, topic in missing() if give(user, badge, topic or None, announce))
