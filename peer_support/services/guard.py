"""Guards on HD Ticket's peer fields, whatever the path (Desk, REST, Helpdesk's API).

The peer fields are the app's bookkeeping: only this app's checked methods change them, for every role.
A community ticket must belong to its requester's organisation: Helpdesk v1.5 lets a portal user
file a ticket naming any customer (or any requester), which would otherwise put it into that
customer's community.
"""

import frappe
from frappe import _
from frappe.utils import now_datetime

from peer_support.core.visibility import COMMUNITY, PRIVATE
from peer_support.host import customers_of, is_agent
from peer_support.services import write_path

PEER_FIELDS = {
	"peer_status": "None",
	"peer_affected_count": 0,
	"peer_accepted_answer": None,
	"peer_resolved": 0,
	"peer_shared_on": None,
	"peer_accepted_on": None,
	"peer_escalated_on": None,
}
SHARED_ON = "peer_shared_on"


def before_save(ticket, method=None) -> None:
	"""doc_events: HD Ticket before_save."""
	if not write_path.inside():
		# Agents too: the fields follow the app's records (an accepted answer of this ticket, the
		# window's escalation), which agents change through the app's own methods, never directly.
		protect_peer_fields(ticket)
	check_requester_belongs(ticket, is_agent)
	stamp_shared_on(ticket)


def stamp_shared_on(ticket) -> None:
	"""When the ticket first became a community question: the peer window starts there. Kept when the
	ticket goes private and is shared again, so re-sharing never restarts the colleagues' window.
	Last of the before_save hooks, after every rule that may make the ticket private again."""
	if ticket.get("peer_visibility") == COMMUNITY and not ticket.get(SHARED_ON):
		ticket.set(SHARED_ON, now_datetime())


def protect_peer_fields(ticket) -> None:
	if ticket.is_new():
		for field, default in PEER_FIELDS.items():
			ticket.set(field, default)  # a new ticket starts with none of a colleague's history
		return
	for field in PEER_FIELDS:
		if ticket.has_value_changed(field):
			label = ticket.meta.get_label(field)
			frappe.throw(
				_("{0} is kept by Peer Support and cannot be set directly.").format(label),
				frappe.PermissionError,
			)


def check_requester_belongs(ticket, is_agent) -> None:
	"""A community ticket's customer must be one its requester is a contact of."""
	if ticket.get("peer_visibility") != COMMUNITY or not ticket.customer or not ticket.raised_by:
		return
	if is_agent(ticket.raised_by) or ticket.customer in customers_of(ticket.raised_by):
		return
	if ticket.has_value_changed("peer_visibility") and not ticket.is_new():
		frappe.throw(
			_(
				"The requester is not a contact of {0}, so this ticket cannot be shown to its colleagues."
			).format(frappe.bold(ticket.customer)),
			frappe.ValidationError,
			title=_("Cannot share with the community"),
		)
	ticket.set("peer_visibility", PRIVATE)
