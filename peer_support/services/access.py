"""The one access module: who is asking, and what they may read, answer, accept and moderate.

Every endpoint of this app, the doctypes' own methods (Peer Answer's vote, accept, endorse, ...) and
the permission hooks on Helpdesk's HD Ticket decide here, from the pure rules in `core.audience`.
An endpoint builds one view per request (`ticket_view`, `answer_view`) and asks it:

- `require_read()`: a ticket or answer the caller may not read is "not found" (404), so its
  existence is not revealed (hidden answers: agents only);
- `require_answer()`, `require_requester()`, `require_agent()`, `require_colleague()`: an action the
  caller may read but not do is a 403 with the reason.

The HD Ticket hooks at the end only narrow Helpdesk's own rules: Frappe ANDs this app's query
condition with Helpdesk's and asks this app's has_permission first (hooks of later-installed apps come
first); returning None leaves the decision to Helpdesk, so this app can never widen what it allows.
"""

import time

import frappe
from frappe import _

from peer_support import host
from peer_support.core.audience import (
	TicketAccess,
	Viewer,
	is_requester,
	may_answer,
	may_read_community,
	may_read_through_helpdesk,
)
from peer_support.core.visibility import COMMUNITY
from peer_support.peer_support.doctype.peer_support_settings.peer_support_settings import get_settings
from peer_support.services.rows import get_row
from peer_support.services.visibility import VISIBILITY_FIELD, sharing_decision

TICKET_FIELDS = [
	"name",
	"subject",
	"description",
	"status",
	"ticket_type",
	"priority",
	"agent_group",
	"customer",
	"contact",
	"raised_by",
	"owner",
	"creation",
	"modified",
	VISIBILITY_FIELD,
	"peer_status",
	"peer_affected_count",
	"peer_accepted_answer",
	"peer_shared_on",
	"peer_escalated_on",
	host.RESPONSE_BY,
]
# The cache of viewer(): a Redis hash, user -> (valid until, is agent, customers).
VIEWERS = "peer_support:viewers"
VIEWER_SECONDS = 300
ANSWER_FIELDS = [
	"name",
	"ticket",
	"author",
	"body",
	"score",
	"accepted",
	"endorsed_by",
	"hidden",
	"hidden_reason",
	"flags_count",
	"kb_article",
	"resolved_ticket",
	"creation",
	"modified",
]


def viewer(user: str | None = None) -> Viewer:
	"""Who is asking: the session user unless told, with their agent standing and customers.

	Every call of the community page asks this, so it is kept in Redis per user (VIEWERS) and read
	from there: one round trip instead of the roles, HD Agent and customer queries. Any change of what
	it is made of (doc_events in hooks.py) empties the cache when it is saved, and again when it is
	committed or rolled back; until then the transaction that made it reads and writes no cache, so it
	sees its own change and nobody else's request caches it. VIEWER_SECONDS bounds what a change that
	runs no document event (SQL, db.set_value) may leave stale."""
	user = user or frappe.session.user
	if user == "Guest":
		return Viewer(user=user)
	use_cache = not getattr(frappe.local, "peer_support_viewers_changed", False)
	now = time.time()
	cached = frappe.cache.hget(VIEWERS, user) if use_cache else None
	if cached and cached[0] > now:
		return Viewer(user=user, is_agent=cached[1], customers=frozenset(cached[2]))
	agent = host.is_agent(user)
	customers = frozenset() if agent else host.customers_of(user)
	if use_cache:
		frappe.cache.hset(VIEWERS, user, (now + VIEWER_SECONDS, agent, sorted(customers)))
	return Viewer(user=user, is_agent=agent, customers=customers)


def forget_viewers(doc=None, method=None, *args) -> None:
	"""doc_events (hooks.py) of roles, agents, contacts and customers (after_rename also passes the
	old and new names and whether they merged): someone's agent standing or customers may have changed."""
	frappe.cache.delete_value(VIEWERS)
	if not getattr(frappe.local, "peer_support_viewers_changed", False):
		frappe.local.peer_support_viewers_changed = True
		frappe.db.after_commit.add(_viewers_settled)
		frappe.db.after_rollback.add(_viewers_settled)


