"""Peer answers: colleagues answer, edit, vote and flag; the requester accepts; agents endorse and hide.

Every function checks who is asking before it reads or writes anything. A ticket or answer the
caller may not read is "not found" (404), so its existence is not revealed; an action the caller
may read but not do is a 403 with the reason.
"""

import functools

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.rate_limiter import rate_limit
from frappe.utils import cint, now_datetime
from frappe.utils.html_utils import sanitize_html

from peer_support import host
from peer_support.api.tickets import answer_projection, get_ticket_or_404
from peer_support.core.answers import (
	MAX_BODY_CHARS,
	BodyProblem,
	EditRefusal,
	body_problem,
	edit_refusal,
	hidden_for_review,
	review_reason,
)
from peer_support.core.audience import is_requester, may_answer, may_read_community
from peer_support.core.reputation import VoteRefusal, vote_refusal
from peer_support.host import is_done, log_activity
from peer_support.peer_support.doctype.peer_support_settings.peer_support_settings import get_settings
from peer_support.services import notify, reputation
from peer_support.services.access import ticket_access, viewer
from peer_support.services.rows import full_names, get_field, get_row, insert_row, param, statement
from peer_support.services.write_path import peer_writes

ANSWER_FIELDS = [
	"name",
	"ticket",
	"author",
	"body",
	"score",
	"accepted",
	"endorsed_by",
	"hidden",
	"hidden_reason",
	"flags_count",
	"kb_article",
	"resolved_ticket",
	"creation",
	"modified",
]
RESOLVE = "Resolve the Ticket"

# Rate limits per user, over a window of RATE_WINDOW seconds: generous for a person, tight for a script.
# A site may change the numbers (not the window) in site_config.json:
#   bench --site SITE set-config --parse peer_support_rate_limits '{"create": 40}'
RATE_WINDOW = 10 * 60
RATE_LIMITS = {"create": 20, "vote": 120, "flag": 20}
RATE_KEY = "_peer_support_rate_user"


def configured_limit(action: str):
	"""The site's limit for `action` (read on each request), else RATE_LIMITS'."""
	return lambda: (
		cint((frappe.conf.get("peer_support_rate_limits") or {}).get(action)) or RATE_LIMITS[action]
	)


def per_user(fn):
	"""Count Frappe's rate limit per user instead of per IP address (colleagues share their office's).

	Frappe's `rate_limit(key=...)` counts per value of that request argument; this puts the session
	user there, after Frappe has bound the function's own arguments, so callers cannot choose it.
	Frappe then refuses the request over the limit with RateLimitExceededError (HTTP 429, a message).
	"""

	@functools.wraps(fn)
	def wrapper(*args, **kwargs):
		if getattr(frappe.local, "request", None):
			frappe.form_dict[RATE_KEY] = frappe.session.user
		return fn(*args, **kwargs)

	return wrapper


class Context(frappe._dict):
	"""The answer, its ticket and the caller, read once per request."""


def not_found(what: str, name) -> None:
	frappe.throw(_("{0} {1} not found").format(what, frappe.bold(name)), frappe.DoesNotExistError)


def forbid(message: str) -> None:
	frappe.throw(message, frappe.PermissionError)


def check_body(body: str | None) -> None:
	problem = body_problem(body)
	if problem is BodyProblem.EMPTY:
		frappe.throw(_("The answer is empty."), frappe.MandatoryError)
	if problem is BodyProblem.TOO_LONG:
		frappe.throw(_("The answer is longer than {0} characters.").format(MAX_BODY_CHARS))


def to_html(body: str) -> str:
	"""Answers arrive as HTML (the rich-text editor) or as Markdown (plain text); both are stored as
	sanitised HTML. `always_sanitize`: Frappe's own save-time cleaning skips values that parse as JSON
	or in which Python's HTML parser sees no tag, and `<!--><img onerror=...>-->` is such a value."""
	html = body if body.lstrip().startswith("<") else frappe.utils.md_to_html(body)
	return sanitize_html(html, always_sanitize=True)


def load(answer: str | None, for_update: bool = False) -> Context:
	"""The answer and its ticket, or 404 when the caller may not read them (hidden answers: agents only)."""
	if not answer:
		frappe.throw(_("Which answer? The argument 'answer' is required."), frappe.MandatoryError)
	row = get_row("Peer Answer", answer, ANSWER_FIELDS, for_update=for_update)
	if not row:
		not_found(_("Answer"), answer)
	ticket = get_ticket_or_404(row.ticket)
	me = viewer()
	access = ticket_access(ticket)
	audience = get_settings().audience
	if not may_read_community(me, access, audience) or (row.hidden and not me.is_agent):
		not_found(_("Answer"), answer)
	return Context(answer=row, ticket=ticket, me=me, access=access, audience=audience)


