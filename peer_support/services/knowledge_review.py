"""Knowledge that decays, applied: published articles go back to review, and an agent closes the review.

Triggers (the rules are core.knowledge_review):
- readers mark the article "didn't help" (Helpdesk's own HD Article Feedback) past the settings'
  threshold and share, counted since its last review: a doc event queues the check when Helpdesk
  inserts a mark, and an hourly job checks the marks Helpdesk changed with `frappe.db.set_value`
  (which runs no doc events);
- a ticket it solved is reopened: the tickets its peer answers came from (Peer Article Source) and
  tickets whose desk reply linked it; the HD Ticket doc event only notices the reopen and queues a job;
- an asker who said on the Ask page that it solved their question files a ticket within the settings'
  days, and the article is still suggested for that ticket.

The review is this app's record (Peer Article Review), not Helpdesk's article status: Helpdesk's
statuses (Published, Draft, Archived) have no "under review", and unpublishing would take the article
away from the readers it still helps while the desk checks it. One open review per article (a unique
key), so the author hears of it once per review.
"""

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.utils import add_to_date, get_datetime, now_datetime

from peer_support import host
from peer_support.core.knowledge_review import (
	CAME_BACK,
	DIDNT_HELP,
	REOPENED,
	REVIEWED,
	UNDER_REVIEW,
	came_back,
	feedback_due,
	linked_articles,
	may_open,
	people_to_tell,
)
from peer_support.peer_support.doctype.peer_support_settings.peer_support_settings import get_settings
from peer_support.services import access, notify
from peer_support.services.rows import param, statement
from peer_support.services.write_path import peer_writes

REVIEW = "Peer Article Review"
SOURCE = "Peer Article Source"
SCAN_HOURS = 2  # the hourly scan looks this far back, so a slow or missed run loses nothing


# Reads
# -----


def under_review(articles) -> set[str]:
	"""Which of these articles are under review now (one query)."""
	articles = [a for a in articles if a]
	if not articles:
		return set()
	return set(
		frappe.get_all(
			REVIEW, filters={"open_article": ["in", articles]}, pluck="open_article", ignore_permissions=True
		)
	)


def open_review_of(article: str) -> str | None:
	return frappe.db.get_value(REVIEW, {"open_article": article})


def last_reviewed(article: str):
	"""When the article's last review closed (marks before that were answered by it)."""
	rows = frappe.get_all(
		REVIEW,
		filters={"article": article, "status": REVIEWED},
		fields=["closed_on"],
		order_by="closed_on desc",
		limit=1,
		ignore_permissions=True,
	)
	return rows[0].closed_on if rows else None


def sources_of(article: str) -> list[frappe._dict]:
	return frappe.get_all(
		SOURCE, filters={"article": article}, fields=["ticket", "answer", "author"], ignore_permissions=True
	)


def articles_from(ticket) -> list[str]:
	"""Articles made from this ticket's peer answers (the ticket page asks: a statement built once)."""

	def build():
		Source = DocType(SOURCE)
		return frappe.qb.from_(Source).select(Source.article).where(Source.ticket == param("ticket"))

	return frappe.db.sql(
		statement(("articles_from",), build), {"ticket": host.ticket_name(ticket)}, pluck=True
	)


def articles_of_ticket(ticket, me) -> list[dict]:
	"""The knowledge-base articles made from this ticket's peer answers, as the community page shows
	them: published ones for everyone (the public page), drafts for agents too; each says whether it is
	under review."""
	names = articles_from(ticket)
	if not names:
		return []
	filters = {"name": ["in", names]}
	if not me.is_agent:
		filters["status"] = host.ARTICLE_PUBLISHED
	# Published articles are everyone's (drafts only for agents, filtered above); titles only.
	rows = frappe.get_all(
		"HD Article", filters=filters, fields=["name", "title", "status"], ignore_permissions=True
	)
	reviewed = under_review([row.name for row in rows])
	route = host.agent_article_route if me.is_agent else host.public_article_route
	return [
		{
			"name": row.name,
			"title": row.title,
			"published": row.status == host.ARTICLE_PUBLISHED,
			"under_review": row.name in reviewed,
			"route": route(row.name),
		}
		for row in rows
	]


