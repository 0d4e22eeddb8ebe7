"""The community page's reads: the feed, similar questions while asking, deflections, and the page's
settings. One query per list (no request per row); only community-safe fields leave the server."""

import re

import frappe
from frappe import _
from frappe.query_builder import Order
from frappe.query_builder.functions import Count
from frappe.query_builder.terms import ParameterizedValueWrapper
from frappe.utils import pretty_date
from pypika.terms import Criterion
from pypika.utils import format_alias_sql

from peer_support import host
from peer_support.core.audience import ALL_PORTAL_USERS
from peer_support.core.visibility import COMMUNITY
from peer_support.peer_support.doctype.peer_support_settings.peer_support_settings import get_settings
from peer_support.services import access
from peer_support.services.access import viewer
from peer_support.services.visibility import sharing_decision
from peer_support.services.write_path import peer_writes

FILTERS = ("newest", "unanswered", "my_topics", "most_affected", "mine")
PAGE_SIZE = 20
MAX_PAGE_SIZE = 50
WORD = re.compile(r"[\w-]{3,}", re.UNICODE)
# Similar questions while asking. MariaDB's full-text search costs about as much as the subjects it
# matches (a word in one subject in ten matches 10,000 tickets at 100k). So the search takes the typed
# words rarest first while together they match at most MATCH_BUDGET subjects (the rarest one always),
# and all typed words then rank its CANDIDATES. How many subjects hold a word is counted by the same
# index; counts of CACHED_FROM or more are kept in Redis for WORD_COUNT_TTL seconds.
SIMILAR = 5
CANDIDATES = 50
MATCH_BUDGET = 2000
CACHED_FROM = 100
WORD_COUNT_TTL = 3600
# Rows the full-text index cannot show (see `solved_recently`) are looked for among this many of the
# newest solved questions the caller may read.
RECENT_SOLVED = 500
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
	answers = answer_counts([row.name for row in rows[:page_size]])
	return {
		"enabled": True,
		"page": page,
		"has_more": len(rows) > page_size,
		"rows": [feed_row(row, me, answers) for row in rows[:page_size]],
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


def feed_row(row, me, answers: dict[str, int]) -> dict:
	return {
		"name": row.name,
		"subject": row.subject,
		"topic": row.ticket_type,
		"status": row.status,
		"age": pretty_date(row.creation),
		"answers": answers.get(str(row.name), 0),
		"accepted": row.peer_status == "Accepted",
		"affected_count": row.peer_affected_count or 0,
		"is_mine": row.raised_by == me.user,
	}


class Match(Criterion):
	"""MariaDB's `MATCH (column) AGAINST (text IN NATURAL LANGUAGE MODE)`, its relevance; the text is a
	bound parameter (the query runs through frappe.db.sql with values), never formatted into the SQL."""

	def __init__(self, column, text: str, alias: str | None = None):
		super().__init__(alias)
		self.column, self.text = column, ParameterizedValueWrapper(text)

	def nodes_(self):
		yield self
		yield from self.column.nodes_()

	def get_sql(self, with_alias: bool = False, **kwargs) -> str:
		sql = f"MATCH ({self.column.get_sql(**kwargs)}) AGAINST ({self.text.get_sql(**kwargs)} IN NATURAL LANGUAGE MODE)"
		return format_alias_sql(sql, self.alias if with_alias else None, **kwargs)


@frappe.whitelist()
def similar(subject: str | None = None) -> dict:
	"""While asking: community questions solved by a colleague, and published knowledge-base articles,
	that share words with the subject. Only what the caller may read."""
	me = require_login()
	words = words_of(subject)
	if not words:
		return {"tickets": [], "articles": []}
	ranked = solved_matching(words, me) or solved_recently(words, me)
	answers = (
		dict(
			frappe.get_all(
				"Peer Answer",
				# a hidden answer (say, it held a password) is never quoted, even while still accepted
				filters={"name": ["in", [r.peer_accepted_answer for r in ranked]], "hidden": 0},
				fields=["name", "body"],
				as_list=True,
			)
		)
		if ranked
		else {}
	)
	tickets = [
		{
			"name": r.name,
			"subject": r.subject,
			"topic": r.ticket_type,
			"accepted_answer": excerpt(answers.get(r.peer_accepted_answer)),
		}
		for r in ranked
	]
	return {"tickets": tickets, "articles": similar_articles(words)}


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


def solved_matching(words: list[str], me) -> list:
	"""The best matches by the FULLTEXT index on HD Ticket's subject (install.SUBJECT_FULLTEXT): the
	index finds the solved questions holding the search words, MariaDB ranks them by relevance, and the
	number of typed words in each subject ranks them again."""
	if frappe.db.db_type != "mariadb":
		return []
	search = search_words(words)
	return ranked_by_words(solved_matching_query(search, me).run(as_dict=True), words) if search else []


def solved_matching_query(words: list[str], me):
	Ticket = frappe.qb.DocType("HD Ticket")
	text = " ".join(words)
	return (
		solved_tickets(Ticket, me, Match(Ticket.subject, text, alias="relevance"))
		.where(Match(Ticket.subject, text))
		.orderby("relevance", order=Order.desc)
		.orderby(Ticket.creation, order=Order.desc)
		.limit(CANDIDATES)
	)


def search_words(words: list[str]) -> list[str]:
	"""The typed words to search for: rarest first, while they match at most MATCH_BUDGET subjects."""
	counts = subject_counts(words)
	chosen, matched = [], 0
	for word in sorted((word for word in words if counts[word]), key=counts.get):
		if chosen and matched + counts[word] > MATCH_BUDGET:
			break
		chosen.append(word)
		matched += counts[word]
	return chosen


def subject_counts(words: list[str]) -> dict[str, int]:
	"""How many ticket subjects hold each word, by the full-text index; common words' counts from Redis."""
	counts = {word: frappe.cache.get_value(f"peer_support:subject_word:{word}") for word in words}
	missing = [word for word, count in counts.items() if count is None]
	if missing:
		# One statement, one placeholder per word; only the placeholders are repeated into the SQL.
		count = "(SELECT COUNT(*) FROM `tabHD Ticket` WHERE MATCH (`subject`) AGAINST (%s IN NATURAL LANGUAGE MODE))"
		found = frappe.db.sql("SELECT " + ", ".join([count] * len(missing)), missing)[0]
		for word, number in zip(missing, found, strict=True):
			counts[word] = int(number)
			if number >= CACHED_FROM:
				frappe.cache.set_value(
					f"peer_support:subject_word:{word}", int(number), expires_in_sec=WORD_COUNT_TTL
				)
	return counts


def ranked_by_words(rows: list, words: list[str]) -> list:
	"""The rows holding most of the typed words first; otherwise in the order they came."""
	return sorted(rows, key=lambda row: -sum(word in (row.subject or "").lower() for word in words))[:SIMILAR]


def solved_recently(words: list[str], me) -> list:
	"""InnoDB's full-text index shows a row only once its transaction commits, and skips stopwords and
	parts of words. When it finds nothing, the newest solved questions the caller may read (an index
	range on peer_visibility, peer_status, creation; at most RECENT_SOLVED rows) are searched word by word."""
	Ticket = frappe.qb.DocType("HD Ticket")
	recent = (
		solved_tickets(Ticket, me)
		.orderby(Ticket.creation, order=Order.desc)
		.limit(RECENT_SOLVED)
		.as_("recent")
	)
	match = None
	for word in words:
		condition = recent.subject.like(f"%{word}%")
		match = condition if match is None else match | condition
	rows = (
		frappe.qb.from_(recent)
		.select(recent.name, recent.subject, recent.ticket_type, recent.peer_accepted_answer, recent.creation)
		.where(match)
		.orderby(recent.creation, order=Order.desc)
		.limit(CANDIDATES)
		.run(as_dict=True)
	)
	return ranked_by_words(rows, words)


def similar_articles(words: list[str]) -> list[dict]:
	Article = frappe.qb.DocType("HD Article")
	match = None
	for word in words:
		condition = Article.title.like(f"%{word}%")
		match = condition if match is None else match | condition
	rows = (
		frappe.qb.from_(Article)
		.select(Article.name, Article.title, Article.content)
		.where(Article.status == "Published")
		.where(match)
		.limit(20)
		.run(as_dict=True)
	)
	ranked = sorted(rows, key=lambda row: -sum(word in (row.title or "").lower() for word in words))[:5]
	return [
		{
			"name": r.name,
			"title": r.title,
			"excerpt": excerpt(r.content),
			"route": host.public_article_route(r.name),
		}
		for r in ranked
	]


def excerpt(html: str | None, length: int = 240) -> str:
	from peer_support.services.notify import excerpt as text_excerpt

	return text_excerpt(html, length)


@frappe.whitelist(methods=["POST"])
def deflect(query: str | None = None, ticket: str | int | None = None, article: str | None = None) -> dict:
	"""\"This solved it\": the asker found the answer before filing a ticket; nothing is filed."""
	me = require_login()
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