def projection(ctx: Context, row: frappe._dict | None = None) -> dict:
	"""The answer as the community page shows it: `row` as the caller knows it, else read again."""
	row = row or get_row("Peer Answer", ctx.answer.name, ANSWER_FIELDS)
	return answer_projection(row, ctx.me, full_names([row.author, row.endorsed_by]))


def full_name(user: str) -> str:
	return get_field("User", user, "full_name") or _("a colleague")


def refuse_if_hidden(ctx: Context) -> None:
	"""Hiding took back what the answer had earned; while hidden, nothing else may add or take points."""
	if ctx.answer.hidden:
		frappe.throw(_("This answer is hidden; show it again first."))


def require_agent(ctx: Context) -> None:
	if not ctx.me.is_agent:
		forbid(_("Only the service desk's agents may moderate peer answers."))


@frappe.whitelist(methods=["POST"])
@per_user
@rate_limit(key=RATE_KEY, ip_based=False, limit=configured_limit("create"), seconds=RATE_WINDOW)
def create(ticket: str | int | None = None, body: str | None = None) -> dict:
	"""Answer a community ticket; returns the new answer as the community page shows it."""
	facts = get_ticket_or_404(ticket)
	me = viewer()
	access = ticket_access(facts)
	audience = get_settings().audience
	if not may_read_community(me, access, audience):
		not_found(_("Ticket"), ticket)
	if not may_answer(me, access, audience):
		forbid(_("Colleagues answer here; the requester accepts an answer and agents reply in Helpdesk."))
	check_body(body)

	answer = frappe.get_doc(
		{"doctype": "Peer Answer", "ticket": facts.name, "author": me.user, "body": to_html(body)}
	)
	# Checked above: the author is in the ticket's audience; portal users have no role on Peer Answer.
	with peer_writes():
		answer.insert(ignore_permissions=True)  # Frappe sanitises the Text Editor body on save
	if facts.peer_status in (None, "", "None"):
		# Only this app's field, so Helpdesk's fields and `modified` (and its SLA) stay as they were.
		frappe.db.set_value("HD Ticket", facts.name, "peer_status", "Answered", update_modified=False)
	author_name = full_name(me.user)
	log_activity(facts.name, _("posted a peer answer"))  # Helpdesk shows it after the author's name
	notify.new_answer(facts.name, author_name, answer.body)
	reputation.on_answer(answer, facts.ticket_type)
	return answer_projection(answer.as_dict(), me, {me.user: author_name})


@frappe.whitelist(methods=["POST"])
def update(answer: str | None = None, body: str | None = None) -> dict:
	"""The author edits their answer, until it is accepted."""
	ctx = load(answer)
	refusal = edit_refusal(ctx.answer.author, ctx.me.user, bool(ctx.answer.accepted))
	if refusal is EditRefusal.NOT_AUTHOR:
		forbid(_("Only the author may edit this answer."))
	if refusal is EditRefusal.ACCEPTED:
		forbid(_("An accepted answer can no longer be edited: the requester accepted what they read."))
	check_body(body)
	doc = frappe.get_doc("Peer Answer", ctx.answer.name)
	doc.body = to_html(body)
	# Checked above: the author; the edit is kept in the answer's version history (track_changes).
	with peer_writes():
		doc.save(ignore_permissions=True)
	return projection(ctx)


