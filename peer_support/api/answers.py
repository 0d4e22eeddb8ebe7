"""Peer answers over HTTP: colleagues answer, edit, vote and flag; the requester accepts; agents endorse and hide.

Each function finds the answer (or ticket) through the access module, calls the Peer Answer
document method that holds the rule (see peer_answer.py), and returns the answer as the community
page shows it. A ticket or answer the caller may not read is "not found" (404), so its existence is
not revealed; an action the caller may read but not do is a 403 with the reason.
"""

import frappe

from peer_support import host
from peer_support.peer_support.doctype.peer_answer.peer_answer import check_body, full_name, loaded, to_html
from peer_support.services import access, live, notify, reputation
from peer_support.services.projection import ANSWER_LIST_FIELDS, answer_projection
from peer_support.services.rate_limits import limited
from peer_support.services.rows import full_names
from peer_support.services.write_path import peer_writes

DEADLOCK_RETRIES = 3


def projection(doc, me) -> dict:
	"""The answer as the community page shows it, from the document the method changed (no re-read)."""
	row = frappe._dict((field, doc.get(field)) for field in ANSWER_LIST_FIELDS)
	return answer_projection(row, me, full_names([doc.author, doc.endorsed_by]))


def act(answer: str | None, method: str, *args, for_update: bool = False) -> dict:
	"""Find the answer as the caller sees it, run its document method, return its projection."""
	doc = loaded(access.answer_view(answer, for_update=for_update))
	getattr(doc, method)(*args)
	return projection(doc, doc.flags.view.me)


@frappe.whitelist(methods=["POST"])
@limited("create")
def create(ticket: str | int | None = None, body: str | None = None) -> dict:
	"""Answer a community ticket; returns the new answer as the community page shows it."""
	view = access.ticket_view(ticket).require_answer()
	check_body(body)
	answer = frappe.get_doc(
		{"doctype": "Peer Answer", "ticket": view.ticket.name, "author": view.me.user, "body": to_html(body)}
	)
	with peer_writes():
		# Checked above: the author is in the ticket's audience; portal users have no role on Peer Answer.
		answer.insert(ignore_permissions=True)  # Frappe sanitises the Text Editor body on save
		if view.ticket.peer_status in (None, "", "None"):
			# Only this app's field, so Helpdesk's fields and `modified` (and its SLA) stay as they were.
			frappe.db.set_value(
				"HD Ticket", view.ticket.name, "peer_status", "Answered", update_modified=False
			)
	author_name = full_name(view.me.user)
	host.log_activity(view.ticket.name, frappe._("posted a peer answer"))  # shown after the author's name
	notify.new_answer(view.ticket.name, author_name, answer.body)
	reputation.on_answer(answer, view.ticket.ticket_type)
	live.changed(view.ticket, "answer", answer.name)
	return answer_projection(answer.as_dict(), view.me, {view.me.user: author_name})


@frappe.whitelist(methods=["POST"])
def update(answer: str | None = None, body: str | None = None) -> dict:
	"""The author edits their answer, until it is accepted."""
	return act(answer, "edit", body)


@frappe.whitelist(methods=["POST"])
@limited("vote")
def vote(answer: str | None = None, value: int | None = None) -> dict:
	"""+1 helpful, -1 not helpful, 0 takes one's vote back. One vote per colleague per answer.

	Votes on one answer are ordered by its row lock; votes at the same moment on answers whose
	(answer, voter) keys share a gap of the index, with their authors' reputation rows, can still
	deadlock. InnoDB then rolls the chosen vote back, and it runs again (DEADLOCK_RETRIES times at
	most) instead of ending in a 500: nothing of it was written."""
	for attempt in range(DEADLOCK_RETRIES):
		try:
			result = act(answer, "vote", value, for_update=True)
			break
		except frappe.QueryDeadlockError:
			if attempt == DEADLOCK_RETRIES - 1:
				raise
			frappe.db.rollback()
	result["my_vote"] = value
	return result


@frappe.whitelist(methods=["POST"])
def accept(answer: str | None = None, feedback: str | None = None) -> dict:
	"""The requester accepts the answer that solved their problem (see PeerAnswer.accept)."""
	return act(answer, "accept", feedback)


@frappe.whitelist(methods=["POST"])
def unaccept(answer: str | None = None) -> dict:
	"""Withdraw an acceptance (the requester, or an agent); see PeerAnswer.withdraw."""
	return act(answer, "withdraw")


@frappe.whitelist(methods=["POST"])
def endorse(answer: str | None = None) -> dict:
	"""An agent marks the answer "verified by IT"."""
	return act(answer, "endorse")


@frappe.whitelist(methods=["POST"])
def unendorse(answer: str | None = None) -> dict:
	return act(answer, "unendorse")


@frappe.whitelist(methods=["POST"])
def hide(answer: str | None = None, reason: str | None = None) -> dict:
	"""An agent hides an answer (wrong, unsafe, leaking data); colleagues stop seeing it at once."""
	return act(answer, "hide", reason)


@frappe.whitelist(methods=["POST"])
def unhide(answer: str | None = None) -> dict:
	return act(answer, "show")


@frappe.whitelist(methods=["POST"])
@limited("flag")
def flag(answer: str | None = None, reason: str | None = None) -> dict:
	"""A colleague reports an answer; enough flags hide it for review and tell the agents."""
	doc = loaded(access.answer_view(answer, for_update=True))
	doc.flag(reason)
	return {"name": doc.name, "flagged": True}
