"""Colleagues' profiles and leaderboards: reputation, badges, topics and involvement.

Portal users see names, never email addresses, and only of the people in their audience (with the
audience "same customer", colleagues of their own customers); each reads and edits only their own settings.
"""

import frappe
from frappe import _
from frappe.query_builder import Order
from frappe.query_builder.builder import Base  # plain tables, usable at import time
from frappe.utils import getdate, nowdate

from peer_support.core.audience import colleagues_scope, may_see_profile
from peer_support.core.reputation import INVOLVEMENTS
from peer_support.host import customers_of, people_of
from peer_support.peer_support.doctype.peer_support_settings.peer_support_settings import get_settings
from peer_support.services.access import viewer
from peer_support.services.reputation import ensure_profile, period_start
from peer_support.services.rows import full_names
from peer_support.services.write_path import peer_writes

Period = Base.DocType("Peer Reputation Period")
LEADERBOARD_PERIODS = {"all": "All", "month": "Month", "week": "Week"}
ROW_FIELDS = (Period.points, Period.accepted, Period.endorsed, Period.helpful_votes)
MAX_LIMIT = 100

# A customer's board is read through the list of its people, which for an organisation of thousands
# costs tens of milliseconds at 100k tickets; it is kept for a minute, per customer set and board.
COLLEAGUES_BOARD_TTL = 60
COLLEAGUES_BOARD_KEY = "peer_support:colleagues_board:"


def forget_colleague_boards() -> None:
	"""Drop the cached boards (after `peer-support-recompute`, and in tests that read a board just changed)."""
	frappe.cache.delete_keys(COLLEAGUES_BOARD_KEY)


def require_login() -> str:
	if frappe.session.user == "Guest":
		frappe.throw(_("Log in to see the community."), frappe.PermissionError)
	return frappe.session.user


@frappe.whitelist()
def leaderboard(period: str = "all", topic: str | None = None, limit: int = 20) -> list[dict]:
	"""Top colleagues by points: all time, this month or this week, overall or in one topic. Portal
	users see the people of their audience (with "same customer": colleagues of their customers)."""
	me = require_login()
	if period not in LEADERBOARD_PERIODS:
		frappe.throw(_("Period must be one of {0}").format(", ".join(LEADERBOARD_PERIODS)))
	if not 1 <= limit <= MAX_LIMIT:
		frappe.throw(_("Limit must be between 1 and {0}").format(MAX_LIMIT))
	name = LEADERBOARD_PERIODS[period]
	start = period_start(name, getdate(nowdate()))
	board = (
		frappe.qb.from_(Period)
		.where(Period.period == name)
		.where(Period.period_start == start)
		.where(Period.topic == (topic or ""))
		.where(Period.points > 0)
	)
	scope = colleagues_scope(viewer(me), get_settings().audience)
	if scope is None:
		rows = best_rows(board, limit)
	elif not scope:  # a portal user without a customer has no colleagues: only themselves
		rows = best_rows(board.where(Period.user == me), limit)
	else:  # the viewer's colleagues, not the people of other customers
		rows = colleagues_board(board, scope, limit, (name, str(start), topic or ""))
	names = full_names(row.user for row in rows)
	return [
		{
			"rank": rank,
			"full_name": names.get(row.user) or _("A colleague"),
			"points": row.points,
			"accepted": row.accepted,
			"endorsed": row.endorsed,
			"helpful_votes": row.helpful_votes,
			"is_me": row.user == me,
		}
		for rank, row in enumerate(rows, start=1)
	]


def best_rows(board, limit: int) -> list[frappe._dict]:
	"""The board's best `limit` rows, by points and then user.

	The limit-th best score is read from the (period, period_start, topic, points) index alone; then
	only the rows scoring at least that are read (ties included), however many people have points.
	"""
	cutoff = (
		board.select(Period.points).orderby(Period.points, order=Order.desc).limit(1).offset(limit - 1).run()
	)
	if cutoff:
		board = board.where(Period.points >= cutoff[0][0])
	return (
		board.select(Period.user, *ROW_FIELDS)
		.orderby(Period.points, order=Order.desc)
		.orderby(Period.user)
		.limit(limit)
		.run(as_dict=True)
	)


def colleagues_board(board, customers: frozenset[str], limit: int, key: tuple) -> list[frappe._dict]:
	"""The best rows of the customers' people, from Frappe's cache (Redis) for COLLEAGUES_BOARD_TTL
	seconds: a leaderboard a minute old is fine, a leaderboard of all colleagues on each read is not."""
	cache_key = COLLEAGUES_BOARD_KEY + "|".join([*sorted(customers), *key, str(limit)])
	rows = frappe.cache.get_value(cache_key)
	if rows is None:
		rows = best_rows(board.where(Period.user.isin(people_of(customers))), limit)
		frappe.cache.set_value(cache_key, rows, expires_in_sec=COLLEAGUES_BOARD_TTL)
	return [frappe._dict(row) for row in rows]


@frappe.whitelist()
def get(user: str | None = None) -> dict:
	"""A profile: one's own in full (topics, involvement), a colleague's public part."""
	me = require_login()
	user = user or me
	if user != me and not (
		frappe.db.exists("Peer Profile", user)
		and may_see_profile(viewer(me), user, customers_of(user), get_settings().audience)
	):
		# The same answer for a profile outside one's audience as for none: its existence is not revealed.
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
		"badges": [
			{"badge": b.badge, "title": b.title, "topic": b.topic or None, "awarded_on": str(b.awarded_on)}
			for b in profile.badges
		],
		"is_me": user == me,
	}
	if user == me:
		public |= {
			"involvement": profile.involvement,
			"topics": [row.topic for row in profile.topics],
			"involvements": list(INVOLVEMENTS),
		}
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
	# Locked: a concurrent vote's upsert of the totals (and a badge it awards) is not overwritten by this save.
	profile = frappe.get_doc("Peer Profile", me, for_update=True)
	if involvement is not None:
		profile.involvement = involvement
	if topics is not None:
		profile.set("topics", [{"topic": topic} for topic in dict.fromkeys(topics)])
	# Checked above: users edit their own profile only; portal users have no role on Peer Profile.
	with peer_writes():
		profile.save(ignore_permissions=True)
	return get()