@frappe.whitelist(methods=["POST"])
@per_user
@rate_limit(key=RATE_KEY, ip_based=False, limit=configured_limit("vote"), seconds=RATE_WINDOW)
def vote(answer: str | None = None, value: int | None = None) -> dict:
	"""+1 helpful, -1 not helpful, 0 takes one's vote back. One vote per colleague per answer."""
	if value not in (-1, 0, 1):
		frappe.throw(_("A vote is 1 (helpful), -1 (not helpful) or 0 (take my vote back)."))
	ctx = load(answer, for_update=True)  # the row lock orders concurrent votes on one answer
	if ctx.me.is_agent:
		forbid(_("Agents endorse answers instead of voting on them."))
	Vote = DocType("Peer Answer Vote")
	mine = {"answer": ctx.answer.name, "voter": ctx.me.user}
	# The answer's row lock orders the votes on it. A locking read of a vote row that does not exist
	# would lock the gap in the (answer, voter) index too, and two first votes on different answers whose
	# keys share a gap then deadlock on their inserts (a 500); so only an existing row is read again with a
	# lock, for its latest value. A first vote relies on the unique key: a concurrent second one is a 409.
	existing = get_row("Peer Answer Vote", mine, ["name"])
	if existing:
		existing = get_row("Peer Answer Vote", mine, ["name", "value", "points"], for_update=True)
	old = existing.value if existing else 0
	requester = ctx.me.user if is_requester(ctx.me, ctx.access) else ctx.ticket.raised_by
	refusal = vote_refusal(ctx.answer.author, ctx.me.user, requester, old, value)
	if refusal is VoteRefusal.OWN_ANSWER:
		forbid(_("You cannot vote on your own answer."))
	if refusal is VoteRefusal.OWN_TICKET:
		forbid(_("You asked this question: accept the answer that solved it instead of voting."))
	if refusal is VoteRefusal.SAME_VOTE:
		frappe.throw(
			_("You have already voted on this answer.") if value else _("You have not voted on this answer."),
			frappe.DuplicateEntryError,
		)
	if refusal is not None:
		frappe.throw(_("This vote is not allowed."))

	points = reputation.on_vote(
		ctx.answer, ctx.ticket, ctx.me.user, old, value, existing.points if existing else 0
	)
	if not existing:
		now = now_datetime()
		try:
			# Checked above: a colleague in the audience, not the author or requester. The unique
			# (answer, voter) key refuses a concurrent second vote of the same colleague.
			insert_row(
				"Peer Answer Vote",
				{
					"name": frappe.generate_hash(length=12),
					"answer": ctx.answer.name,
					"voter": ctx.me.user,
					"ticket": str(ctx.ticket.name),
					"value": value,
					"points": points,
					"creation": now,
					"modified": now,
					"owner": ctx.me.user,
					"modified_by": ctx.me.user,
				},
			)
		except Exception as error:
			if not frappe.db.is_duplicate_entry(error):
				raise
			frappe.throw(_("You have already voted on this answer."), frappe.DuplicateEntryError)
	elif value == 0:
		frappe.qb.from_(Vote).delete().where(Vote.name == existing.name).run()
	else:
		frappe.qb.update(Vote).set(Vote.value, value).set(Vote.points, points).where(
			Vote.name == existing.name
		).run()
	add_to_score(ctx.answer.name, value - old)
	# The answer's row stays locked until commit, so the score read with the lock plus this change is its score.
	result = projection(ctx, frappe._dict(ctx.answer, score=(ctx.answer.score or 0) + value - old))
	result["my_vote"] = value
	return result


def add_to_score(answer: str, change: int) -> None:
	"""Atomic in SQL, so concurrent votes on one answer add up instead of overwriting each other."""

	def build():
		Answer = DocType("Peer Answer")
		return (
			frappe.qb.update(Answer)
			.set(Answer.score, Answer.score + param("change"))
			.where(Answer.name == param("answer"))
		)

	frappe.db.sql(statement(("add to score",), build), {"answer": answer, "change": change})