# Sources
# -------


def record_source(article: str, answer) -> None:
	"""The article is made of this peer answer (its ticket and author): api.knowledge.promote."""
	if frappe.db.exists(SOURCE, {"article": article, "answer": answer.name}):
		return
	doc = frappe.get_doc(
		{
			"doctype": SOURCE,
			"article": article,
			"ticket": host.ticket_name(answer.ticket),
			"answer": answer.name,
			"author": answer.author,
		}
	)
	# Written for the agent who promoted the answer (checked by promote); nobody has a role to write it.
	with peer_writes():
		doc.insert(ignore_permissions=True)


# Opening a review
# ----------------


def open_review(article: str, reason: str, ticket=None, counts: tuple[int, int] | None = None) -> str | None:
	"""Send a published article back to review, once: returns the new review, or None when the article
	is not published or under review already (a concurrent job loses on the unique key)."""
	published = host.is_published(article)
	if not may_open(published, bool(open_review_of(article))):
		return None
	didnt_help, helped = counts or host.article_feedback_counts(article, last_reviewed(article))
	doc = frappe.get_doc(
		{
			"doctype": REVIEW,
			"article": article,
			"status": UNDER_REVIEW,
			"reason": reason,
			"ticket": host.ticket_name(ticket) if ticket else None,
			"opened_on": now_datetime(),
			"didnt_help": didnt_help,
			"helped": helped,
			"open_article": article,
			"notified": 1,
		}
	)
	savepoint = f"peer_review_{frappe.generate_hash(length=8)}"
	frappe.db.savepoint(savepoint)
	try:
		# A background job's own record (nobody has a role to write reviews).
		with peer_writes():
			doc.insert(ignore_permissions=True)
	except frappe.UniqueValidationError:
		frappe.db.rollback(save_point=savepoint)
		return None  # another job opened it a moment ago: one review, one notification
	tell_authors(doc)
	return doc.name


def tell_authors(review) -> None:
	"""The article's author and the colleagues whose answers it is made of hear that it is under
	review (Notification Logs, queued after the commit); agents get Helpdesk's article page, colleagues
	the public one."""
	article = frappe.db.get_value("HD Article", review.article, ["name", "title", "author"], as_dict=True)
	people = people_to_tell(article.author, [s.author for s in sources_of(article.name)])
	portal, agents = notify.split_by_role(people)
	subject = _('The knowledge-base article "{0}" is under review: {1}').format(
		article.title, reason_text(review.reason)
	)
	for users, route in ((agents, host.agent_article_route), (portal, host.public_article_route)):
		notify.notify(
			users,
			subject,
			None,
			reference=("HD Article", article.name),
			link=route(article.name),
			include_actor=True,  # a reader's mark or a job, not the author's own act
		)


def reason_text(reason: str) -> str:
	return {
		DIDNT_HELP: _("readers marked it as not helpful"),
		REOPENED: _("a ticket it solved was reopened"),
		CAME_BACK: _("someone it helped asked the question again"),
	}.get(reason, reason)


# Trigger: "didn't help"
# ----------------------


def on_feedback(doc, method=None) -> None:
	"""HD Article Feedback after_insert / on_update: a "didn't help" mark queues the check after commit."""
	if host.is_didnt_help(doc) and doc.get("article"):
		queue("check_feedback", article=doc.article)


def check_feedback(article: str) -> str | None:
	"""The job: enough "didn't help" marks since the last review? Then back to review."""
	counts = host.article_feedback_counts(article, last_reviewed(article))
	if not feedback_due(get_settings().feedback_rule(), *counts):
		return None
	return open_review(article, DIDNT_HELP, counts=counts)


def scan_feedback() -> list[str]:
	"""scheduler_events (hourly): marks Helpdesk changed in place (its set_feedback uses db.set_value,
	which runs no doc events) are checked here."""
	if not get_settings().enabled:
		return []
	since = add_to_date(now_datetime(), hours=-SCAN_HOURS)
	return [name for article in host.articles_with_new_feedback(since) if (name := check_feedback(article))]