def _viewers_settled() -> None:
	frappe.local.peer_support_viewers_changed = False
	frappe.cache.delete_value(VIEWERS)


def require_login() -> Viewer:
	if frappe.session.user == "Guest":
		frappe.throw(_("Log in to continue."), frappe.PermissionError)
	return viewer()


def require_agent(message: str | None = None) -> Viewer:
	"""The caller, who must be one of the service desk's agents (a 403 with `message` otherwise)."""
	me = require_login()
	if not me.is_agent:
		forbid(message or _("Only the service desk's agents may do this."))
	return me


def ticket_access(ticket) -> TicketAccess:
	return TicketAccess(
		# Not the owner: Helpdesk v1.5 lets a portal user file a ticket in another person's name.
		requesters=frozenset(filter(None, (ticket.get("raised_by"), ticket.get("contact")))),
		customer=ticket.get("customer"),
		visibility=ticket.get(VISIBILITY_FIELD),
		shareable=sharing_decision(ticket).allowed,
	)


def not_found(what: str, name) -> None:
	frappe.throw(_("{0} {1} not found").format(what, frappe.bold(name)), frappe.DoesNotExistError)


def forbid(message: str) -> None:
	frappe.throw(message, frappe.PermissionError)


def get_ticket_or_404(name: str | int | None) -> frappe._dict:
	if name in (None, ""):
		# Arguments default to None so a missing one is a 417 with this message, not a 500 TypeError.
		frappe.throw(_("Which ticket? The argument 'ticket' is required."), frappe.MandatoryError)
	ticket = get_row("HD Ticket", name, TICKET_FIELDS)
	if not ticket:
		not_found(_("Ticket"), name)
	return ticket


class TicketView(frappe._dict):
	"""A ticket as one caller sees it: `ticket` (its row), `me` (the Viewer), `access`, `audience`."""

	@property
	def is_requester(self) -> bool:
		return is_requester(self.me, self.access)

	@property
	def may_read(self) -> bool:
		return may_read_community(self.me, self.access, self.audience)

	@property
	def helpdesk_lets_agent_read(self) -> bool:
		"""An agent reads what Helpdesk lets them read: its HD Ticket permission, agent groups included
		("restrict tickets by agent group", 1.2x), so the community page is no way around them. A
		community question is there for the whole audience, so any agent may see and moderate it."""
		if self.access.visibility == COMMUNITY and self.access.shareable:
			return True
		return frappe.has_permission("HD Ticket", "read", doc=str(self.ticket.name), user=self.me.user)

	def require_read(self) -> "TicketView":
		if not self.may_read or (self.me.is_agent and not self.helpdesk_lets_agent_read):
			# The same answer whether the ticket is private or missing: its existence is not revealed.
			not_found(_("Ticket"), self.ticket.name)
		return self

	def require_answer(self) -> "TicketView":
		self.require_read()
		if not may_answer(self.me, self.access, self.audience):
			forbid(_("Colleagues answer here; the requester accepts an answer and agents reply in Helpdesk."))
		return self

	def require_requester(self, message: str) -> "TicketView":
		if not self.is_requester:
			forbid(message)
		return self

	def require_requester_or_agent(self, message: str) -> "TicketView":
		if not (self.me.is_agent or self.is_requester):
			forbid(message)
		return self

	def require_agent(self, message: str | None = None) -> "TicketView":
		if not self.me.is_agent:
			forbid(message or _("Only the service desk's agents may moderate peer answers."))
		return self

	def require_colleague(self, message: str) -> "TicketView":
		"""A colleague in the audience: neither the requester nor an agent."""
		if self.me.is_agent or self.is_requester:
			forbid(message)
		return self


def ticket_view(ticket, me: Viewer | None = None) -> TicketView:
	"""The caller's view of a ticket (`ticket`: its name, or its row already read); 404 if it does not exist."""
	row = ticket if isinstance(ticket, dict) else get_ticket_or_404(ticket)
	return TicketView(
		ticket=row, me=me or viewer(), access=ticket_access(row), audience=get_settings().audience
	)


class AnswerView(TicketView):
	"""A peer answer as one caller sees it: `answer` (its row) and its ticket's view."""

	def require_read(self) -> "AnswerView":
		if not self.may_read or (self.answer.hidden and not self.me.is_agent):
			not_found(_("Answer"), self.answer.name)
		return self