@frappe.whitelist(methods=["POST"])
def accept(answer: str | None = None, feedback: str | None = None) -> dict:
	"""The requester accepts the answer that solved their problem.

	By the settings, the ticket is then resolved through Helpdesk's own status flow (its SLA records
	the resolution, and its rules apply: a portal user resolving a ticket gives Helpdesk feedback,
	`feedback` being an HD Ticket Feedback Option) or the assigned agents are asked to confirm.
	"""
	ctx = load(answer)
	if not is_requester(ctx.me, ctx.access):
		forbid(_("Only the person who asked may accept an answer."))
	if ctx.answer.hidden:
		frappe.throw(_("This answer is hidden by the service desk and cannot be accepted."))
	if ctx.answer.accepted:
		return projection(ctx)
	if feedback and not host.feedback_option_exists(feedback):
		not_found(_("Feedback option"), feedback)

	ticket = frappe.get_doc("HD Ticket", ctx.ticket.name)
	previous = ticket.peer_accepted_answer
	ticket.peer_status = "Accepted"
	ticket.peer_accepted_answer = ctx.answer.name
	ticket.peer_resolved = 1
	resolve = get_settings().on_accept == RESOLVE and not is_done(ticket)
	if resolve:
		host.resolve(ticket, feedback)
	# Checked above: the requester. Helpdesk's own validation (feedback, closed or rated tickets) and its
	# SLA engine run in this save, as when the requester resolves the ticket in Helpdesk's portal.
	with peer_writes():
		ticket.save(ignore_permissions=True)

	Answer = DocType("Peer Answer")
	resolved_by_app = resolve
	if previous and previous != ctx.answer.name:
		# A switch: the ticket this app resolved for the previous answer now stays resolved for this one.
		resolved_by_app = resolve or bool(get_field("Peer Answer", previous, "resolved_ticket"))
		frappe.qb.update(Answer).set(Answer.accepted, 0).set(Answer.resolved_ticket, 0).where(
			Answer.name == previous
		).run()
		reputation.on_accept(
			frappe._dict(
				name=previous,
				author=frappe.db.get_value("Peer Answer", previous, "author"),
				ticket=ticket.name,
			),
			accepted=False,
		)
	frappe.qb.update(Answer).set(Answer.accepted, 1).set(Answer.resolved_ticket, int(resolved_by_app)).where(
		Answer.name == ctx.answer.name
	).run()
	reputation.on_accept(ctx.answer, accepted=True)

	author_name = full_name(ctx.answer.author)
	log_activity(ticket.name, _("accepted the peer answer from {0}").format(author_name))
	notify.answer_event(ctx.answer, _("Your answer on ticket #{0} was accepted").format(ticket.name))
	if not resolve and not is_done(ticket):
		notify.notify(
			notify.ticket_agents(ticket.name),
			_("Ticket #{0}: the requester accepted a peer answer; please confirm and resolve it").format(
				ticket.name
			),
			ticket.name,
			for_agents=True,
		)
	return projection(ctx)


@frappe.whitelist(methods=["POST"])
def unaccept(answer: str | None = None) -> dict:
	"""Withdraw an acceptance (the requester, or an agent); a ticket this app resolved is reopened,
	as far as Helpdesk's rules let the caller reopen it."""
	ctx = load(answer)
	if not (ctx.me.is_agent or is_requester(ctx.me, ctx.access)):
		forbid(_("Only the person who asked, or an agent, may withdraw an acceptance."))
	refuse_if_hidden(ctx)
	if not ctx.answer.accepted:
		return projection(ctx)
	ticket = frappe.get_doc("HD Ticket", ctx.ticket.name)
	ticket.peer_status = "Answered"
	ticket.peer_accepted_answer = None
	ticket.peer_resolved = 0
	if ctx.answer.resolved_ticket and is_done(ticket):
		host.reopen(ticket)  # only a ticket this app resolved; the service desk's stay resolved
	# Checked above: the requester or an agent; Helpdesk refuses a portal user reopening a closed or
	# rated ticket ("Closed or rated tickets cannot be updated by non-agents"), and so does this.
	with peer_writes():
		ticket.save(ignore_permissions=True)
	Answer = DocType("Peer Answer")
	frappe.qb.update(Answer).set(Answer.accepted, 0).set(Answer.resolved_ticket, 0).where(
		Answer.name == ctx.answer.name
	).run()
	reputation.on_accept(ctx.answer, accepted=False)
	log_activity(
		ticket.name,
		_("withdrew the acceptance of the peer answer from {0}").format(full_name(ctx.answer.author)),
	)
	return projection(ctx)


@frappe.whitelist(methods=["POST"])
def endorse(answer: str | None = None) -> dict:
	"""An agent marks the answer "verified by IT"."""
	ctx = load(answer)
	require_agent(ctx)
	refuse_if_hidden(ctx)
	if not ctx.answer.endorsed_by:
		set_answer(ctx, endorsed_by=ctx.me.user, endorsed_on=now_datetime())
		reputation.on_endorse(ctx.answer, endorsed=True)
		log_activity(
			ctx.ticket.name,
			_("endorsed the peer answer from {0} (verified by IT)").format(full_name(ctx.answer.author)),
		)
		notify.answer_event(
			ctx.answer, _("The service desk verified your answer on ticket #{0}").format(ctx.ticket.name)
		)
	return projection(ctx)


