"""Per-user rate limits of the community's write endpoints (answers, votes, flags, Ask sessions).

Generous for a person, tight for a script, over a window of WINDOW seconds. A site may change the
numbers (not the window) in site_config.json:

    bench --site SITE set-config --parse peer_support_rate_limits '{"create": 40}'
"""

import functools

import frappe
from frappe.rate_limiter import rate_limit
from frappe.utils import cint

WINDOW = 10 * 60
LIMITS = {"create": 20, "vote": 120, "flag": 20, "ask": 60}
KEY = "_peer_support_rate_user"


def configured_limit(action: str):
	"""The site's limit for `action` (read on each request), else LIMITS'."""
	return lambda: cint((frappe.conf.get("peer_support_rate_limits") or {}).get(action)) or LIMITS[action]


def limited(action: str):
	"""Frappe's rate limit, counted per user instead of per IP address (colleagues share their
	office's). Frappe's `rate_limit(key=...)` counts per value of that request argument; this puts the
	session user there, after Frappe has bound the function's own arguments, so callers cannot choose
	it. Frappe then refuses the request over the limit with RateLimitExceededError (HTTP 429, a message).
	Use below `@frappe.whitelist`."""

	def decorator(fn):
		counted = rate_limit(key=KEY, ip_based=False, limit=configured_limit(action), seconds=WINDOW)(fn)

		@functools.wraps(fn)
		def wrapper(*args, **kwargs):
			if getattr(frappe.local, "request", None):
				frappe.form_dict[KEY] = frappe.session.user
			return counted(*args, **kwargs)

		return wrapper

	return decorator
