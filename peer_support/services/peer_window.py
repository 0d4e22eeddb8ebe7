"""The peer window, applied: a scheduled job escalates shared tickets that colleagues did not solve in time.

Colleagues get a share of a shared ticket's first-response budget (core.peer_window). When that
share has passed and no answer was accepted or verified by IT, and the desk has neither responded
nor closed the ticket, its agents are told once: a notification, an entry in the ticket's activity,
optionally a priority one step more urgent (a normal ticket save, so Helpdesk's own SLA and
assignment rules handle the new priority), and `peer_escalated_on` on the ticket, which the
community page shows as "the service desk is on it".

Helpdesk's SLA fields (host.SLA_FIELDS) are never written here: the escalation mark is written to
this app's column alone, by SQL, so neither Helpdesk's fields nor `modified` change.
"""

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.query_builder.functions import Coalesce
from frappe.utils import get_datetime, now_datetime

from peer_support import host
from peer_support.core.peer_window import WindowState, is_due, next_priority, window_deadline
from peer_support.core.visibility import COMMUNITY
from peer_support.peer_support.doctype.peer_support_settings.peer_support_settings import get_settings
from peer_support.services import notify
from peer_support.services.write_path import peer_writes

ESCALATED_ON = "peer_escalated_on"
SHARED_ON = "peer_shared_on"


def window_start(ticket):
	"""Sharing starts the window; tickets shared before this was recorded start at their creation."""
	return get_datetime(ticket.get(SHARED_ON) or ticket.get("creation"))


def deadline_of(ticket, settings=None):
	"""When the colleagues' window on this ticket ends (None: no window, see core.peer_window)."""
	settings = settings or get_settings()
	share = settings.window_share_for(ticket.get("ticket_type"), ticket.get("priority"))
	response_by = ticket.get(host.RESPONSE_BY)
	return window_deadline(window_start(ticket), get_datetime(response_by) if response_by else None, share)


def window_status(ticket, settings) -> dict:
	"""What the community page says about the desk's clock: "the service desk is on it" once the ticket
	was escalated, else until when colleagues have it to themselves (while it is shared and open)."""
	escalated = bool(ticket.get(ESCALATED_ON))
	ends = None
	if (
		not escalated
		and ticket.get("peer_visibility") == COMMUNITY
		and ticket.get("peer_status") != "Accepted"
	):
		deadline = deadline_of(ticket, settings)
		ends = str(deadline) if deadline and not host.is_done(ticket) else None
	return {"service_desk_on_it": escalated, "peer_window_ends": ends}


def candidates() -> list[frappe._dict]:
	"""Shared tickets that may be due: not escalated, with a first-response deadline, no agent response,
	no accepted answer, not done. Most are excluded by the (peer_visibility, peer_status) index."""
	Ticket = DocType(host.TICKET)
	return (
		frappe.qb.from_(Ticket)
		.select(
			Ticket.name,
			Ticket.ticket_type,
			Ticket.priority,
			Ticket.creation,
			Ticket[SHARED_ON],
			Ticket[host.RESPONSE_BY],
		)
		.where(Ticket.peer_visibility == COMMUNITY)
		.where(Coalesce(Ticket.peer_status, "None") != "Accepted")
		.where(Ticket[ESCALATED_ON].isnull())
		.where(Ticket[host.RESPONSE_BY].isnotnull())
		.where(Ticket[host.FIRST_RESPONDED_ON].isnull())
		.where(Ticket.status.notin(list(host.done_statuses())))
		.run(as_dict=True)
	)


def endorsed(tickets: list[str]) -> set[str]:
	"""Tickets with an answer verified by IT and still shown: colleagues solved them, as far as the desk
	is concerned, even before the requester accepts."""
	if not tickets:
		return set()
	Answer = DocType("Peer Answer")
	return set(
		frappe.qb.from_(Answer)
		.select(Answer.ticket)
		.distinct()
		.where(Answer.ticket.isin(tickets))
		.where(Answer.endorsed_by.isnotnull())
		.where(Answer.hidden == 0)
		.run(pluck=True)
	)


def escalate_due() -> list[str]:
	"""scheduler_events (every five minutes): escalate each shared ticket whose peer window passed.

	One ticket's failure (say, Helpdesk refusing its priority step) is logged and rolled back to its
	savepoint; the others are still escalated, and it is tried again on the next run."""
	settings = get_settings()
	if not settings.enabled:
		return []
	now = now_datetime()
	rows = candidates()
	solved = endorsed([str(row.name) for row in rows])
	escalated = []
	for row in rows:
		state = WindowState(
			deadline=deadline_of(row, settings),
			solved=str(row.name) in solved,
			done=False,  # the query left out resolved and closed tickets
			agent_responded=False,  # and those with the desk's first response
			escalated=False,
		)
		if not is_due(state, now):
			continue
		savepoint = f"peer_window_{row.name}"
		frappe.db.savepoint(savepoint)
		try:
			if escalate(row.name, settings):
				escalated.append(str(row.name))
		except Exception:
			frappe.db.rollback(save_point=savepoint)
			frappe.log_error(title=_("Peer window: escalating ticket {0} failed").format(row.name))
	return escalated


def escalate(ticket: str, settings) -> bool:
	"""Escalate one ticket, once: the row is locked and its mark checked, so two overlapping runs (a slow
	job and the next one) cannot both escalate it."""
	if frappe.db.get_value(host.TICKET, ticket, ESCALATED_ON, for_update=True):
		return False
	Ticket = DocType(host.TICKET)
	# This app's column only: Helpdesk's SLA fields and `modified` stay as they are.
	frappe.qb.update(Ticket).set(Ticket[ESCALATED_ON], now_datetime()).where(Ticket.name == ticket).run()
	stepped = step_priority(ticket) if settings.peer_window_step_priority else None
	host.log_activity(
		ticket,
		_(
			"escalated this ticket to the service desk: no colleague's answer was accepted or verified in the peer window"
		)
		+ (" " + _("(priority raised to {0})").format(stepped) if stepped else ""),
	)
	notify.notify(
		notify.ticket_agents(ticket),
		_("Ticket #{0}: colleagues did not solve it within the peer window; it is the desk's now").format(
			ticket
		),
		ticket,
		body=frappe.db.get_value(host.TICKET, ticket, "subject"),
		for_agents=True,
	)
	return True


def step_priority(ticket: str) -> str | None:
	"""One step more urgent, through a normal save: Helpdesk's SLA applies the new priority's times
	itself (this app still writes none of them). A priority never shown to the community makes the
	ticket private again (services.visibility)."""
	doc = frappe.get_doc(host.TICKET, ticket)
	priority = next_priority(doc.priority, host.priority_ranks())
	if not priority:
		return None
	host.set_priority(doc, priority)
	# The scheduler's own change, after the peer window passed; Helpdesk's validation runs in this save.
	with peer_writes():
		doc.save(ignore_permissions=True)
	return priority
