"""Who is asking, and what decides their access to a ticket: the facts core.audience decides on."""

import frappe

from peer_support.core.audience import TicketAccess, Viewer
from peer_support.host import customers_of, is_agent
from peer_support.services.visibility import VISIBILITY_FIELD, sharing_decision


def viewer(user: str | None = None) -> Viewer:
	user = user or frappe.session.user
	agent = user != "Guest" and is_agent(user)
	return Viewer(user=user, is_agent=agent, customers=frozenset() if agent else customers_of(user))


def ticket_access(ticket) -> TicketAccess:
	return TicketAccess(
		# Not the owner: Helpdesk v1.5 lets a portal user file a ticket in another person's name.
		requesters=frozenset(filter(None, (ticket.get("raised_by"), ticket.get("contact")))),
		customer=ticket.get("customer"),
		visibility=ticket.get(VISIBILITY_FIELD),
		shareable=sharing_decision(ticket).allowed,
	)
