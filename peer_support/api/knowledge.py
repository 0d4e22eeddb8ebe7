"""Knowledge capture: an agent turns a proven peer answer into a draft Helpdesk knowledge-base article.

The article is Helpdesk's own HD Article (a draft the service desk reviews and publishes), with the
question, the answer, its author's name and a link back to the ticket.
"""

import frappe
from frappe import _
from frappe.utils import escape_html

from peer_support import host
from peer_support.core import reputation as rules_engine
from peer_support.services import access, knowledge_review, notify, reputation, search_index
from peer_support.services.rows import get_field


@frappe.whitelist()
def categories() -> list[dict]:
	"""Helpdesk's knowledge-base categories, for the agent choosing where the article goes."""
	if not frappe.has_permission("HD Article", "create"):
		frappe.throw(
			_("Only the service desk's agents write knowledge-base articles."), frappe.PermissionError
		)
	return frappe.get_all(
		"HD Article Category", fields=["name", "category_name"], order_by="category_name asc"
	)


@frappe.whitelist(methods=["POST"])
def promote(answer: str | None = None, category: str | None = None, title: str | None = None) -> dict:
	"""Make a draft article from an accepted or endorsed answer; returns the article's name and route."""
	ctx = access.answer_view(
		answer, for_update=True
	).require_agent()  # two agents promoting at once: one draft
	if not frappe.has_permission("HD Article", "create"):
		frappe.throw(
			_("Only the service desk's agents write knowledge-base articles."), frappe.PermissionError
		)
	if ctx.answer.hidden:
		frappe.throw(_("A hidden answer cannot become an article."))
	if not (ctx.answer.accepted or ctx.answer.endorsed_by):
		frappe.throw(
			_("Only an accepted or endorsed answer can become an article: it has been proven to work.")
		)
	existing = get_field("Peer Answer", ctx.answer.name, "kb_article")
	if existing and frappe.db.exists("HD Article", existing):
		frappe.throw(
			_("This answer is already article {0}.").format(frappe.bold(existing)), frappe.DuplicateEntryError
		)
	if category and not frappe.db.exists("HD Article Category", category):
		frappe.throw(_("Category {0} not found").format(frappe.bold(category)), frappe.DoesNotExistError)

	author_name = get_field("User", ctx.answer.author, "full_name") or _("a colleague")
	article = frappe.get_doc(
		host.article_draft(
			(title or "").strip() or ctx.ticket.subject,
			article_content(ctx, author_name),
			category,
			ctx.me.user,
		)
	)
	article.insert()  # as the agent, with Helpdesk's own permissions on HD Article
	frappe.db.set_value("Peer Answer", ctx.answer.name, "kb_article", article.name)
	knowledge_review.record_source(article.name, ctx.answer)  # the question, the answer, its author
	reputation.record(
		rules_engine.promote_events(reputation.rules(), ctx.answer.name, ctx.answer.author, ctx.me.user),
		ctx.ticket.name,
		ctx.ticket.ticket_type,
	)
	host.log_activity(
		ctx.ticket.name,
		_("made the peer answer from {0} a knowledge-base draft: {1}").format(author_name, article.title),
	)
	notify.answer_event(
		ctx.answer,
		_("Your answer on ticket #{0} is becoming a knowledge-base article").format(ctx.ticket.name),
	)
	return {"name": article.name, "title": article.title, "route": host.agent_article_route(article.name)}


def article_content(ctx, author_name: str) -> str:
	"""The question, the answer (both sanitised on save by Helpdesk's Text Editor) and where they came from."""
	verified = _(" and verified by IT") if ctx.answer.endorsed_by else ""
	return (
		f"<h3>{escape_html(_('The question'))}</h3>{ctx.ticket.description or ''}"
		f"<h3>{escape_html(_('What worked'))}</h3>{ctx.answer.body or ''}"
		f"<p><em>{escape_html(_('Answer by {0}, a colleague{1}. From ticket').format(author_name, verified))} "
		f'<a href="{host.agent_ticket_route(ctx.ticket.name)}">#{ctx.ticket.name}</a>.</em></p>'
	)


@frappe.whitelist(methods=["POST"])
def close_review(review: str | None = None, note: str | None = None) -> dict:
	"""An agent marks an article under review as reviewed (trusted again); the rules are the review's
	own method (Peer Article Review.close). Non-agents get a 404: reviews are the desk's."""
	me = access.require_login()
	if not review or not me.is_agent or not frappe.db.exists(knowledge_review.REVIEW, review):
		access.not_found(_("Review"), review)
	return frappe.get_doc(knowledge_review.REVIEW, review).close(note)


SIMILAR = 5


@frappe.whitelist()
def similar(ticket: str | int | None = None) -> dict:
	"""For an agent's ticket view: solved tickets and published articles like this ticket (the
	suggestion index, lexical and semantic), each ticket one the agent may read by Helpdesk's own
	permission rules (agent groups included), with its accepted or endorsed answer's excerpt."""
	view = access.ticket_view(ticket).require_agent()
	text = search_index.question_text(view.ticket.subject, search_index.plain(view.ticket.description))
	entries = [search_index.source(e) for e in search_index.for_agent(text, exclude=str(view.ticket.name))]
	candidates = [name for doctype, name in entries if doctype == "HD Ticket"][: 4 * SIMILAR]
	# frappe.get_list asks HD Ticket's permission query for the agent: what Helpdesk would list them.
	readable = (
		{
			str(row.name): row
			for row in frappe.get_list(
				"HD Ticket",
				filters={"name": ["in", candidates]},
				fields=["name", "subject", "status", "ticket_type"],
				limit_page_length=len(candidates),
			)
		}
		if candidates
		else {}
	)
	shown = [readable[name] for name in candidates if name in readable][:SIMILAR]
	answers = {}
	if shown:
		for row in frappe.get_all(
			"Peer Answer",
			filters={"ticket": ["in", [t.name for t in shown]], "hidden": 0},
			or_filters={"accepted": 1, "endorsed_by": ["is", "set"]},
			fields=["ticket", "body", "accepted"],
			order_by="accepted desc, creation asc",
		):
			answers.setdefault(str(row.ticket), row.body)
	articles = [name for doctype, name in entries if doctype == "HD Article"]
	return {
		"tickets": [
			{
				"name": t.name,
				"subject": t.subject,
				"status": t.status,
				"topic": t.ticket_type,
				"answer": notify.excerpt(answers.get(str(t.name)), 240),
				"route": host.agent_ticket_route(t.name),
			}
			for t in shown
		],
		"articles": search_index.published_articles(articles, host.agent_article_route, SIMILAR),
	}
