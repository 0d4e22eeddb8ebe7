"""Who may read what: the requester's own tickets, colleagues' community tickets, and nothing else.

Helpdesk lets a portal user read every ticket of their customer. In an organisation where every
employee is a contact of one customer, that makes every ticket public; with "private tickets stay
private" a portal user reads only their own tickets through Helpdesk, and colleagues' tickets only
as community projections through this app.
"""

from dataclasses import dataclass

from peer_support.core.visibility import COMMUNITY

SAME_CUSTOMER = "Same Customer"
ALL_PORTAL_USERS = "All Portal Users"
ANONYMOUS_REQUESTER = "a colleague"


@dataclass(frozen=True)
class Viewer:
	user: str
	is_agent: bool = False
	customers: frozenset[str] = frozenset()

	@property
	def is_guest(self) -> bool:
		return not self.user or self.user == "Guest"


@dataclass(frozen=True)
class TicketAccess:
	"""The facts about a ticket that decide who may read it."""

	requesters: frozenset[str]  # raised_by and contact: the person the ticket is for
	customer: str | None = None
	visibility: str | None = None
	shareable: bool = True  # the sharing policy's decision for the ticket right now


def is_requester(viewer: Viewer, ticket: TicketAccess) -> bool:
	return not viewer.is_guest and viewer.user in ticket.requesters


def may_read_through_helpdesk(
	viewer: Viewer, ticket: TicketAccess, private_stays_private: bool, manages: frozenset[str] = frozenset()
) -> bool:
	"""May the viewer read the ticket through Helpdesk's own endpoints (REST, Helpdesk's portal)?

	`manages`: the customers the viewer is an HD Customer Manager of (Helpdesk v1.2x), whom Helpdesk
	lets read all their customer's tickets: a role the service desk gave them, kept as Helpdesk has it.
	"""
	if viewer.is_agent or not private_stays_private:
		return True  # Helpdesk's own rules apply unchanged
	return is_requester(viewer, ticket) or (bool(ticket.customer) and ticket.customer in manages)


def may_read_community(viewer: Viewer, ticket: TicketAccess, audience: str) -> bool:
	"""May the viewer read the ticket's community projection (question and peer answers)?"""
	if viewer.is_guest:
		return False
	if viewer.is_agent or is_requester(viewer, ticket):
		return True
	if ticket.visibility != COMMUNITY or not ticket.shareable:
		return False
	if audience == ALL_PORTAL_USERS:
		return True
	return bool(ticket.customer) and ticket.customer in viewer.customers


def may_answer(viewer: Viewer, ticket: TicketAccess, audience: str) -> bool:
	"""Colleagues in the audience answer; the requester accepts and agents reply through Helpdesk."""
	if viewer.is_agent or is_requester(viewer, ticket):
		return False
	return may_read_community(viewer, ticket, audience)


def colleagues_scope(viewer: Viewer, audience: str) -> frozenset[str] | None:
	"""Whose names and reputation the viewer may see (leaderboards, profiles): None for everyone, else
	the people of these customers. Agents and, with the audience "all portal users", everyone see
	everyone; with "same customer" a portal user sees the colleagues of their own customers, the
	audience of their questions and answers (without a customer: nobody but themselves)."""
	if viewer.is_agent or audience == ALL_PORTAL_USERS:
		return None
	return viewer.customers


def may_see_profile(viewer: Viewer, user: str, customers_of_user: frozenset[str], audience: str) -> bool:
	"""May the viewer see `user`'s public profile (name, reputation, badges)?"""
	if viewer.is_guest:
		return False
	if viewer.user == user:
		return True
	scope = colleagues_scope(viewer, audience)
	return scope is None or bool(scope & customers_of_user)


def requester_display_name(full_name: str | None, anonymise: bool) -> str:
	return ANONYMOUS_REQUESTER if anonymise or not full_name else full_name
