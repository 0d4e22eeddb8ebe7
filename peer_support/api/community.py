"""The community page's reads: the feed, similar questions while asking, deflections, and the page's
settings. One query per list (no request per row); only community-safe fields leave the server."""

import re

import frappe
from frappe import _
from frappe.query_builder import Order
from frappe.query_builder.functions import Count
from frappe.utils import pretty_date

from peer_support.core.audience import ALL_PORTAL_USERS, may_read_community
from peer_support.core.visibility import COMMUNITY
from peer_support.peer_support.doctype.peer_support_settings.peer_support_settings import get_settings
from peer_support.services.access import ticket_access, viewer
from peer_support.services.ticket_status import DONE_STATUSES
from peer_support.services.visibility import sharing_decision

FILTERS = ("newest", "unanswered", "my_topics", "most_affected", "mine")
PAGE_SIZE = 20
MAX_PAGE_SIZE = 50
WORD = re.compile(r"[\w-]{3,}", re.UNICODE)
STOP_WORDS = {"the", "and", "for", "with", "not", "does", "doesn", "can", "cannot", "how", "what", "why", "when",
              "from", "this", "that", "have", "has", "my", "our", "your", "after", "since"}


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
		mine = (Ticket.raised_by == me.user) | (Ticket.owner == me.user)
		query = query.where(Ticket.customer.isin(list(me.customers)) | mine) if me.customers else query.where(mine)
	policy = settings.sharing_policy()
	for field, excluded in (("ticket_type", policy.excluded_ticket_types), ("agent_group", policy.excluded_teams),
	                        ("priority", policy.excluded_priorities)):
		if excluded:
			query = query.where(Ticket[field].isnull() | Ticket[field].notin(list(excluded)))
	return query


def words_of(text: str | None) -> list[str]:
	found = [w.lower() for w in WORD.findall(text or "")]
	return list(dict.fromkeys(w for w in found if w not in STOP_WORDS))[:8]


@frappe.whitelist()
def feed(filter: str = "newest", search: str | None = None, page: int = 1, page_size: int = PAGE_SIZE) -> dict:
	"""Community questions the caller may read, newest first unless filtered."""
	me = require_login()
	if filter not in FILTERS:
		frappe.throw(_("Filter must be one of {0}").format(", ".join(FILTERS)))
	if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
		frappe.throw(_("Page must be 1 or more and page size between 1 and {0}").format(MAX_PAGE_SIZE))
	if not get_settings().enabled:
		return {"enabled": False, "rows": [], "page": page, "has_more": False}
	Ticket = frappe.qb.DocType("HD Ticket")
	Answer = frappe.qb.DocType("Peer Answer")
	answers = (
		frappe.qb.from_(Answer).select(Count("*")).where(Answer.ticket == Ticket.name).where(Answer.hidden == 0)
	)
	query = audience_conditions(
		frappe.qb.from_(Ticket).select(
			Ticket.name, Ticket.subject, Ticket.ticket_type, Ticket.status, Ticket.creation, Ticket.peer_status,
			Ticket.peer_affected_count, Ticket.raised_by, answers.as_("answers")),
		Ticket, me)
	for word in words_of(search):
		query = query.where(Ticket.subject.like(f"%{word}%"))
	if filter == "unanswered":
		query = query.where(Ticket.peer_status.isin(["None", ""]) | Ticket.peer_status.isnull())
		query = query.where(Ticket.status.notin(list(DONE_STATUSES)))
	elif filter == "my_topics":
		topics = frappe.get_all("Peer Profile Topic", filters={"parent": me.user, "parenttype": "Peer Profile"},
		                        pluck="topic")
		if not topics:
			return {"enabled": True, "rows": [], "page": page, "has_more": False, "no_topics": True}
		query = query.where(Ticket.ticket_type.isin(topics))
	elif filter == "mine":
		query = query.where((Ticket.raised_by == me.user) | (Ticket.owner == me.user))
	if filter == "most_affected":
		query = query.orderby(Ticket.peer_affected_count, order=Order.desc)
	query = query.orderby(Ticket.creation, order=Order.desc).limit(page_size + 1).offset((page - 1) * page_size)
	rows = query.run(as_dict=True)
	return {
		"enabled": True,
		"page": page,
		"has_more": len(rows) > page_size,
		"rows": [feed_row(row, me) for row in rows[:page_size]],
	}


def feed_row(row, me) -> dict:
	return {
		"name": row.name,
		"subject": row.subject,
		"topic": row.ticket_type,
		"status": row.status,
		"age": pretty_date(row.creation),
		"answers": row.answers or 0,
		"accepted": row.peer_status == "Accepted",
		"affected_count": row.peer_affected_count or 0,
		"is_mine": row.raised_by == me.user,
	}


