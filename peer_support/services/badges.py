"""Badges (defined as data in core.reputation.BADGES), awarded once and announced to their holder."""

import frappe
from frappe import _
from frappe.utils import now_datetime

from peer_support.core.reputation import badges_earned, topic_score
from peer_support.services import notify
from peer_support.services.rows import get_row

TOPIC_METRIC = "topic_score"


def counts_of(user: str) -> dict[str, int]:
	row = get_row("Peer Profile", user, ["reputation", "answers", "accepted", "endorsed", "helpful_votes"])
	return dict(row or {})


def topic_counts(user: str, topic: str) -> dict[str, int]:
	from peer_support.services.reputation import ALL_TIME_START, period_name

	row = get_row("Peer Reputation Period", period_name(user, "All", ALL_TIME_START, topic),
	              ["accepted", "endorsed", "helpful_votes"])
	return {TOPIC_METRIC: topic_score(row.accepted, row.endorsed, row.helpful_votes) if row else 0}


def held(user: str) -> dict[str, set[str]]:
	"""The user's badges by topic ("" for badges that have none)."""
	Badge = frappe.qb.DocType("Peer Profile Badge")
	rows = (
		frappe.qb.from_(Badge).select(Badge.badge, Badge.topic)
		.where(Badge.parent == user).where(Badge.parenttype == "Peer Profile").run()
	)
	found: dict[str, set[str]] = {}
	for badge, topic in rows:
		found.setdefault(topic or "", set()).add(badge)
	return found


def award(user: str, topic: str | None = None) -> list[str]:
	"""Award the badges the user has just reached; returns their titles."""
	holding = held(user)
	earned = [b for b in badges_earned(counts_of(user), holding.get("", set())) if b.metric != TOPIC_METRIC]
	if topic:
		earned += [(b, topic) for b in badges_earned(topic_counts(user, topic), holding.get(topic, set()))
		           if b.metric == TOPIC_METRIC]
	titles = []
	for item in earned:
		badge, badge_topic = item if isinstance(item, tuple) else (item, None)
		row = frappe.get_doc({"doctype": "Peer Profile Badge", "parent": user, "parenttype": "Peer Profile",
		                      "parentfield": "badges", "badge": badge.name, "title": badge.title, "topic": badge_topic or "",
		                      "awarded_on": now_datetime()})
		row.name = frappe.generate_hash(length=10)
		try:
			row.db_insert()
		except (frappe.DuplicateEntryError, frappe.UniqueValidationError):
			continue  # a concurrent event awarded it a moment ago: badges are awarded once
		title = f"{badge.title}: {badge_topic}" if badge_topic else badge.title
		titles.append(title)
		notify.notify([user], _("You earned the badge {0}").format(title), None, badge.description,
		              reference=("Peer Profile", user), link="/community/profile", include_actor=True)
	return titles
