"""Notifications through Frappe's Notification Log (bell in Desk, email by each user's settings).

Always after the commit, in a background job: a request never waits for mail, and a request that
fails notifies nobody.
"""

import frappe
from frappe import _
from frappe.query_builder import DocType

from peer_support.core.text import excerpt  # noqa: F401 (notify.excerpt is used across the app)
from peer_support.host import agent_ticket_route, became_done, is_agent


def community_link(ticket: str) -> str:
	return f"/community/{ticket}"


def agent_link(ticket: str) -> str:
	return agent_ticket_route(ticket)


def notify(
	users,
	subject: str,
	ticket: str | None,
	body: str | None = None,
	for_agents: bool = False,
	reference: tuple[str, str] | None = None,
	link: str | None = None,
	include_actor: bool = False,
) -> None:
	"""Queue one Notification Log per user. The actor (session user) is not told about their own act,
	unless `include_actor` (a badge they earned by answering, say)."""
	users = sorted({u for u in users if u and u != "Guest" and (include_actor or u != frappe.session.user)})
	if not users or frappe.flags.in_install:
		return
	document_type, document_name = reference or ("HD Ticket", str(ticket))
	doc = {
		"type": "Alert",
		"subject": subject,
		"email_content": body,
		"document_type": document_type,
		"document_name": document_name,
		"from_user": frappe.session.user,
		"link": link or (agent_link(ticket) if for_agents else community_link(ticket)),
	}
	frappe.enqueue(
		"frappe.desk.doctype.notification_log.notification_log.make_notification_logs",
		doc=frappe._dict(doc),  # Frappe's job reads doc.type
		users=users,
		enqueue_after_commit=True,
		now=frappe.flags.in_test,
	)


def ticket_agents(ticket: str) -> list[str]:
	"""The agents assigned to the ticket; with none, Helpdesk's agent managers (someone must look)."""
	assigned = frappe.parse_json(frappe.db.get_value("HD Ticket", ticket, "_assign") or "[]")
	if assigned:
		return assigned
	HasRole = DocType("Has Role")
	User = DocType("User")
	return (
		frappe.qb.from_(HasRole)
		.join(User)
		.on(HasRole.parent == User.name)
		.select(HasRole.parent)
		.where(HasRole.role == "Agent Manager")
		.where(HasRole.parenttype == "User")
		.where(User.enabled == 1)
		.where(User.name != "Administrator")
		.distinct()
		.run(pluck=True)
	)


def requester_of(ticket: str) -> str | None:
	return frappe.db.get_value("HD Ticket", ticket, "raised_by")


def split_by_role(users) -> tuple[list[str], list[str]]:
	"""(portal users, agents): agents get links into their ticket view, portal users into the community."""
	portal, agents = [], []
	for user in users:
		(agents if is_agent(user) else portal).append(user)
	return portal, agents


def tell(users, subject: str, ticket: str, body: str | None = None) -> None:
	portal, agents = split_by_role(users)
	notify(portal, subject, ticket, body)
	notify(agents, subject, ticket, body, for_agents=True)


def new_answer(ticket: str, author_name: str, body: str) -> None:
	requester = requester_of(ticket)
	tell([requester], _("{0} answered your ticket #{1}").format(author_name, ticket), ticket, excerpt(body))
	followers = frappe.get_all("Peer Ticket Follower", filters={"ticket": ticket}, pluck="user")
	tell(
		[user for user in followers if user != requester],
		_("{0} answered a question you follow (#{1})").format(author_name, ticket),
		ticket,
		excerpt(body),
	)


def answer_event(answer, subject: str) -> None:
	tell([answer.author], subject, answer.ticket)


def on_ticket_update(doc, method=None) -> None:
	"""HD Ticket on_update: colleagues who said "I have this too" hear when the ticket is resolved."""
	if not became_done(doc):
		return
	users = frappe.get_all("Peer Ticket Affected", filters={"ticket": doc.name}, pluck="user")
	tell(users, _("Ticket #{0} that you also had is resolved: {1}").format(doc.name, doc.subject), doc.name)
