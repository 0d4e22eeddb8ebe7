"""Live updates of the community app through Frappe's realtime (its socket.io server and Redis).

A change to a ticket's answers (a new answer, an edit, a vote, an accept, an endorsement, a hide) is
published after its commit to one room per ticket and visibility. The room's name is a keyed hash that
only the permission-checked ticket API hands out (`room_token`, in `tickets.get`), so only a caller
who could read the ticket can join it; Frappe's socket server joins task rooms without asking. The
event carries no content, only which ticket changed and how: an open page reads the ticket again
through that same API, which applies every rule (hidden answers, private tickets) to the reader.
When a ticket is made private its room changes with it, so colleagues who read it while it was shared
hear nothing more of it.
"""

import functools
import hashlib
import hmac

import frappe
from frappe.realtime import get_task_progress_room
from frappe.utils.password import get_encryption_key

from peer_support.services.visibility import VISIBILITY_FIELD

EVENT = "peer_support_ticket"


def room_token(ticket: str | int, visibility: str | None) -> str:
	"""The task id of the ticket's room: unguessable without the site's key, new with each visibility."""
	message = f"peer_support:ticket:{ticket}:{visibility or ''}".encode()
	return "peer-support-" + hmac.new(get_encryption_key().encode(), message, hashlib.sha256).hexdigest()[:40]


def changed(ticket, kind: str, answer: str | None = None) -> None:
	"""Tell the open pages of `ticket` (its row or document, with the visibility they opened it with)
	that its `kind` changed, once the transaction has committed."""
	token = room_token(ticket.name, ticket.get(VISIBILITY_FIELD))
	frappe.publish_realtime(
		EVENT,
		{"ticket": str(ticket.name), "kind": kind, "answer": answer, "room": token},
		room=get_task_progress_room(token),
		after_commit=True,  # a room named directly: Frappe drops after_commit for `task_id=`
	)


def publishes(kind: str):
	"""A Peer Answer document method whose change the ticket's open pages hear of (on every path: the
	API, Desk and REST's run_doc_method)."""

	def decorate(method):
		@functools.wraps(method)
		def publishing(self, *args, **kwargs):
			result = method(self, *args, **kwargs)
			changed(self.view().ticket, kind, self.name)
			return result

		return publishing

	return decorate
