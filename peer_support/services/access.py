"""Who is asking, and what decides their access to a ticket: the facts core.audience decides on."""

import frappe
from frappe.query_builder import DocType

from peer_support.core.audience import TicketAccess, Viewer
from peer_support.services.rows import get_row
from peer_support.services.visibility import VISIBILITY_FIELD, sharing_decision

AGENT_ROLES = {"Agent", "Agent Manager", "System Manager"}


def is_agent(user: str) -> bool:
	"""An agent as Helpdesk counts them (its roles, an HD Agent record, the Administrator), plus System Managers.

	Not helpdesk.utils.is_agent: in Helpdesk v1.5 it asks whether the *session* user is the
	Administrator, so it answers for the wrong user whenever `user` is not the session user.
	"""
	if user == "Administrator":
		return True
	if AGENT_ROLES & set(frappe.get_roles(user)):
		return True
	return bool(get_row("HD Agent", {"user": user, "is_active": 1}, ["name"]))


def customers_of(user: str) -> frozenset[str]:
	"""HD Customers linked to the user's contacts (Helpdesk's model of an organisation)."""
	Contact = DocType("Contact")
	Link = DocType("Dynamic Link")
	rows = (
		frappe.qb.from_(Link)
		.join(Contact)
		.on(Link.parent == Contact.name)
		.select(Link.link_name)
		.where(Link.parenttype == "Contact")
		.where(Link.parentfield == "links")
		.where(Link.link_doctype == "HD Customer")
		.where((Contact.user == user) | (Contact.email_id == user))
		.distinct()
		.run(pluck=True)
	)
	return frozenset(rows)


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