@frappe.whitelist()
def similar(subject: str | None = None) -> dict:
	"""While asking: community questions solved by a colleague, and published knowledge-base articles,
	that share words with the subject. Only what the caller may read."""
	me = require_login()
	words = words_of(subject)
	if not words:
		return {"tickets": [], "articles": []}
	Ticket = frappe.qb.DocType("HD Ticket")
	match = None
	for word in words:
		condition = Ticket.subject.like(f"%{word}%")
		match = condition if match is None else match | condition
	query = audience_conditions(
		frappe.qb.from_(Ticket).select(Ticket.name, Ticket.subject, Ticket.ticket_type, Ticket.peer_accepted_answer,
		                                Ticket.creation),
		Ticket, me)
	candidates = (
		query.where(Ticket.peer_status == "Accepted").where(match)
		.orderby(Ticket.creation, order=Order.desc).limit(50).run(as_dict=True)
	)
	ranked = sorted(candidates, key=lambda row: -sum(word in row.subject.lower() for word in words))[:5]
	answers = dict(frappe.get_all("Peer Answer", filters={"name": ["in", [r.peer_accepted_answer for r in ranked]]},
	                              fields=["name", "body"], as_list=True)) if ranked else {}
	tickets = [{"name": r.name, "subject": r.subject, "topic": r.ticket_type,
	            "accepted_answer": excerpt(answers.get(r.peer_accepted_answer))} for r in ranked]
	return {"tickets": tickets, "articles": similar_articles(words)}


def similar_articles(words: list[str]) -> list[dict]:
	Article = frappe.qb.DocType("HD Article")
	match = None
	for word in words:
		condition = Article.title.like(f"%{word}%")
		match = condition if match is None else match | condition
	rows = (
		frappe.qb.from_(Article).select(Article.name, Article.title, Article.content)
		.where(Article.status == "Published").where(match).limit(20).run(as_dict=True)
	)
	ranked = sorted(rows, key=lambda row: -sum(word in (row.title or "").lower() for word in words))[:5]
	return [{"name": r.name, "title": r.title, "excerpt": excerpt(r.content),
	         "route": f"/helpdesk/kb-public/articles/{r.name}"} for r in ranked]


def excerpt(html: str | None, length: int = 240) -> str:
	from peer_support.services.notify import excerpt as text_excerpt

	return text_excerpt(html, length)


@frappe.whitelist(methods=["POST"])
def deflect(query: str | None = None, ticket: str | int | None = None, article: str | None = None) -> dict:
	"""\"This solved it\": the asker found the answer before filing a ticket; nothing is filed."""
	me = require_login()
	if not (query or "").strip():
		frappe.throw(_("What were you about to ask? The argument 'query' is required."), frappe.MandatoryError)
	if bool(ticket) == bool(article):
		frappe.throw(_("Say which question or article solved it (one of them)."))
	if ticket:
		facts = frappe.db.get_value("HD Ticket", ticket, ["name", "subject", "ticket_type", "priority", "agent_group",
		                                                  "customer", "contact", "raised_by", "owner",
		                                                  "peer_visibility"], as_dict=True)
		if not facts or not may_read_community(me, ticket_access(facts), get_settings().audience):
			frappe.throw(_("Ticket {0} not found").format(frappe.bold(ticket)), frappe.DoesNotExistError)
	if article and frappe.db.get_value("HD Article", article, "status") != "Published":
		frappe.throw(_("Article {0} not found").format(frappe.bold(article)), frappe.DoesNotExistError)
	doc = frappe.get_doc({"doctype": "Peer Deflection", "user": me.user, "query": query.strip()[:500],
	                      "ticket": ticket or None, "article": article or None})
	# Written for the caller, who has no role on this record; it holds their own action only.
	doc.insert(ignore_permissions=True)
	return {"name": doc.name, "deflected": True}


@frappe.whitelist()
def sharing(ticket: str | int | None = None) -> dict:
	"""May this ticket be shared with colleagues now? For the requester after asking, or an agent."""
	from peer_support.api.tickets import get_ticket_or_404
	from peer_support.core.audience import is_requester
	from peer_support.services.visibility import refusal_message

	facts = get_ticket_or_404(ticket)
	me = require_login()
	if not (me.is_agent or is_requester(me, ticket_access(facts))):
		frappe.throw(_("Ticket {0} not found").format(frappe.bold(ticket)), frappe.DoesNotExistError)
	decision = sharing_decision(facts)
	return {"name": facts.name, "visibility": facts.peer_visibility, "allowed": decision.allowed,
	        "reason": None if decision.allowed else refusal_message(decision)}


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
