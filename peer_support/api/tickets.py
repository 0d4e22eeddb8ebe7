"""Community tickets: share with colleagues, and read as a safe projection.

Portal users never receive an HD Ticket document from here, only the fields built below.
"""

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.utils.html_utils import sanitize_html

from peer_support.core.audience import is_requester, requester_display_name
from peer_support.core.visibility import VISIBILITIES
from peer_support.host import feedback_options as host_feedback_options
from peer_support.host import log_activity
from peer_support.peer_support.doctype.peer_support_settings.peer_support_settings import get_settings
from peer_support.services import access, incidents, knowledge_review, live
from peer_support.services.access import ticket_access
from peer_support.services.peer_window import window_status
from peer_support.services.projection import answers_of
from peer_support.services.rows import ages, full_names
from peer_support.services.visibility import VISIBILITY_FIELD
from peer_support.services.write_path import peer_writes


@frappe.whitelist(methods=["POST"])
def share(ticket: str | int | None = None, visibility: str = "Community") -> dict:
	"""Set a ticket to Community or back to Private: its requester or an agent."""
	if visibility not in VISIBILITIES:
		frappe.throw(_("Visibility must be one of {0}").format(", ".join(VISIBILITIES)))
	# A ticket the caller may not read is not found, as everywhere: a 403 would say that it exists.
	view = (
		access.ticket_view(ticket)
		.require_read()
		.require_requester_or_agent(_("Only the requester or an agent may share this ticket."))
	)
	doc = frappe.get_doc("HD Ticket", view.ticket.name)
	if doc.get(VISIBILITY_FIELD) != visibility:
		# Pages open on the old visibility hear of the change; the new one has a room of its own.
		live.changed(doc, "visibility")
		doc.set(VISIBILITY_FIELD, visibility)
		# Checked above: the requester or an agent; the sharing gate runs in before_save all the same.
		with peer_writes():
			doc.save(ignore_permissions=True)
		log_activity(
			doc.name,
			_("shared this ticket with colleagues")
			if visibility == "Community"
			else _("made this ticket private"),
		)
	return {"name": doc.name, "visibility": doc.get(VISIBILITY_FIELD)}


@frappe.whitelist()
def get(ticket: str | int | None = None) -> dict:
	"""The community view of one ticket, for anyone in its audience."""
	view = access.ticket_view(ticket).require_read()
	return project(view.ticket, get_settings(), view.me)


# The ticket page's facts about its reader, in one statement: the requester's name, and whether the
# caller has this problem too and follows it. Links store the ticket's number as text: compared as
# text, so the (ticket, user) keys are used.
READER_FACTS = (
	"SELECT (SELECT full_name FROM `tabUser` WHERE name = %(requester)s) AS requester_name, "
	"EXISTS (SELECT 1 FROM `tabPeer Ticket Affected` WHERE ticket = %(ticket)s AND user = %(me)s) AS affected, "
	"EXISTS (SELECT 1 FROM `tabPeer Ticket Follower` WHERE ticket = %(ticket)s AND user = %(me)s) AS follows"
)


def project(ticket: frappe._dict, settings, me) -> dict:
	facts = frappe.db.sql(
		READER_FACTS,
		{"requester": ticket.raised_by or "", "ticket": str(ticket.name), "me": me.user},
		as_dict=True,
	)[0]
	return {
		"name": ticket.name,
		"subject": ticket.subject,
		"description": safe_description(ticket),
		"topic": ticket.ticket_type,
		"status": ticket.status,
		"visibility": ticket.get(VISIBILITY_FIELD),
		# the room of this ticket's live updates, for this reader only (see services.live)
		"live_room": live.room_token(ticket.name, ticket.get(VISIBILITY_FIELD)),
		"peer_status": ticket.peer_status,
		"affected_count": ticket.peer_affected_count or 0,
		"created": str(ticket.creation),
		"age": ages([ticket.creation])[0],
		"requester": requester_display_name(facts.requester_name, bool(settings.anonymise_requester)),
		"is_requester": is_requester(me, ticket_access(ticket)),
		"i_am_affected": bool(facts.affected),
		"i_follow": bool(facts.follows),
		"answers": answers_of(ticket.name, me),
		"articles": knowledge_review.articles_of_ticket(ticket.name, me),
		**window_status(ticket, settings),
	} | ({"affected_users": affected_users(ticket.name)} if me.is_agent else {})


