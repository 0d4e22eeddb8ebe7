# Copyright (c) 2026, peer_support developers
# For license information, please see license.txt
"""A colleague's answer to a community ticket, and every change it can go through.

The state changes are document methods (as gameplan's `GPPoll.submit_vote`): `edit`, `vote`,
`accept`, `withdraw`, `endorse`, `unendorse`, `hide`, `show`, `flag`. Each asks the access module
who the caller is and what they may do, applies the rules of `core`, writes inside `peer_writes()`
and keeps the reputation ledger in the same transaction. The community API (`peer_support.api.answers`)
only finds the answer, calls the method and shapes the projection; Desk and REST reach the same
methods through `run_doc_method` (whitelisted, POST only), so every path obeys the same rules. Any
other write of an answer is refused by `AppWritten` (see services.write_path).
"""

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.utils import now_datetime
from frappe.utils.html_utils import sanitize_html

from peer_support import host
from peer_support.core.answers import (
	MAX_BODY_CHARS,
	BodyProblem,
	EditRefusal,
	body_problem,
	edit_refusal,
	hidden_for_review,
	review_reason,
)
from peer_support.core.reputation import VoteRefusal, vote_refusal
from peer_support.peer_support.doctype.peer_support_settings.peer_support_settings import get_settings
from peer_support.services import access, live, notify, reputation, search_index
from peer_support.services.rows import get_field, get_row, insert_row, param, statement
from peer_support.services.write_path import AppWritten, peer_writes

RESOLVE = "Resolve the Ticket"


