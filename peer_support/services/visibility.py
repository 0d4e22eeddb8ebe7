"""Community visibility of HD Tickets: the settings' gate applied on every path that saves a ticket."""

import frappe
from frappe import _
from frappe.query_builder import Criterion, DocType

from peer_support.core.visibility import (
	COMMUNITY,
	PRIVATE,
	Decision,
	Refusal,
	TicketFacts,
	can_share,
	initial_visibility,
)
from peer_support.peer_support.doctype.peer_support_settings.peer_support_settings import get_settings

VISIBILITY_FIELD = "peer_visibility"


class SharingNotAllowed(frappe.ValidationError):
	pass


def ticket_facts(ticket) -> TicketFacts:
	return TicketFacts(ticket_type=ticket.ticket_type, team=ticket.agent_group, priority=ticket.priority)


def sharing_decision(ticket) -> Decision:
	return can_share(ticket_facts(ticket), get_settings().sharing_policy())


def refusal_message(decision: Decision) -> str:
	messages = {
		Refusal.DISABLED: _("Peer support is switched off in Peer Support Settings."),
		Refusal.EXCLUDED_TICKET_TYPE: _("Tickets of type {0} are never shown to the community."),
		Refusal.EXCLUDED_TEAM: _("Tickets of team {0} are never shown to the community."),
		Refusal.EXCLUDED_PRIORITY: _("Tickets with priority {0} are never shown to the community."),
	}
	return messages[decision.refusal].format(frappe.bold(decision.value))


def before_save(ticket, method=None):
	"""doc_events: HD Ticket before_save, after Helpdesk's own (which fills the SLA's default priority).

	A new ticket starts with the settings' default visibility unless its creator chose one; then no
	path, Desk, REST or API, may make an excluded ticket community-visible.
	"""
	if ticket.is_new() and not ticket.flags.peer_visibility_chosen:
		ticket.set(
			VISIBILITY_FIELD, initial_visibility(get_settings().default_visibility, sharing_decision(ticket))
		)
	if ticket.get(VISIBILITY_FIELD) != COMMUNITY:
		return
	decision = sharing_decision(ticket)
	if decision.allowed:
		return
	if ticket.has_value_changed(VISIBILITY_FIELD):
		frappe.throw(refusal_message(decision), SharingNotAllowed, title=_("Cannot share with the community"))
	# Already shared, and now its type, team or priority is excluded (say, raised to Urgent):
	# the ticket goes back to private rather than blocking the agent's change.
	ticket.set(VISIBILITY_FIELD, PRIVATE)


def make_excluded_tickets_private() -> int:
	"""After the settings changed: community tickets that are now excluded become private.

	Only this app's column is written, so Helpdesk's fields (and `modified`) stay as they were.
	"""
	policy = get_settings().sharing_policy()
	if not policy.enabled:
		return 0  # switched off: nothing is withdrawn, the read paths hide the community
	Ticket = DocType("HD Ticket")
	exclusions = (
		(Ticket.ticket_type, policy.excluded_ticket_types),
		(Ticket.agent_group, policy.excluded_teams),
		(Ticket.priority, policy.excluded_priorities),
	)
	conditions = [column.isin(sorted(values)) for column, values in exclusions if values]
	if not conditions:
		return 0
	names = (
		frappe.qb.from_(Ticket)
		.select(Ticket.name)
		.where(Ticket[VISIBILITY_FIELD] == COMMUNITY)
		.where(Criterion.any(conditions))
		.run(pluck=True)
	)
	if names:
		frappe.qb.update(Ticket).set(Ticket[VISIBILITY_FIELD], PRIVATE).where(Ticket.name.isin(names)).run()
	return len(names)
