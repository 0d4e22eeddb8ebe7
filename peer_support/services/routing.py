"""Routing: when a question is shared, ask only the topic's top experts who want real-time alerts;
digests gather the rest for those who chose them. Nobody is sent every ticket "just in case".

All of it runs in background jobs, after the commit that shared the ticket.
"""

import frappe
from frappe import _
from frappe.query_builder.builder import Base  # plain tables, usable at import time
from frappe.utils import add_days, now_datetime

from peer_support import host
from peer_support.core.audience import may_read_community
from peer_support.core.reputation import (
	DAILY_DIGEST,
	REAL_TIME,
	WEEKLY_DIGEST,
	Expert,
	top_experts,
	topic_score,
)
from peer_support.core.visibility import COMMUNITY
from peer_support.peer_support.doctype.peer_support_settings.peer_support_settings import get_settings
from peer_support.services import access, notify
from peer_support.services.access import ticket_access, viewer
from peer_support.services.reputation import ALL_TIME_START, period_name
from peer_support.services.visibility import VISIBILITY_FIELD
from peer_support.services.write_path import peer_writes

Profile = Base.DocType("Peer Profile")
Topic = Base.DocType("Peer Profile Topic")
Period = Base.DocType("Peer Reputation Period")
DIGEST_SIZE = 20
# What routing reads of a ticket: what access reads, less the description (digests list many).
TICKET_FIELDS = [field for field in access.TICKET_FIELDS if field != "description"]


def on_ticket_update(doc, method=None) -> None:
	"""HD Ticket on_update: a ticket that has just become community-visible is routed, after the commit."""
	if doc.get(VISIBILITY_FIELD) == COMMUNITY and doc.has_value_changed(VISIBILITY_FIELD):
		frappe.enqueue(
			"peer_support.services.routing.route_ticket",
			ticket=doc.name,
			enqueue_after_commit=True,
			now=frappe.flags.in_test,
		)


def experts_for(topic: str | None) -> list[Expert]:
	"""Real-time colleagues with their standing in the topic (maintained totals, no ledger scan)."""
	rows = (
		frappe.qb.from_(Profile).select(Profile.name).where(Profile.involvement == REAL_TIME).run(pluck=True)
	)
	if not rows:
		return []
	declared = set()
	scores = {}
	if topic:
		declared = set(
			frappe.qb.from_(Topic)
			.select(Topic.parent)
			.where(Topic.topic == topic)
			.where(Topic.parent.isin(rows))
			.run(pluck=True)
		)
		names = {period_name(user, "All", ALL_TIME_START, topic): user for user in rows}
		for name, accepted, endorsed, upvotes in (
			frappe.qb.from_(Period)
			.select(Period.name, Period.accepted, Period.endorsed, Period.helpful_votes)
			.where(Period.name.isin(list(names)))
			.run()
		):
			scores[names[name]] = topic_score(accepted, endorsed, upvotes)
	return [Expert(user, scores.get(user, 0), user in declared, REAL_TIME) for user in rows]


def route_ticket(ticket: str) -> list[str]:
	"""Tell the top experts of the ticket's topic who may read it; returns who was told."""
	facts = frappe.db.get_value("HD Ticket", ticket, TICKET_FIELDS, as_dict=True)
	if not facts or facts.get(VISIBILITY_FIELD) != COMMUNITY:
		return []
	limit = get_settings().experts_to_notify
	if not limit:
		return []
	audience = get_settings().audience
	access = ticket_access(facts)
	already = set(frappe.get_all("Peer Routing", filters={"ticket": ticket}, pluck="user"))
	ranked = top_experts(experts_for(facts.ticket_type), 10_000, set(access.requesters) | already)
	chosen = []
	for user in ranked:
		if len(chosen) >= limit:
			break
		me = viewer(user)
		if not me.is_agent and may_read_community(me, access, audience):
			chosen.append(user)
	for user in chosen:
		log_routing(ticket, user, REAL_TIME)
	notify.tell(
		chosen,
		_("A colleague asks about {0}: {1}").format(facts.ticket_type or _("IT"), facts.subject),
		ticket,
	)
	return chosen


def log_routing(ticket: str, user: str, channel: str) -> None:
	try:
		# Written by the routing job only; the unique (ticket, user) key keeps one row per pair.
		with peer_writes():
			frappe.get_doc(
				{"doctype": "Peer Routing", "ticket": ticket, "user": user, "channel": channel}
			).insert(ignore_permissions=True)
	except frappe.UniqueValidationError:
		pass


def open_questions_for(user: str, days: int) -> list[frappe._dict]:
	"""Open community questions of the user's topics (all topics if none declared) from the last
	`days`, that the user may read and was not told about yet."""
	me = viewer(user)
	if me.is_agent:
		return []
	topics = frappe.get_all(
		"Peer Profile Topic", filters={"parent": user, "parenttype": "Peer Profile"}, pluck="topic"
	)
	filters = {
		VISIBILITY_FIELD: COMMUNITY,
		"status": ["not in", host.done_statuses()],
		"peer_status": ["!=", "Accepted"],
		"modified": [">=", add_days(now_datetime(), -days)],
	}
	if topics:
		filters["ticket_type"] = ["in", topics]
	if get_settings().audience != "All Portal Users":
		if not me.customers:
			return []
		filters["customer"] = ["in", list(me.customers)]
	told = set(frappe.get_all("Peer Routing", filters={"user": user}, pluck="ticket"))
	# Routing reads tickets on the user's behalf; each one is checked against the audience below.
	rows = frappe.get_all(
		"HD Ticket",
		filters=filters,
		fields=TICKET_FIELDS,
		order_by="modified desc",
		limit=DIGEST_SIZE * 3,
		ignore_permissions=True,
	)
	audience = get_settings().audience
	fresh = [
		row
		for row in rows
		if str(row.name) not in {str(t) for t in told}
		and user not in ticket_access(row).requesters
		and may_read_community(me, ticket_access(row), audience)
	]
	return fresh[:DIGEST_SIZE]


def send_digests(involvement: str, days: int) -> int:
	channel = involvement
	users = (
		frappe.qb.from_(Profile)
		.select(Profile.name)
		.where(Profile.involvement == involvement)
		.run(pluck=True)
	)
	sent = 0
	for user in users:
		questions = open_questions_for(user, days)
		if not questions:
			continue
		body = "".join(
			f'<li><a href="{notify.community_link(q.name)}">#{q.name}</a> {frappe.utils.escape_html(q.subject)}'
			f" ({frappe.utils.escape_html(q.ticket_type or '')})</li>"
			for q in questions
		)
		notify.notify(
			[user],
			_("{0} open questions from colleagues").format(len(questions)),
			None,
			f"<ul>{body}</ul>",
			reference=("Peer Profile", user),
			link="/community",
			include_actor=True,
		)
		for question in questions:
			log_routing(question.name, user, channel)
		sent += 1
	return sent


def send_daily_digests() -> int:
	return send_digests(DAILY_DIGEST, 1)


def send_weekly_digests() -> int:
	return send_digests(WEEKLY_DIGEST, 7)