# Trigger: a ticket it solved is reopened
# ---------------------------------------


def on_ticket_update(doc, method=None) -> None:
	"""HD Ticket on_update: a reopened ticket queues the look-up of the articles it used (after commit)."""
	if host.became_reopened(doc) and get_settings().review_on_reopen:
		queue("ticket_reopened", ticket=str(doc.name))


def articles_used_by(ticket) -> list[str]:
	"""Articles this ticket was solved with: made from its peer answers, or linked in the desk's replies."""
	linked = [
		name
		for reply in host.ticket_replies(ticket)
		for name in linked_articles(reply, host.ARTICLE_ROUTE_PREFIXES)
	]
	return list(dict.fromkeys([*articles_from(ticket), *linked]))


def ticket_reopened(ticket: str) -> list[str]:
	"""The job: every published article the reopened ticket was solved with goes back to review."""
	if host.ticket_is_done(ticket):
		return []  # resolved again before the job ran
	articles = [a for a in articles_used_by(ticket) if frappe.db.exists("HD Article", a)]
	return [name for article in articles if (name := open_review(article, REOPENED, ticket=ticket))]


# Trigger: a deflected asker files the question after all
# -------------------------------------------------------


def on_filed(user: str, ticket) -> None:
	"""The Ask page filed a ticket (api.community.ask_filed): queue the look for an article that had
	"solved" this asker's question lately."""
	if get_settings().review_came_back_days:
		queue("deflection_came_back", user=user, ticket=str(ticket))


def deflection_came_back(user: str, ticket: str) -> list[str]:
	"""The job: articles the asker said solved it within the settings' days, that are still suggested
	for the ticket they filed now (the same question came back), go back to review."""
	from peer_support.services import search_index

	days = get_settings().review_came_back_days
	filed = frappe.db.get_value(host.TICKET, ticket, ["subject", "description", "creation"], as_dict=True)
	if not filed or not days:
		return []
	Deflection = DocType("Peer Deflection")
	deflections = (
		frappe.qb.from_(Deflection)
		.select(Deflection.article, Deflection.creation)
		.where(Deflection.user == user)
		.where(Deflection.article.isnotnull())
		.where(Deflection.creation >= add_to_date(filed.creation, days=-days))
		.run(as_dict=True)
	)
	recent = {
		d.article
		for d in deflections
		if came_back(get_datetime(d.creation), get_datetime(filed.creation), days)
	}
	if not recent:
		return []
	text = search_index.question_text(filed.subject, search_index.plain(filed.description))
	suggested = {
		name
		for doctype, name in map(search_index.source, search_index.for_asker(text, access.viewer(user)))
		if doctype == "HD Article"
	}
	return [
		name
		for article in sorted(recent & suggested)
		if (name := open_review(article, CAME_BACK, ticket=ticket))
	]


# Closing a review
# ----------------


def close(review, note: str | None = None) -> None:
	"""An agent who may edit the article marks it reviewed: trusted again, and its marks start over."""
	me = access.require_login()
	if not me.is_agent or not frappe.has_permission("HD Article", "write", doc=review.article):
		access.forbid(_("Only the service desk's agents who may edit the article close its review."))
	if review.status != UNDER_REVIEW:
		frappe.throw(_("This review is closed already."))
	review.update(
		{
			"status": REVIEWED,
			"closed_on": now_datetime(),
			"closed_by": me.user,
			"note": (note or "").strip()[:1000] or None,
			"open_article": None,
		}
	)
	# Checked above: an agent with write permission on the article.
	with peer_writes():
		review.save(ignore_permissions=True)


# Jobs
# ----


def queue(job: str, **kwargs) -> None:
	"""A trigger's work in a background job after the commit (one queued job per article or ticket)."""
	key = "::".join(str(v) for v in kwargs.values())
	frappe.enqueue(
		f"peer_support.services.knowledge_review.{job}",
		queue="short",
		job_id=f"peer-support-review::{frappe.local.site}::{job}::{key}",
		deduplicate=True,
		enqueue_after_commit=True,
		now=frappe.flags.in_test,
		**kwargs,
	)
