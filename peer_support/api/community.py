"""The community page's reads: the feed, similar questions while asking, deflections, and the page's
settings. One query per list (no request per row); only community-safe fields leave the server."""

import re

import frappe
from frappe import _
from frappe.query_builder import Order
from frappe.query_builder.functions import Count

from peer_support import host
from peer_support.core.audience import ALL_PORTAL_USERS
from peer_support.core.holdout import DEFLECTED, FILED
from peer_support.core.visibility import COMMUNITY
from peer_support.peer_support.doctype.peer_support_settings.peer_support_settings import get_settings
from peer_support.services import access, holdout, incidents, knowledge_review, search_index
from peer_support.services.access import viewer
from peer_support.services.rate_limits import limited
from peer_support.services.rows import ages
from peer_support.services.visibility import sharing_decision
from peer_support.services.write_path import peer_writes

FILTERS = ("newest", "unanswered", "my_topics", "most_affected", "mine")
PAGE_SIZE = 20
MAX_PAGE_SIZE = 50
WORD = re.compile(r"[\w-]{3,}", re.UNICODE)
# Suggestions while asking: at most SIMILAR solved questions and SIMILAR articles.
SIMILAR = 5
STOP_WORDS = {
	"the",
	"and",
	"for",
	"with",
	"not",
	"does",
	"doesn",
	"can",
	"cannot",
	"how",
	"what",
	"why",
	"when",
	"from",
	"this",
	"that",
	"have",
	"has",
	"my",
	"our",
	"your",
	"after",
	"since",
}


def require_login():
	me = viewer()
	if me.is_guest:
		frappe.throw(_("Log in to see the community."), frappe.PermissionError)
	return me


def audience_conditions(query, Ticket, me):
	"""Community tickets the viewer's audience covers, minus what the sharing policy excludes now."""
	settings = get_settings()
	query = query.where(Ticket.peer_visibility == COMMUNITY)
	if not me.is_agent and settings.audience != ALL_PORTAL_USERS:
		mine = Ticket.raised_by == me.user
		query = (
			query.where(Ticket.customer.isin(list(me.customers)) | mine)
			if me.customers
			else query.where(mine)
		)
	policy = settings.sharing_policy()
	for field, excluded in (
		("ticket_type", policy.excluded_ticket_types),
		("agent_group", policy.excluded_teams),
		("priority", policy.excluded_priorities),
	):
		if excluded:
			query = query.where(Ticket[field].isnull() | Ticket[field].notin(list(excluded)))
	return query


def words_of(text: str | None) -> list[str]:
	found = [w.lower() for w in WORD.findall(text or "")]
	return list(dict.fromkeys(w for w in found if w not in STOP_WORDS))[:8]


@frappe.whitelist()
def feed(
	filter: str = "newest", search: str | None = None, page: int = 1, page_size: int = PAGE_SIZE
) -> dict:
	"""Community questions the caller may read, newest first unless filtered."""
	me = require_login()
	if filter not in FILTERS:
		frappe.throw(_("Filter must be one of {0}").format(", ".join(FILTERS)))
	if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
		frappe.throw(_("Page must be 1 or more and page size between 1 and {0}").format(MAX_PAGE_SIZE))
	if not get_settings().enabled:
		return {"enabled": False, "rows": [], "page": page, "has_more": False}
	Ticket = frappe.qb.DocType("HD Ticket")
	query = audience_conditions(
		frappe.qb.from_(Ticket).select(
			Ticket.name,
			Ticket.subject,
			Ticket.ticket_type,
			Ticket.status,
			Ticket.creation,
			Ticket.peer_status,
			Ticket.peer_affected_count,
			Ticket.raised_by,
		),
		Ticket,
		me,
	)
	for word in words_of(search):
		query = query.where(Ticket.subject.like(f"%{word}%"))
	if filter == "unanswered":
		query = query.where(Ticket.peer_status.isin(["None", ""]) | Ticket.peer_status.isnull())
		query = query.where(Ticket.status.notin(list(host.done_statuses())))
	elif filter == "my_topics":
		topics = frappe.get_all(
			"Peer Profile Topic", filters={"parent": me.user, "parenttype": "Peer Profile"}, pluck="topic"
		)
		if not topics:
			return {"enabled": True, "rows": [], "page": page, "has_more": False, "no_topics": True}
		query = query.where(Ticket.ticket_type.isin(topics))
	elif filter == "mine":
		query = query.where(Ticket.raised_by == me.user)
	if filter == "most_affected":
		query = query.orderby(Ticket.peer_affected_count, order=Order.desc)
	query = (
		query.orderby(Ticket.creation, order=Order.desc).limit(page_size + 1).offset((page - 1) * page_size)
	)
	# Community tickets newest first: an index range on (peer_visibility, creation), read in order.
	rows = query.run(as_dict=True)
	shown = rows[:page_size]
	answers = answer_counts([row.name for row in shown])
	return {
		"enabled": True,
		"page": page,
		"has_more": len(rows) > page_size,
		"rows": [
			feed_row(row, me, answers, age)
			for row, age in zip(shown, ages(r.creation for r in shown), strict=True)
		],
	}


