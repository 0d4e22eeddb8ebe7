"""The community page (/community and its sub-routes): a portal page for colleagues and agents.

The page is a shell; everything it shows comes from this app's whitelisted, permission-checked API.
"""

import frappe
from frappe import _

no_cache = 1


def get_context(context):
	if frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = "/login?redirect-to=" + frappe.utils.quote(frappe.request.path)
		raise frappe.Redirect
	from peer_support import host

	agent = host.is_agent(frappe.session.user)
	context.title = _("Community")
	context.csrf_token = frappe.sessions.get_csrf_token()
	context.helpdesk_link = host.AGENT_TICKETS_ROUTE if agent else host.PORTAL_TICKETS_ROUTE
	context.boot = {
		"user": frappe.session.user,
		"is_agent": agent,
		"new_ticket_method": host.NEW_TICKET_METHOD,
	}
	return context