@frappe.whitelist(methods=["POST"])
def unendorse(answer: str | None = None) -> dict:
	ctx = load(answer)
	require_agent(ctx)
	refuse_if_hidden(ctx)
	if ctx.answer.endorsed_by:
		set_answer(ctx, endorsed_by=None, endorsed_on=None)
		reputation.on_endorse(ctx.answer, endorsed=False)
		log_activity(
			ctx.ticket.name,
			_("withdrew the endorsement of the peer answer from {0}").format(full_name(ctx.answer.author)),
		)
	return projection(ctx)


@frappe.whitelist(methods=["POST"])
def hide(answer: str | None = None, reason: str | None = None) -> dict:
	"""An agent hides an answer (wrong, unsafe, leaking data); colleagues stop seeing it at once."""
	ctx = load(answer)
	require_agent(ctx)
	if not (reason or "").strip():
		frappe.throw(_("Say why the answer is hidden; its author is told."), frappe.MandatoryError)
	hide_answer(
		ctx,
		reason.strip(),
		ctx.me.user,
		_("hid the peer answer from {0}: {1}").format(full_name(ctx.answer.author), reason.strip()),
	)
	notify.answer_event(
		ctx.answer,
		_("The service desk hid your answer on ticket #{0}: {1}").format(ctx.ticket.name, reason.strip()),
	)
	return projection(ctx)


@frappe.whitelist(methods=["POST"])
def unhide(answer: str | None = None) -> dict:
	ctx = load(answer)
	require_agent(ctx)
	if ctx.answer.hidden:
		set_answer(ctx, hidden=0, hidden_reason=None, hidden_by=None)
		reputation.on_hide(ctx.answer, hidden=False)
		log_activity(
			ctx.ticket.name, _("showed the peer answer from {0} again").format(full_name(ctx.answer.author))
		)
	return projection(ctx)


@frappe.whitelist(methods=["POST"])
@per_user
@rate_limit(key=RATE_KEY, ip_based=False, limit=configured_limit("flag"), seconds=RATE_WINDOW)
def flag(answer: str | None = None, reason: str | None = None) -> dict:
	"""A colleague reports an answer; enough flags hide it for review and tell the agents."""
	ctx = load(answer, for_update=True)
	if ctx.me.is_agent:
		forbid(_("Agents hide answers directly instead of flagging them."))
	if ctx.answer.author == ctx.me.user:
		forbid(_("You cannot flag your own answer; edit it instead."))
	flag_doc = frappe.get_doc(
		{
			"doctype": "Peer Answer Flag",
			"answer": ctx.answer.name,
			"flagged_by": ctx.me.user,
			"ticket": ctx.ticket.name,
			"reason": (reason or "").strip()[:1000],
		}
	)
	try:
		# Checked above: a colleague who may read the answer.
		with peer_writes():
			flag_doc.insert(ignore_permissions=True)
	except frappe.UniqueValidationError:
		frappe.throw(_("You have already flagged this answer."), frappe.DuplicateEntryError)
	Answer = DocType("Peer Answer")
	frappe.qb.update(Answer).set(Answer.flags_count, Answer.flags_count + 1).where(
		Answer.name == ctx.answer.name
	).run()
	flags = frappe.db.get_value("Peer Answer", ctx.answer.name, "flags_count")
	threshold = get_settings().flag_threshold or 0
	if not ctx.answer.hidden and hidden_for_review(flags, threshold):
		hide_answer(
			ctx,
			review_reason(threshold),
			None,
			_("flagged the peer answer from {0}; it is hidden for review after {1} flags").format(
				full_name(ctx.answer.author), flags
			),
		)
		notify.notify(
			notify.ticket_agents(ctx.ticket.name),
			_("Ticket #{0}: a peer answer was hidden for review after {1} flags").format(
				ctx.ticket.name, flags
			),
			ctx.ticket.name,
			for_agents=True,
		)
	return {"name": ctx.answer.name, "flagged": True}


def set_answer(ctx: Context, **values) -> None:
	# Moderation fields are read-only in the form; they change only through these checked functions.
	frappe.db.set_value("Peer Answer", ctx.answer.name, values)


def hide_answer(ctx: Context, reason: str, by: str | None, activity: str) -> None:
	if ctx.answer.hidden:
		set_answer(ctx, hidden_reason=reason, hidden_by=by)
		return
	set_answer(ctx, hidden=1, hidden_reason=reason, hidden_by=by)
	reputation.on_hide(ctx.answer, hidden=True)
	log_activity(ctx.ticket.name, activity)