def answer_counts(tickets: list) -> dict[str, int]:
	"""Visible answers per ticket, for one page of tickets in one grouped query.

	Peer Answer's `ticket` is text and HD Ticket's name a number: the names are compared as text,
	so the index on `ticket` is used (a number would make MariaDB convert every row).
	"""
	if not tickets:
		return {}
	Answer = frappe.qb.DocType("Peer Answer")
	return dict(
		frappe.qb.from_(Answer)
		.select(Answer.ticket, Count("*"))
		.where(Answer.ticket.isin([str(name) for name in tickets]))
		.where(Answer.hidden == 0)
		.groupby(Answer.ticket)
		.run()
	)


def feed_row(row, me, answers: dict[str, int], age: str) -> dict:
	return {
		"name": row.name,
		"subject": row.subject,
		"topic": row.ticket_type,
		"status": row.status,
		"age": age,
		"answers": answers.get(str(row.name), 0),
		"accepted": row.peer_status == "Accepted",
		"affected_count": row.peer_affected_count or 0,
		"is_mine": row.raised_by == me.user,
	}


@frappe.whitelist()
def similar(subject: str | None = None, description: str | None = None) -> dict:
	"""While asking: solved community questions and published knowledge-base articles like the one
	being typed, by the suggestion index (lexical and semantic, fused; services.search_index), each
	solved question with its accepted answer's excerpt. Only what the caller may read."""
	if frappe.session.user == "Guest":
		require_login()
	text = " ".join(filter(None, ((subject or "").strip(), (description or "").strip())))
	searching = bool(words_of(text)) and bool(get_settings().enabled)
	vector = search_index.query_vector(text) if searching else None
	me = require_login()
	# Live known issues like the question ("me too: subscribe" instead of a ticket): the service desk's
	# own word on an incident, shown to every asker, held out of suggestions or not.
	notices = incidents.matching(text, me, vector) if searching else []
	if holdout.held_out(me):
		# Honest deflection: this asker asks without suggestions this month, and the page is told why.
		return {"tickets": [], "articles": [], "notices": notices, "holdout": True}
	if not searching:
		return {"tickets": [], "articles": [], "notices": notices, "holdout": False}
	return suggestions(search_index.for_asker(text, me, vector), me) | {"notices": notices, "holdout": False}


def suggestions(entries: list[str], me, limit: int = SIMILAR) -> dict:
	"""The ranked entries as the Ask page shows them, each checked again against the live records: the
	ticket still a solved community question the caller may read (the feed's rule), the article still
	published. One query for the tickets with their accepted answers, one for the articles."""
	tickets = [name for doctype, name in map(search_index.source, entries) if doctype == "HD Ticket"]
	articles = [name for doctype, name in map(search_index.source, entries) if doctype == "HD Article"]
	Ticket, Answer = frappe.qb.DocType("HD Ticket"), frappe.qb.DocType("Peer Answer")
	readable = (
		{
			str(row.name): row
			for row in solved_tickets(Ticket, me, Answer.body.as_("accepted_body"))
			# a hidden answer (say, it held a password) is never quoted, even while still accepted
			.left_join(Answer)
			.on((Answer.name == Ticket.peer_accepted_answer) & (Answer.hidden == 0))
			.where(Ticket.name.isin(tickets[: 4 * limit]))
			.run(as_dict=True)
		}
		if tickets
		else {}
	)
	return {
		"tickets": [
			{
				"name": r.name,
				"subject": r.subject,
				"topic": r.ticket_type,
				"accepted_answer": excerpt(r.accepted_body),
			}
			for r in (readable[name] for name in tickets if name in readable)
		][:limit],
		"articles": search_index.published_articles(articles, host.public_article_route, limit),
	}