class PeerAnswer(AppWritten):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		accepted: DF.Check
		author: DF.Link
		body: DF.TextEditor
		endorsed_by: DF.Link | None
		endorsed_on: DF.Datetime | None
		flags_count: DF.Int
		hidden: DF.Check
		hidden_by: DF.Link | None
		hidden_reason: DF.SmallText | None
		kb_article: DF.Link | None
		resolved_ticket: DF.Check
		score: DF.Int
		ticket: DF.Link
	# end: auto-generated types

	# Who is asking
	# -------------

	def view(self, for_update: bool = False) -> "access.AnswerView":
		"""The caller's view of this answer: the one the API built for this request, else built now."""
		if self.flags.view is None:  # a document method called from Desk or REST (run_doc_method)
			self.flags.view = access.answer_view(self.name, for_update=for_update)
			self.update(self.flags.view.answer)  # the row as read now (locked, with for_update)
		return self.flags.view

	def require_visible(self) -> None:
		"""Hiding took back what the answer had earned; while hidden, nothing else may add or take points."""
		if self.hidden:
			frappe.throw(_("This answer is hidden; show it again first."))

	# The author
	# ----------

	@frappe.whitelist(methods=["POST"])
	@live.publishes("edit")
	def edit(self, body: str | None = None) -> None:
		"""The author edits their answer, until it is accepted (the edit is kept in its version history)."""
		view = self.view()
		refusal = edit_refusal(self.author, view.me.user, bool(self.accepted))
		if refusal is EditRefusal.NOT_AUTHOR:
			access.forbid(_("Only the author may edit this answer."))
		if refusal is EditRefusal.ACCEPTED:
			access.forbid(
				_("An accepted answer can no longer be edited: the requester accepted what they read.")
			)
		check_body(body)
		doc = frappe.get_doc("Peer Answer", self.name)
		doc.body = to_html(body)
		with peer_writes():
			doc.save(ignore_permissions=True)  # checked above: the author
		self.body = doc.body

	# Colleagues
	# ----------

	@frappe.whitelist(methods=["POST"])
	@live.publishes("vote")
	def vote(self, value: int | None = None) -> int:
		"""+1 helpful, -1 not helpful, 0 takes one's vote back; one vote per colleague and answer.
		Returns the answer's score after the vote."""
		if value not in (-1, 0, 1):
			frappe.throw(_("A vote is 1 (helpful), -1 (not helpful) or 0 (take my vote back)."))
		view = self.view(for_update=True)  # the row lock orders concurrent votes on one answer
		if view.me.is_agent:
			access.forbid(_("Agents endorse answers instead of voting on them."))
		Vote = DocType("Peer Answer Vote")
		mine = {"answer": self.name, "voter": view.me.user}
		# The answer's row lock orders the votes on it. A locking read of a vote row that does not exist
		# would lock the gap in the (answer, voter) index too, and two first votes on different answers whose
		# keys share a gap then deadlock on their inserts (a 500); so only an existing row is read again with a
		# lock, for its latest value. A first vote relies on the unique key: a concurrent second one is a 409.
		existing = get_row("Peer Answer Vote", mine, ["name"])
		if existing:
			existing = get_row("Peer Answer Vote", mine, ["name", "value", "points"], for_update=True)
		old = existing.value if existing else 0
		requester = view.me.user if view.is_requester else view.ticket.raised_by
		refusal = vote_refusal(self.author, view.me.user, requester, old, value)
		if refusal is VoteRefusal.OWN_ANSWER:
			access.forbid(_("You cannot vote on your own answer."))
		if refusal is VoteRefusal.OWN_TICKET:
			access.forbid(_("You asked this question: accept the answer that solved it instead of voting."))
		if refusal is VoteRefusal.SAME_VOTE:
			frappe.throw(
				_("You have already voted on this answer.")
				if value
				else _("You have not voted on this answer."),
				frappe.DuplicateEntryError,
			)
		if refusal is not None:
			frappe.throw(_("This vote is not allowed."))

		points = reputation.on_vote(
			self, view.ticket, view.me.user, old, value, existing.points if existing else 0
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
						"answer": self.name,
						"voter": view.me.user,
						"ticket": str(view.ticket.name),
						"value": value,
						"points": points,
						"creation": now,
						"modified": now,
						"owner": view.me.user,
						"modified_by": view.me.user,
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
		add_to_score(self.name, value - old)
		# The row stays locked until commit, so the score read with the lock plus this change is the score.
		self.score = (self.score or 0) + value - old
		return self.score

	@frappe.whitelist(methods=["POST"])
	@live.publishes("flag")
	def flag(self, reason: str | None = None) -> None:
		"""A colleague reports the answer; enough flags hide it for review and tell the agents."""
		view = self.view(for_update=True)
		if view.me.is_agent:
			access.forbid(_("Agents hide answers directly instead of flagging them."))
		if self.author == view.me.user:
			access.forbid(_("You cannot flag your own answer; edit it instead."))
		flag_doc = frappe.get_doc(
			{
				"doctype": "Peer Answer Flag",
				"answer": self.name,
				"flagged_by": view.me.user,
				"ticket": view.ticket.name,
				"reason": (reason or "").strip()[:1000],
			}
		)
		try:
			with peer_writes():
				flag_doc.insert(ignore_permissions=True)  # checked above: a colleague who may read the answer
		except frappe.UniqueValidationError:
			frappe.throw(_("You have already flagged this answer."), frappe.DuplicateEntryError)
		Answer = DocType("Peer Answer")
		frappe.qb.update(Answer).set(Answer.flags_count, Answer.flags_count + 1).where(
			Answer.name == self.name
		).run()
		flags = frappe.db.get_value("Peer Answer", self.name, "flags_count")
		threshold = get_settings().flag_threshold or 0
		if not self.hidden and hidden_for_review(flags, threshold):
			self.hide_for(
				review_reason(threshold),
				None,
				_("flagged the peer answer from {0}; it is hidden for review after {1} flags").format(
					full_name(self.author), flags
				),
			)
			notify.notify(
				notify.ticket_agents(view.ticket.name),
				_("Ticket #{0}: a peer answer was hidden for review after {1} flags").format(
					view.ticket.name, flags
				),
				view.ticket.name,
				for_agents=True,
			)

	# The requester
	# -------------

	@frappe.whitelist(methods=["POST"])
	@live.publishes("accept")
	def accept(self, feedback: str | None = None) -> None:
		"""The requester accepts the answer that solved their problem.

		By the settings, the ticket is then resolved through Helpdesk's own status flow (its SLA records
		the resolution, and its rules apply: a portal user resolving a ticket gives Helpdesk feedback,
		`feedback` being an HD Ticket Feedback Option) or the assigned agents are asked to confirm.
		"""
		view = self.view()
		view.require_requester(_("Only the person who asked may accept an answer."))
		if self.hidden:
			frappe.throw(_("This answer is hidden by the service desk and cannot be accepted."))
		if self.accepted:
			return
		if feedback and not host.feedback_option_exists(feedback):
			access.not_found(_("Feedback option"), feedback)

		ticket = frappe.get_doc("HD Ticket", view.ticket.name)
		previous = ticket.peer_accepted_answer
		ticket.peer_status = "Accepted"
		ticket.peer_accepted_answer = self.name
		ticket.peer_resolved = 1
		ticket.peer_accepted_on = now_datetime()  # the peer window's report: solved inside the window?
		resolve = get_settings().on_accept == RESOLVE and not host.is_done(ticket)
		if resolve:
			host.resolve(ticket, feedback)
		# Checked above: the requester. Helpdesk's own validation (feedback, closed or rated tickets) and its
		# SLA engine run in this save, as when the requester resolves the ticket in Helpdesk's portal.
		with peer_writes():
			ticket.save(ignore_permissions=True)

		Answer = DocType("Peer Answer")
		resolved_by_app = resolve
		if previous and previous != self.name:
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
		frappe.qb.update(Answer).set(Answer.accepted, 1).set(
			Answer.resolved_ticket, int(resolved_by_app)
		).where(Answer.name == self.name).run()
		self.accepted, self.resolved_ticket = 1, int(resolved_by_app)
		reputation.on_accept(self, accepted=True)

		host.log_activity(ticket.name, _("accepted the peer answer from {0}").format(full_name(self.author)))
		notify.answer_event(self, _("Your answer on ticket #{0} was accepted").format(ticket.name))
		if not resolve and not host.is_done(ticket):
			notify.notify(
				notify.ticket_agents(ticket.name),
				_("Ticket #{0}: the requester accepted a peer answer; please confirm and resolve it").format(
					ticket.name
				),
				ticket.name,
				for_agents=True,
			)

	@frappe.whitelist(methods=["POST"])
	@live.publishes("accept")
	def withdraw(self) -> None:
		"""Withdraw the acceptance (the requester, or an agent); a ticket this app resolved is reopened,
		as far as Helpdesk's rules let the caller reopen it."""
		view = self.view()
		view.require_requester_or_agent(
			_("Only the person who asked, or an agent, may withdraw an acceptance.")
		)
		self.require_visible()
		if not self.accepted:
			return
		ticket = frappe.get_doc("HD Ticket", view.ticket.name)
		ticket.peer_status = "Answered"
		ticket.peer_accepted_answer = None
		ticket.peer_resolved = 0
		ticket.peer_accepted_on = None
		if self.resolved_ticket and host.is_done(ticket):
			host.reopen(ticket)  # only a ticket this app resolved; the service desk's stay resolved
		# Checked above: the requester or an agent; Helpdesk refuses a portal user reopening a closed or
		# rated ticket ("Closed or rated tickets cannot be updated by non-agents"), and so does this.
		with peer_writes():
			ticket.save(ignore_permissions=True)
		Answer = DocType("Peer Answer")
		frappe.qb.update(Answer).set(Answer.accepted, 0).set(Answer.resolved_ticket, 0).where(
			Answer.name == self.name
		).run()
		self.accepted, self.resolved_ticket = 0, 0
		reputation.on_accept(self, accepted=False)
		host.log_activity(
			ticket.name,
			_("withdrew the acceptance of the peer answer from {0}").format(full_name(self.author)),
		)

	# The service desk
	# ----------------

	@frappe.whitelist(methods=["POST"])
	@live.publishes("endorse")
	def endorse(self) -> None:
		"""An agent marks the answer "verified by IT"."""
		view = self.view().require_agent()
		self.require_visible()
		if self.endorsed_by:
			return
		self.set_columns(endorsed_by=view.me.user, endorsed_on=now_datetime())
		reputation.on_endorse(self, endorsed=True)
		host.log_activity(
			view.ticket.name,
			_("endorsed the peer answer from {0} (verified by IT)").format(full_name(self.author)),
		)
		notify.answer_event(
			self, _("The service desk verified your answer on ticket #{0}").format(view.ticket.name)
		)

	@frappe.whitelist(methods=["POST"])
	@live.publishes("endorse")
	def unendorse(self) -> None:
		view = self.view().require_agent()
		self.require_visible()
		if not self.endorsed_by:
			return
		self.set_columns(endorsed_by=None, endorsed_on=None)
		reputation.on_endorse(self, endorsed=False)
		host.log_activity(
			view.ticket.name,
			_("withdrew the endorsement of the peer answer from {0}").format(full_name(self.author)),
		)

	@frappe.whitelist(methods=["POST"])
	@live.publishes("hide")
	def hide(self, reason: str | None = None) -> None:
		"""An agent hides the answer (wrong, unsafe, leaking data); colleagues stop seeing it at once."""
		view = self.view().require_agent()
		if not (reason or "").strip():
			frappe.throw(_("Say why the answer is hidden; its author is told."), frappe.MandatoryError)
		reason = reason.strip()
		self.hide_for(
			reason,
			view.me.user,
			_("hid the peer answer from {0}: {1}").format(full_name(self.author), reason),
		)
		notify.answer_event(
			self, _("The service desk hid your answer on ticket #{0}: {1}").format(view.ticket.name, reason)
		)

	@frappe.whitelist(methods=["POST"])
	@live.publishes("hide")
	def show(self) -> None:
		"""An agent shows a hidden answer again; what hiding took back is given back."""
		view = self.view().require_agent()
		if not self.hidden:
			return
		self.set_columns(hidden=0, hidden_reason=None, hidden_by=None)
		reputation.on_hide(self, hidden=False)
		host.log_activity(
			view.ticket.name, _("showed the peer answer from {0} again").format(full_name(self.author))
		)

	# Writes
	# ------

	def set_columns(self, **values) -> None:
		"""The answer's own columns, written by the methods above (and kept on this object)."""
		with peer_writes():
			frappe.db.set_value("Peer Answer", self.name, values)
		self.update(values)
		if {"endorsed_by", "hidden"} & set(values):
			search_index.queue("HD Ticket", self.ticket)  # endorsed and hidden answers change the index

	def hide_for(self, reason: str, by: str | None, activity: str) -> None:
		if self.hidden:
			self.set_columns(hidden_reason=reason, hidden_by=by)
			return
		self.set_columns(hidden=1, hidden_reason=reason, hidden_by=by)
		reputation.on_hide(self, hidden=True)
		host.log_activity(self.view().ticket.name, activity)


def loaded(view: "access.AnswerView") -> PeerAnswer:
	"""The answer of a view as a document, from the row the view read (no second read)."""
	doc = frappe.get_doc({"doctype": "Peer Answer", **view.answer})
	doc.flags.view = view
	return doc


def full_name(user: str) -> str:
	return get_field("User", user, "full_name") or _("a colleague")


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
