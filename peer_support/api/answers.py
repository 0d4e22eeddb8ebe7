"""Peer answers: colleagues in a community ticket's audience answer it."""

import frappe
from frappe import _

from peer_support.api.tickets import answer_projection, get_ticket_or_404, log_activity
from peer_support.core.answers import MAX_BODY_CHARS, BodyProblem, body_problem
from peer_support.core.audience import may_answer, may_read_community
from peer_support.peer_support.doctype.peer_support_settings.peer_support_settings import get_settings
from peer_support.services.access import ticket_access, viewer


@frappe.whitelist(methods=["POST"])
def create(ticket: str | int | None = None, body: str | None = None) -> dict:
	"""Answer a community ticket; returns the new answer as the community page shows it."""
	facts = get_ticket_or_404(ticket)
	me = viewer()
	access = ticket_access(facts)
	audience = get_settings().audience
	if not may_read_community(me, access, audience):
		frappe.throw(_("Ticket {0} not found").format(frappe.bold(ticket)), frappe.DoesNotExistError)
	if not may_answer(me, access, audience):
		frappe.throw(
			_("Colleagues answer here; the requester accepts an answer and agents reply in Helpdesk."),
			frappe.PermissionError,
		)
	problem = body_problem(body)
	if problem is BodyProblem.EMPTY:
		frappe.throw(_("The answer is empty."), frappe.MandatoryError)
	if problem is BodyProblem.TOO_LONG:
		frappe.throw(_("The answer is longer than {0} characters.").format(MAX_BODY_CHARS))

	answer = frappe.get_doc({"doctype": "Peer Answer", "ticket": facts.name, "author": me.user, "body": body})
	# Checked above: the author is in the ticket's audience; portal users have no role on Peer Answer.
	answer.insert(ignore_permissions=True)  # Frappe sanitises the Text Editor body on save
	if facts.peer_status in (None, "", "None"):
		# Only this app's field, so Helpdesk's fields and `modified` (and its SLA) stay as they were.
		frappe.db.set_value("HD Ticket", facts.name, "peer_status", "Answered", update_modified=False)
	author_name = frappe.db.get_value("User", me.user, "full_name")
	log_activity(facts.name, _("received a peer answer from {0}").format(author_name or _("a colleague")))
	return answer_projection(answer.as_dict(), me, {me.user: author_name})
