"""Permission hooks on Helpdesk's HD Ticket: private tickets stay private for portal users.

Frappe ANDs this app's query condition with Helpdesk's, and asks this app's has_permission first
(hooks of later-installed apps come first); returning None leaves the decision to Helpdesk, so
this app can only narrow what Helpdesk allows, never widen it.
"""

import frappe
from frappe import _

from peer_support.core.audience import Viewer, may_read_through_helpdesk
from peer_support.host import is_agent, ticket_page
from peer_support.peer_support.doctype.peer_support_settings.peer_support_settings import get_settings
from peer_support.services.access import ticket_access


def _restricted(user: str) -> bool:
	return bool(get_settings().private_tickets_stay_private) and not is_agent(user)


def ticket_has_permission(doc, ptype: str | None = None, user: str | None = None, debug: bool = False):
	"""has_permission hook for HD Ticket: deny a portal user a colleague's ticket; otherwise no opinion."""
	user = user or frappe.session.user
	if not _restricted(user):
		return None
	if doc.get("__islocal") or (hasattr(doc, "is_new") and doc.is_new()):
		return None  # filing a new ticket: Helpdesk's rules decide (its requester is set while saving)
	if may_read_through_helpdesk(Viewer(user), ticket_access(doc), private_stays_private=True):
		return None
	return False


def ticket_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""permission_query_conditions hook for HD Ticket: a portal user lists only their own tickets."""
	user = user or frappe.session.user
	if not _restricted(user):
		return ""
	who = frappe.db.escape(user)
	return f"(`tabHD Ticket`.`raised_by` = {who} or `tabHD Ticket`.`contact` = {who})"


@frappe.whitelist()
def get_one(name: str | int | None = None, is_customer_portal: bool | int | str = False) -> dict:
	"""Helpdesk's ticket page read (`helpdesk...hd_ticket.api.get_one`), behind HD Ticket's read permission.

	Helpdesk v1.5 reads the ticket there with its own query (every ticket of the user's customer),
	so the permission hooks above never ran; current Helpdesk checks `has_permission` itself. This
	adds that check, then hands over to Helpdesk's own function unchanged.
	"""
	if name in (None, ""):
		frappe.throw(_("Which ticket? The argument 'name' is required."), frappe.MandatoryError)
	if not frappe.db.exists("HD Ticket", name) or not frappe.has_permission(
		"HD Ticket", "read", doc=str(name)
	):
		frappe.throw(_("Ticket not found"), frappe.DoesNotExistError)  # Helpdesk's own words
	return ticket_page(name, is_customer_portal)
