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


def contact_links():
	"""Contacts joined to their HD Customer links: Helpdesk's model of who works for which organisation.
	Returns the query and its two tables, for the caller's select and filters."""
	Contact = DocType("Contact")
	Link = DocType("Dynamic Link")
	query = (
		frappe.qb.from_(Link)
		.join(Contact)
		.on(Link.parent == Contact.name)
		.where(Link.parenttype == "Contact")
		.where(Link.parentfield == "links")
		.where(Link.link_doctype == "HD Customer")
	)
	return query, Link, Contact


def customers_of(user: str) -> frozenset[str]:
	"""HD Customers linked to the user's contacts."""
	query, Link, Contact = contact_links()
	rows = query.select(Link.link_name).where((Contact.user == user) | (Contact.email_id == user)).distinct().run(
		pluck=True)
	return frozenset(rows)


def people_of(customers):
	"""A subquery (for `isin`) of the users who are contacts of these customers: their portal users.

	By the contact's user (Frappe sets it when a user has the contact's e-mail address), which is
	indexed; customers_of also matches a contact by e-mail, for the viewer's own access."""
	query, Link, Contact = contact_links()
	return query.select(Contact.user).where(Link.link_name.isin(list(customers))).where(Contact.user.isnotnull())


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
