"""Badges (defined as data in core.reputation.BADGES), awarded once and announced to their holder."""

import frappe
from frappe import _
from frappe.utils import now_datetime

from peer_support.core.reputation import badges_earned, topic_score
from peer_support.services import notify

TOPIC_METRIC = "topic_score"


def counts_of(user: str) -> dict[str, int]:
	row = frappe.db.get_value("Peer Profile", user, ["reputation", "answers", "accepted", "endorsed", "helpful_votes"],
	                          as_dict=True)
	return dict(row or {})


def topic_counts(user: str, topic: str) -> dict[str, int]:
	from peer_support.services.reputation import ALL_TIME_START, period_name

	row = frappe.db.get_value("Peer Reputation Period", period_name(user, "All", ALL_TIME_START, topic),
	                          ["accepted", "endorsed", "helpful_votes"], as_dict=True)
	return {TOPIC_METRIC: topic_score(row.accepted, row.endorsed, row.helpful_votes) if row else 0}


def held(user: str, topic: str = "") -> set[str]:
	return set(frappe.get_all("Peer Profile Badge", filters={"parent": user, "parenttype": "Peer Profile",
	                                                         "topic": topic or ("is", "not set")}, pluck="badge"))


def award(user: str, topic: str | None = None) -> list[str]:
	"""Award the badges the user has just reached; returns their titles."""
	earned = [b for b in badges_earned(counts_of(user), held(user)) if b.metric != TOPIC_METRIC]
	if topic:
		earned += [(b, topic) for b in badges_earned(topic_counts(user, topic), held(user, topic))
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
