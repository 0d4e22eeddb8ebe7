"""Colleagues' profiles and leaderboards: reputation, badges, topics and involvement.

Portal users see names, never email addresses; each reads and edits only their own settings.
"""

import frappe
from frappe import _
from frappe.query_builder import Order
from frappe.query_builder.builder import Base  # plain tables, usable at import time
from frappe.utils import getdate, nowdate

from peer_support.core.reputation import INVOLVEMENTS
from peer_support.services.reputation import ensure_profile, period_start

Profile = Base.DocType("Peer Profile")
Period = Base.DocType("Peer Reputation Period")
LEADERBOARD_PERIODS = {"all": "All", "month": "Month", "week": "Week"}
MAX_LIMIT = 100


def require_login() -> str:
	if frappe.session.user == "Guest":
		frappe.throw(_("Log in to see the community."), frappe.PermissionError)
	return frappe.session.user


@frappe.whitelist()
def leaderboard(period: str = "all", topic: str | None = None, limit: int = 20) -> list[dict]:
	"""Top colleagues by points: all time, this month or this week, overall or in one topic."""
	me = require_login()
	if period not in LEADERBOARD_PERIODS:
		frappe.throw(_("Period must be one of {0}").format(", ".join(LEADERBOARD_PERIODS)))
	if not 1 <= limit <= MAX_LIMIT:
		frappe.throw(_("Limit must be between 1 and {0}").format(MAX_LIMIT))
	name = LEADERBOARD_PERIODS[period]
	board = (
		frappe.qb.from_(Period)
		.where(Period.period == name)
		.where(Period.period_start == period_start(name, getdate(nowdate())))
		.where(Period.topic == (topic or ""))
		.where(Period.points > 0)
	)
	# The limit-th best score, read from the (period, period_start, topic, points) index alone; then only
	# the rows scoring at least that are read (ties included), however many colleagues have points.
	cutoff = board.select(Period.points).orderby(Period.points, order=Order.desc).limit(1).offset(limit - 1).run()
	if cutoff:
		board = board.where(Period.points >= cutoff[0][0])
	rows = (
		board.join(Profile)
		.on(Period.user == Profile.name)
		.select(Period.user, Profile.full_name, Period.points, Period.accepted, Period.endorsed, Period.helpful_votes)
		.orderby(Period.points, order=Order.desc)
		.orderby(Period.user)
		.limit(limit)
		.run(as_dict=True)
	)
	return [
		{"rank": rank, "full_name": row.full_name, "points": row.points, "accepted": row.accepted,
		 "endorsed": row.endorsed, "helpful_votes": row.helpful_votes, "is_me": row.user == me}
		for rank, row in enumerate(rows, start=1)
	]


@frappe.whitelist()
def get(user: str | None = None) -> dict:
	"""A profile: one's own in full (topics, involvement), a colleague's public part."""
	me = require_login()
	user = user or me
	if user != me and not frappe.db.exists("Peer Profile", user):
		frappe.throw(_("Profile not found"), frappe.DoesNotExistError)
	if user == me:
		ensure_profile(me)
	profile = frappe.get_doc("Peer Profile", user)
	public = {
		"full_name": profile.full_name,
		"reputation": profile.reputation,
		"answers": profile.answers,
		"accepted": profile.accepted,
		"endorsed": profile.endorsed,
		"helpful_votes": profile.helpful_votes,
		"badges": [{"badge": b.badge, "title": b.title, "topic": b.topic or None, "awarded_on": str(b.awarded_on)}
		           for b in profile.badges],
		"is_me": user == me,
	}
	if user == me:
		public |= {"involvement": profile.involvement, "topics": [row.topic for row in profile.topics],
		           "involvements": list(INVOLVEMENTS)}
	return public


@frappe.whitelist(methods=["POST"])
def update(involvement: str | None = None, topics: list[str] | str | None = None) -> dict:
	"""Choose one's involvement (off, digests, real time) and the topics one follows."""
	me = require_login()
	if involvement is not None and involvement not in INVOLVEMENTS:
		frappe.throw(_("Involvement must be one of {0}").format(", ".join(INVOLVEMENTS)))
	if isinstance(topics, str):
		topics = frappe.parse_json(topics) if topics.startswith("[") else [t for t in topics.split(",") if t]
	unknown = [t for t in topics or [] if not frappe.db.exists("HD Ticket Type", t)]
	if unknown:
		frappe.throw(_("Unknown topic: {0}").format(", ".join(unknown)), frappe.DoesNotExistError)
	ensure_profile(me)
	profile = frappe.get_doc("Peer Profile", me)
	if involvement is not None:
		profile.involvement = involvement
	if topics is not None:
		profile.set("topics", [{"topic": topic} for topic in dict.fromkeys(topics)])
	# Checked above: users edit their own profile only; portal users have no role on Peer Profile.
	profile.save(ignore_permissions=True)
	return get()
