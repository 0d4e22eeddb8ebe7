"""Honest deflection, applied: who asks without suggestions this month, and how each Ask session ends.

The assignment is the pure rule in core.holdout (sha1 of the person and the month), so it needs no
record and cannot drift; the sessions are recorded only to be counted by the Deflection Holdout
report. Agents are never held out and their visits are not counted: they are not asking the desk.
"""

import frappe
from frappe import _
from frappe.utils import now_datetime

from peer_support.core.holdout import HOLDOUT, group_of, next_outcome
from peer_support.peer_support.doctype.peer_support_settings.peer_support_settings import get_settings
from peer_support.services.write_path import peer_writes

SESSION = "Peer Ask Session"


def this_month() -> str:
	return now_datetime().strftime("%Y-%m")


def group_for(me) -> str | None:
	"""The caller's group this month; None for agents (never held out, never counted)."""
	if me.is_agent:
		return None
	return group_of(me.user, this_month(), get_settings().holdout_share)


def held_out(me) -> bool:
	return group_for(me) == HOLDOUT


def start(me) -> dict:
	"""The Ask page opened: a session in the caller's group, ending "Left" unless filing or "this solved
	it" says otherwise."""
	group = group_for(me)
	if group is None:
		return {"session": None, "holdout": False}
	doc = frappe.get_doc({"doctype": SESSION, "user": me.user, "month": this_month(), "holdout_group": group})
	# The caller's own visit; they have no role on this record (only managers read it).
	with peer_writes():
		doc.insert(ignore_permissions=True)
	return {"session": doc.name, "holdout": group == HOLDOUT}


def own_session(session: str | None, me):
	"""The caller's session, or a 404: nobody ends another person's session."""
	owner = frappe.db.get_value(SESSION, session, "user") if session else None
	if owner != me.user:
		frappe.throw(_("Ask session {0} not found").format(frappe.bold(session)), frappe.DoesNotExistError)
	return frappe.get_doc(SESSION, session)


def end(session: str | None, me, outcome: str, **values) -> str:
	"""Record how the session ended (core.holdout.next_outcome decides over an earlier ending)."""
	doc = own_session(session, me)
	ended = next_outcome(doc.outcome, outcome)
	if ended == doc.outcome and ended != outcome:
		return doc.outcome  # a click after a filed ticket changes nothing
	doc.outcome = ended
	doc.update({key: value for key, value in values.items() if value})
	# Checked above: the caller's own session.
	with peer_writes():
		doc.save(ignore_permissions=True)
	return doc.outcome