def answer_view(answer, for_update: bool = False, me: Viewer | None = None) -> AnswerView:
	"""The caller's view of an answer (`answer`: its name or its row), read; 404 when it may not be read.
	`for_update` locks the answer's row until commit (votes on one answer are ordered by it)."""
	if not answer:
		frappe.throw(_("Which answer? The argument 'answer' is required."), frappe.MandatoryError)
	row = (
		answer
		if isinstance(answer, dict)
		else get_row("Peer Answer", answer, ANSWER_FIELDS, for_update=for_update)
	)
	if not row:
		not_found(_("Answer"), answer)
	view = ticket_view(get_ticket_or_404(row.ticket), me)
	return AnswerView(view, answer=row).require_read()


# Permission hooks on Helpdesk's HD Ticket: private tickets stay private for portal users
# -------------------------------------------------------------------------------------


def restricted(user: str) -> bool:
	"""Is `user` a portal user whom "private tickets stay private" narrows to their own tickets?"""
	return bool(get_settings().private_tickets_stay_private) and not host.is_agent(user)


def ticket_has_permission(doc, ptype: str | None = None, user: str | None = None, debug: bool = False):
	"""has_permission hook for HD Ticket: deny a portal user a colleague's ticket; otherwise no opinion."""
	user = user or frappe.session.user
	if not restricted(user):
		return None
	if doc.get("__islocal") or (hasattr(doc, "is_new") and doc.is_new()):
		return None  # filing a new ticket: Helpdesk's rules decide (its requester is set while saving)
	manages = host.managed_customers(user)
	if may_read_through_helpdesk(
		Viewer(user), ticket_access(doc), private_stays_private=True, manages=manages
	):
		return None
	return False


def ticket_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""permission_query_conditions hook for HD Ticket: a portal user lists only their own tickets."""
	user = user or frappe.session.user
	if not restricted(user):
		return ""
	who = frappe.db.escape(user)
	condition = f"`tabHD Ticket`.`raised_by` = {who} or `tabHD Ticket`.`contact` = {who}"
	if managed := host.managed_customers(user):  # Helpdesk v1.2x's customer managers keep their view
		condition += " or `tabHD Ticket`.`customer` in ({})".format(
			", ".join(frappe.db.escape(c) for c in sorted(managed))
		)
	return f"({condition})"


def article_has_permission(doc, ptype: str | None = None, user: str | None = None, debug: bool = False):
	"""has_permission hook for HD Article: a portal user reads published articles only.

	Helpdesk v1.5 grants every role ("All") read on HD Article, drafts included, and the drafts this app
	makes from peer answers quote a community question: they stay with the service desk until published."""
	user = user or frappe.session.user
	if doc.get("status") == host.ARTICLE_PUBLISHED or host.is_agent(user):
		return None  # drafts: the service desk's, whatever "private tickets stay private" says
	return False


def article_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""permission_query_conditions hook for HD Article: a portal user lists published articles only."""
	user = user or frappe.session.user
	if host.is_agent(user):
		return ""
	return f"(`tabHD Article`.`status` = {frappe.db.escape(host.ARTICLE_PUBLISHED)})"


@frappe.whitelist()
def get_one(name: str | int | None = None, is_customer_portal: bool | int | str = False) -> dict:
	"""Helpdesk's ticket page read (`helpdesk...hd_ticket.api.get_one`), behind HD Ticket's read permission.

	Helpdesk v1.5 reads the ticket there with its own query (every ticket of the user's customer),
	so the permission hooks above never ran; Helpdesk v1.2x checks `has_permission` itself. This
	adds that check on both, then hands over to Helpdesk's own function unchanged.
	"""
	if name in (None, ""):
		frappe.throw(_("Which ticket? The argument 'name' is required."), frappe.MandatoryError)
	if not frappe.db.exists("HD Ticket", name) or not frappe.has_permission(
		"HD Ticket", "read", doc=str(name)
	):
		host.not_found(name)
	# As Helpdesk's own signature (a bool) would read "true" / "1" from a query string.
	return host.ticket_page(name, frappe.utils.sbool(is_customer_portal))
