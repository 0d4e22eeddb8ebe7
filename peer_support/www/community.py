"""The community page (/community and its sub-routes): the frappe-ui single-page app built from
`frontend/` by `bench build --app peer_support`, for Helpdesk's contacts and agents.

Its entry page, community.html, is build output (Vite writes it next to this file; see
frontend/vite.config.js), and frappe-ui's Jinja boot plugin writes each key of `boot` into `window`.
Everything the app shows comes from this app's whitelisted, permission-checked API.
"""

import frappe
from frappe import _
from frappe.translate import get_translations_from_apps, get_user_translations
from frappe.utils.jinja_globals import is_rtl

no_cache = 1

APP_ROUTE = "/community"


def get_context(context):
	if frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = "/login?redirect-to=" + frappe.utils.quote(frappe.request.path)
		raise frappe.Redirect
	context.title = _("Community")
	context.boot = get_boot()
	return context


def get_boot() -> dict:
	from peer_support import host

	user = frappe.session.user
	agent = host.is_agent(user)
	return {
		"csrf_token": frappe.sessions.get_csrf_token(),
		"site_name": frappe.local.site,
		"session_user": user,
		"user_full_name": frappe.db.get_value("User", user, "full_name") or user,
		"is_agent": agent,
		"helpdesk_link": host.AGENT_TICKETS_ROUTE if agent else host.PORTAL_TICKETS_ROUTE,
		"new_ticket_method": host.NEW_TICKET_METHOD,
		"community_base": APP_ROUTE,
		# live updates: the bench's socket.io server (its own port in development, as Helpdesk's socket.ts)
		"socketio_port": frappe.conf.socketio_port,
		"lang": frappe.local.lang,
		"dir": "rtl" if is_rtl() else "ltr",
		"translated_messages": translated_messages(frappe.local.lang),
	}


def translated_messages(lang: str) -> dict[str, str]:
	"""The messages the app's `__()` translates: this app's translation files for the language (and its
	parent language, es for es-MX) and the site's own Translation records, as frappe/crm's boot carries
	them (`translated_messages`); only this app's files, not every app's (a few KB, not a few MB)."""
	if not lang or lang == "en":
		return {}
	messages = get_translations_from_apps(lang, ["peer_support"]).copy()
	messages.update(get_user_translations(lang))
	return messages