def solved_tickets(Ticket, me, *extra):
	"""Solved community questions the caller may read (the feed's audience rule and sharing policy)."""
	query = audience_conditions(
		frappe.qb.from_(Ticket).select(
			Ticket.name,
			Ticket.subject,
			Ticket.ticket_type,
			Ticket.peer_accepted_answer,
			Ticket.creation,
			*extra,
		),
		Ticket,
		me,
	)
	return query.where(Ticket.peer_status == "Accepted")


def excerpt(html: str | None, length: int = 240) -> str:
	from peer_support.services.notify import excerpt as text_excerpt

	return text_excerpt(html, length)


@frappe.whitelist(methods=["POST"])
@limited("ask")
def ask_started() -> dict:
	"""The Ask page opened: record an Ask session for the Deflection Holdout report, and say whether
	this asker asks without suggestions this month (a stable random holdout, services.holdout)."""
	return holdout.start(require_login())


@frappe.whitelist(methods=["POST"])
@limited("ask")
def ask_filed(session: str | None = None, ticket: str | int | None = None) -> dict:
	"""The Ask page filed a ticket through Helpdesk's own API: the session ended in a ticket. Only the
	ticket's requester, for their own session."""
	me = require_login()
	view = access.ticket_view(ticket, me).require_read()  # someone else's private ticket: a 404
	view.require_requester(_("Only the person who filed it may say so."))
	outcome = holdout.end(session, me, FILED, ticket=str(view.ticket.name), topic=view.ticket.ticket_type)
	# an article this asker said solved it lately, still suggested for this ticket, goes back to review
	knowledge_review.on_filed(me.user, view.ticket.name)
	return {"session": session, "outcome": outcome}


@frappe.whitelist(methods=["POST"])
def deflect(
	query: str | None = None,
	ticket: str | int | None = None,
	article: str | None = None,
	session: str | None = None,
) -> dict:
	"""\"This solved it\": the asker found the answer before filing a ticket; nothing is filed. With the
	Ask session, it ends as a (self-reported) deflection."""
	me = require_login()
	if session:
		holdout.own_session(session, me)  # a 404 before anything is written
	if not (query or "").strip():
		frappe.throw(
			_("What were you about to ask? The argument 'query' is required."), frappe.MandatoryError
		)
	if bool(ticket) == bool(article):
		frappe.throw(_("Say which question or article solved it (one of them)."))
	if ticket:
		access.ticket_view(ticket, me).require_read()
	if article and frappe.db.get_value("HD Article", article, "status") != "Published":
		frappe.throw(_("Article {0} not found").format(frappe.bold(article)), frappe.DoesNotExistError)
	doc = frappe.get_doc(
		{
			"doctype": "Peer Deflection",
			"user": me.user,
			"query": query.strip()[:500],
			"ticket": ticket or None,
			"article": article or None,
		}
	)
	# Written for the caller, who has no role on this record; it holds their own action only.
	with peer_writes():
		doc.insert(ignore_permissions=True)
	if session:
		topic = frappe.db.get_value("HD Ticket", ticket, "ticket_type") if ticket else None
		holdout.end(session, me, DEFLECTED, deflection=doc.name, topic=topic)
	return {"name": doc.name, "deflected": True}


@frappe.whitelist()
def sharing(ticket: str | int | None = None) -> dict:
	"""May this ticket be shared with colleagues now? For the requester after asking, or an agent."""
	from peer_support.services.visibility import refusal_message

	view = access.ticket_view(ticket, require_login())
	if not (view.me.is_agent or view.is_requester):
		access.not_found(_("Ticket"), ticket)
	facts = view.ticket
	decision = sharing_decision(facts)
	return {
		"name": facts.name,
		"visibility": facts.peer_visibility,
		"allowed": decision.allowed,
		"reason": None if decision.allowed else refusal_message(decision),
	}


@frappe.whitelist()
def options() -> dict:
	"""What the page needs to draw its controls: topics, feedback options, who is asking."""
	me = require_login()
	return {
		"user": {"full_name": frappe.db.get_value("User", me.user, "full_name"), "is_agent": me.is_agent},
		"enabled": bool(get_settings().enabled),
		"topics": frappe.get_all("HD Ticket Type", pluck="name", order_by="name asc"),
		"filters": list(FILTERS),
	}