def affected_users(ticket: str) -> list[dict]:
	"""Who else has the problem: for agents only (portal users see the count)."""
	rows = frappe.get_all(
		"Peer Ticket Affected",
		filters={"ticket": ticket},
		fields=["user", "creation"],
		order_by="creation asc",
	)
	names = full_names(row.user for row in rows)
	return [{"user": row.user, "full_name": names.get(row.user), "since": str(row.creation)} for row in rows]


def safe_description(ticket) -> str:
	"""The question as its requester wrote it, sanitised. Helpdesk stores it as it arrived (often from
	e-mail), so it is cleaned on the way out; the result is cached until the ticket changes."""
	key = f"peer_support:description:v2:{ticket.name}:{ticket.modified}"
	cached = frappe.cache.get_value(key)
	if cached is None:
		cached = sanitize_html(ticket.description or "", always_sanitize=True)  # see answers.to_html
		frappe.cache.set_value(key, cached, expires_in_sec=24 * 3600)
	return cached


def colleague_or_404(ticket: str | int | None):
	"""The ticket, for a colleague in its audience (not its requester, not an agent)."""
	view = access.ticket_view(ticket).require_read()
	return view.ticket, view.me, view.access


def toggle_row(doctype: str, ticket: str, user: str, on: bool) -> int:
	"""Add or remove the (ticket, user) row; returns the change in rows (+1, -1 or 0).

	The unique (ticket, user) key makes a concurrent second add a no-op instead of a double count.
	"""
	existing = frappe.db.get_value(doctype, {"ticket": ticket, "user": user})
	if on and not existing:
		try:
			# The caller's own row, after the caller's audience was checked.
			with peer_writes():
				frappe.get_doc({"doctype": doctype, "ticket": ticket, "user": user}).insert(
					ignore_permissions=True
				)
			return 1
		except frappe.UniqueValidationError:
			return 0
	if not on and existing:
		Table = DocType(doctype)
		frappe.qb.from_(Table).delete().where(Table.name == existing).run()
		return -1
	return 0


@frappe.whitelist(methods=["POST"])
def affected(ticket: str | int | None = None, affected: bool = True) -> dict:
	"""\"I have this too\": a colleague in the audience adds (or takes back) their name; they are told
	when the ticket is resolved, and agents see who is affected."""
	facts, me, access = colleague_or_404(ticket)
	if me.is_agent or is_requester(me, access):
		frappe.throw(
			_("Only colleagues other than the requester can say they have this problem too."),
			frappe.PermissionError,
		)
	delta = toggle_row("Peer Ticket Affected", facts.name, me.user, bool(affected))
	if delta:
		Ticket = DocType("HD Ticket")
		# Atomic in SQL and this app's column only: Helpdesk's fields, `modified` and SLA are untouched.
		frappe.qb.update(Ticket).set(Ticket.peer_affected_count, Ticket.peer_affected_count + delta).where(
			Ticket.name == facts.name
		).run()
		if delta > 0:
			incidents.queue_detection()  # many marks may be an incident: a job decides, after the commit
		live.changed(facts, "affected")
	count = frappe.db.get_value("HD Ticket", facts.name, "peer_affected_count")
	return {"name": facts.name, "affected": bool(affected), "affected_count": count}


@frappe.whitelist(methods=["POST"])
def follow(ticket: str | int | None = None, follow: bool = True) -> dict:
	"""Follow a community question: hear of each new answer."""
	facts, me, access = colleague_or_404(ticket)
	if is_requester(me, access):
		frappe.throw(_("You asked this question: you hear of every answer already."), frappe.PermissionError)
	toggle_row("Peer Ticket Follower", facts.name, me.user, bool(follow))
	return {"name": facts.name, "following": bool(follow)}


@frappe.whitelist()
def feedback_options() -> list[dict]:
	"""Helpdesk's feedback options, which a requester picks when accepting resolves their ticket."""
	if frappe.session.user == "Guest":
		frappe.throw(_("Log in to continue."), frappe.PermissionError)
	return host_feedback_options()
