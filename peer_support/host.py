"""The host adapter: everything this app asks of Helpdesk, and every difference between its versions.

No other module of this app imports `helpdesk.*` or knows which Helpdesk it runs on
(`tests/unit/test_host_adapter.py` enforces it). Supported hosts:

- Helpdesk v1.5 (Frappe 15.55): fixed ticket statuses (Open, Replied, Paused, Resolved, Closed);
  a contact belongs to an HD Customer through a Dynamic Link on the Contact; ticket names are
  integers (autoincrement); any website user is a portal user.
- Helpdesk v1.2x (Frappe 15.10x): `status` links to HD Ticket Status records, each with a category
  (Open, Paused, Resolved), and the reopen status comes from the SLA or HD Settings; a contact
  belongs to an HD Customer as a row of its `contacts` table (HD Customer Member, with a manager
  flag); ticket names are zero-padded text ("0042"); portal users hold the role "HD Customer"
  (or "HD Customer Manager"); HD Agent needs an agent name and HD Team needs users; Helpdesk makes
  its own FULLTEXT index on the subject.

The differences are decided by what the installed Helpdesk has (a doctype, a field, a role), not by
its version number, so a release in between gets whichever behaviour its schema has.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.query_builder.functions import Count

TICKET = "HD Ticket"

# Helpdesk's agent roles (both versions), plus System Managers, who administer the site.
AGENT_ROLES = frozenset({"Agent", "Agent Manager", "System Manager"})
# Helpdesk v1.2x's portal roles; v1.5 has none (every website user is a portal user).
CUSTOMER_ROLE = "HD Customer"
CUSTOMER_MANAGER_ROLE = "HD Customer Manager"

# Helpdesk v1.5's fixed statuses.
RESOLVED = "Resolved"
OPEN = "Open"
FIXED_DONE_STATUSES = ("Resolved", "Closed")

# Routes of Helpdesk's single-page app (the same in both versions).
AGENT_TICKET_ROUTE = "/helpdesk/tickets/{}"
PORTAL_TICKETS_ROUTE = "/helpdesk/my-tickets"
AGENT_TICKETS_ROUTE = "/helpdesk/tickets"
AGENT_ARTICLE_ROUTE = "/helpdesk/kb/articles/{}"
PUBLIC_ARTICLE_ROUTE = "/helpdesk/kb-public/articles/{}"
# Helpdesk's own endpoint that files a ticket from its portal (both versions).
NEW_TICKET_METHOD = "helpdesk.helpdesk.doctype.hd_ticket.api.new"

ARTICLE_PUBLISHED = "Published"
ARTICLE_DRAFT = "Draft"

# This app's FULLTEXT index on HD Ticket's subject, made only where Helpdesk has none of its own.
OWN_SUBJECT_FULLTEXT = "peer_support_subject_ft"


# What the installed Helpdesk has
# -------------------------------


def _facts() -> dict:
	"""Per-site memo of schema facts: they change only with a migrate, which clears `frappe.local`."""
	facts = getattr(frappe.local, "peer_support_host", None)
	if facts is None:
		facts = frappe.local.peer_support_host = {}
	return facts


def _has_doctype(doctype: str) -> bool:
	facts = _facts()
	if doctype not in facts:
		facts[doctype] = bool(frappe.db.exists("DocType", doctype))
	return facts[doctype]


def forget() -> None:
	"""Drop the memo (after install or uninstall, or a migrate within one process)."""
	frappe.local.peer_support_host = {}


def version() -> str:
	"""The installed Helpdesk's version, for labels and reports only; features are checked, not versions."""
	import helpdesk

	return getattr(helpdesk, "__version__", "unknown")


def has_status_records() -> bool:
	"""Helpdesk v1.2x: statuses are HD Ticket Status records with categories."""
	return _has_doctype("HD Ticket Status")


def has_customer_members() -> bool:
	"""Helpdesk v1.2x: HD Customer lists its contacts (HD Customer Member) instead of Contact links."""
	return _has_doctype("HD Customer Member")


def portal_roles() -> list[str]:
	"""Roles a portal user (a customer's contact) needs to use Helpdesk's portal: v1.2x's customer role."""
	return [CUSTOMER_ROLE] if frappe.db.exists("Role", CUSTOMER_ROLE) else []


# People: agents, portal users and their customers
# ------------------------------------------------


def is_agent(user: str) -> bool:
	"""An agent as Helpdesk counts them (its roles, an HD Agent record, the Administrator), plus System Managers.

	Not helpdesk.utils.is_agent: in both versions it asks whether the *session* user is the
	Administrator, so it answers for the wrong user whenever `user` is not the session user.
	"""
	if user == "Administrator":
		return True
	if user in (None, "", "Guest"):
		return False
	if AGENT_ROLES & set(frappe.get_roles(user)):
		return True
	Agent = DocType("HD Agent")
	return bool(
		frappe.qb.from_(Agent)
		.select(Agent.name)
		.where(Agent.user == user)
		.where(Agent.is_active == 1)
		.limit(1)
		.run()
	)


def _members():
	"""(query, customer column, Contact table): contacts joined to the HD Customers they belong to."""
	Contact = DocType("Contact")
	if has_customer_members():
		Member = DocType("HD Customer Member")
		query = (
			frappe.qb.from_(Member)
			.join(Contact)
			.on(Member.contact_name == Contact.name)
			.where(Member.parenttype == "HD Customer")
			.where(Member.parentfield == "contacts")
		)
		return query, Member.parent, Contact
	Link = DocType("Dynamic Link")
	query = (
		frappe.qb.from_(Link)
		.join(Contact)
		.on(Link.parent == Contact.name)
		.where(Link.parenttype == "Contact")
		.where(Link.parentfield == "links")
		.where(Link.link_doctype == "HD Customer")
	)
	return query, Link.link_name, Contact


def customers_of(user: str) -> frozenset[str]:
	"""HD Customers whose contact the user is (by the contact's user, or its e-mail address)."""
	return _customers_of(user)


def managed_customers(user: str) -> frozenset[str]:
	"""HD Customers the user is a manager of (Helpdesk v1.2x's HD Customer Member.is_manager; none on v1.5)."""
	return _customers_of(user, managers_only=True) if has_customer_members() else frozenset()


def _customers_of(user: str, managers_only: bool = False) -> frozenset[str]:
	query, customer, Contact = _members()
	if managers_only:
		query = query.where(DocType("HD Customer Member").is_manager == 1)
	rows = (
		query.select(customer)
		.where((Contact.user == user) | (Contact.email_id == user))
		.distinct()
		.run(pluck=True)
	)
	return frozenset(rows)


def people_of(customers):
	"""A subquery (for `isin`) of the users who are contacts of these customers: their portal users."""
	query, customer, Contact = _members()
	return query.select(Contact.user).where(customer.isin(list(customers))).where(Contact.user.isnotnull())


def add_contact_to_customer(contact: str, customer: str) -> None:
	"""Make `contact` one of `customer`'s people, the way the installed Helpdesk records it.

	For the demo organisation and the tests; on v1.2x Helpdesk's own HD Customer controller then
	gives the contact's user the portal role.
	"""
	if has_customer_members():
		doc = frappe.get_doc("HD Customer", customer)
		if not any(row.contact_name == contact for row in doc.get("contacts", [])):
			doc.append("contacts", {"contact_name": contact, "is_manager": 0})
			# The demo's and tests' own records, set up from the CLI or by the harness.
			doc.save(ignore_permissions=True)
		return
	doc = frappe.get_doc("Contact", contact)
	if not any(link.link_doctype == "HD Customer" and link.link_name == customer for link in doc.links):
		doc.append("links", {"link_doctype": "HD Customer", "link_name": customer})
		doc.save(ignore_permissions=True)  # as above


def remove_contact_from_customers(contact: str) -> None:
	"""Before a contact of the demo is deleted: its memberships go too (v1.2x keeps them on HD Customer)."""
	if has_customer_members():
		Member = DocType("HD Customer Member")
		frappe.qb.from_(Member).delete().where(Member.contact_name == contact).run()


def grant_portal_roles(user: str) -> None:
	"""Give a portal user the roles the installed Helpdesk's portal needs (none on v1.5)."""
	roles = [role for role in portal_roles() if role not in frappe.get_roles(user)]
	if roles:
		doc = frappe.get_doc("User", user)
		doc.append_roles(*roles)
		doc.save(ignore_permissions=True)  # the demo's and tests' own users


def agent_record(user: str, agent_name: str) -> dict:
	"""The values of a new HD Agent (v1.2x requires the agent's name)."""
	return {"doctype": "HD Agent", "user": user, "agent_name": agent_name, "is_active": 1}


def team_record(team: str, users: list[str]) -> dict:
	"""The values of a new HD Team (v1.2x requires at least one user)."""
	return {"doctype": "HD Team", "team_name": team, "users": [{"user": user} for user in users]}


# Tickets
# -------


def ticket_name(name) -> str:
	"""A ticket's name as text: how Links (Peer Answer.ticket and the like) store it on both versions.

	v1.5 names tickets by number, v1.2x by zero-padded text; either way the name is looked up as
	given (a number from v1.5's JSON and its text are the same ticket to MariaDB)."""
	return str(name)


def resolved_status() -> str:
	"""The status Helpdesk resolves a ticket with: "Resolved", or the first status of that category."""
	if not has_status_records():
		return RESOLVED
	names = frappe.get_all(
		"HD Ticket Status", filters={"category": RESOLVED}, pluck="name", order_by="creation asc"
	)
	return RESOLVED if RESOLVED in names or not names else names[0]


def reopen_status(ticket) -> str:
	"""Where Helpdesk itself sends a reopened ticket: the SLA's or HD Settings' reopen status, else Open."""
	reopen = getattr(ticket, "ticket_reopen_status", None) if has_status_records() else None
	return reopen or OPEN


def done_statuses() -> tuple[str, ...]:
	"""Statuses of resolved or closed tickets, for queries: v1.2x's statuses of category Resolved."""
	if not has_status_records():
		return FIXED_DONE_STATUSES
	facts = _facts()
	if "done_statuses" not in facts:
		names = frappe.get_all("HD Ticket Status", filters={"category": RESOLVED}, pluck="name")
		facts["done_statuses"] = tuple(sorted(set(names) | {RESOLVED}))
	return facts["done_statuses"]


def is_done(ticket) -> bool:
	"""Resolved or closed, in Helpdesk's terms."""
	category = ticket.get("status_category")
	if category:
		return category == RESOLVED
	return ticket.get("status") in done_statuses()


def became_done(ticket) -> bool:
	before = ticket.get_doc_before_save()
	return is_done(ticket) and bool(before) and not is_done(before)


def ticket_is_done(name) -> bool:
	"""Is the stored ticket resolved or closed now (v1.2x reads its status category too)?"""
	fields = ["status", "status_category"] if has_status_records() else ["status"]
	row = frappe.db.get_value(TICKET, ticket_name(name), fields, as_dict=True)
	return bool(row) and is_done(row)


def became_reopened(ticket) -> bool:
	"""Resolved or closed before this save, open (or paused) again now: Helpdesk's reopen, whether by
	the requester's reply, an agent's status change or its reopen status."""
	before = ticket.get_doc_before_save()
	return bool(before) and is_done(before) and not is_done(ticket)


def resolve(ticket, feedback: str | None = None) -> None:
	"""Set the ticket resolved the way Helpdesk's portal does; the caller saves it (Helpdesk's SLA and
	feedback rules run in that save). v1.2x derives the category from the status only when it is
	empty, so it is set here with the status."""
	ticket.status = resolved_status()
	if has_status_records():
		ticket.status_category = RESOLVED
	if feedback:
		ticket.feedback = feedback


def reopen(ticket) -> None:
	"""Reopen the ticket as Helpdesk does (its reopen status); the caller saves it."""
	ticket.status = reopen_status(ticket)
	if has_status_records():
		ticket.status_category = frappe.db.get_value("HD Ticket Status", ticket.status, "category") or OPEN


def merged_into(tickets) -> list[str]:
	"""Tickets Helpdesk merged into these (v1.2x's "merge ticket": the source is closed with `is_merged`
	and `merged_with`, following the chain); v1.5 cannot merge tickets, so none. A known-issue notice
	keeps its own links (Helpdesk has no linking of tickets to an incident), and a ticket merged into a
	linked one is linked too: its requester and colleagues are told when the notice is resolved."""
	meta = frappe.get_meta(TICKET)
	if not tickets or not (meta.has_field("merged_with") and meta.has_field("is_merged")):
		return []
	Ticket = DocType(TICKET)
	found, frontier = set(), {ticket_name(t) for t in tickets}
	while frontier:
		merged = (
			frappe.qb.from_(Ticket)
			.select(Ticket.name)
			.where(Ticket.is_merged == 1)
			.where(Ticket.merged_with.isin(list(frontier)))
			.run(pluck=True)
		)
		frontier = {ticket_name(name) for name in merged} - found - {ticket_name(t) for t in tickets}
		found |= frontier
	return sorted(found)


# Helpdesk's SLA fields on HD Ticket (both versions). This app reads them and never writes them: its
# SLA engine owns them. The peer window is a share of the first-response budget up to RESPONSE_BY.
RESPONSE_BY = "response_by"
FIRST_RESPONDED_ON = "first_responded_on"
SLA_FIELDS = (
	"sla",
	"response_by",
	"resolution_by",
	"agreement_status",
	"first_responded_on",
	"first_response_time",
	"service_level_agreement_creation",
	"resolution_date",
	"resolution_time",
	# Helpdesk v1.2x only
	"first_response_failed_by",
	"resolution_failed_by",
)


def sla_fields() -> list[str]:
	"""Helpdesk's SLA fields that the installed HD Ticket has."""
	meta = frappe.get_meta(TICKET)
	return [field for field in SLA_FIELDS if meta.has_field(field)]


def priority_ranks() -> dict[str, int]:
	"""HD Ticket Priority -> its integer_value (smaller is more urgent); v1.2x can disable priorities."""
	filters = {"disabled": 0} if frappe.get_meta("HD Ticket Priority").has_field("disabled") else {}
	rows = frappe.get_all(
		"HD Ticket Priority", filters=filters, fields=["name", "integer_value"], ignore_permissions=True
	)
	return {row.name: row.integer_value for row in rows if row.integer_value is not None}


def set_priority(ticket, priority: str) -> None:
	"""Change the ticket's priority; the caller saves it, so Helpdesk's own rules (its SLA applies the
	new priority's times, assignment rules) run as for an agent's change."""
	ticket.priority = priority


def feedback_option_exists(option: str) -> bool:
	return bool(frappe.db.exists("HD Ticket Feedback Option", option))


def feedback_options() -> list[dict]:
	"""Helpdesk's feedback options; portal users may not read the doctype itself, and it holds nothing private."""
	return frappe.get_all(
		"HD Ticket Feedback Option",
		fields=["name", "label", "rating"],
		order_by="rating desc",
		ignore_permissions=True,
	)


def log_activity(ticket, action: str) -> None:
	"""An entry in the ticket's activity, where Helpdesk's agents read it (after the actor's name)."""
	from helpdesk.helpdesk.doctype.hd_ticket_activity.hd_ticket_activity import log_ticket_activity

	log_ticket_activity(ticket_name(ticket), action)


def ticket_page(name, is_customer_portal) -> dict:
	"""Helpdesk's own ticket page read (`hd_ticket.api.get_one`), unchanged."""
	from helpdesk.helpdesk.doctype.hd_ticket import api

	return api.get_one(name, is_customer_portal=is_customer_portal)


def agent_ticket_route(ticket) -> str:
	return AGENT_TICKET_ROUTE.format(ticket_name(ticket))


# Knowledge base
# --------------


def agent_article_route(article: str) -> str:
	return AGENT_ARTICLE_ROUTE.format(article)


def public_article_route(article: str) -> str:
	return PUBLIC_ARTICLE_ROUTE.format(article)


# Helpdesk's article feedback (both versions): one HD Article Feedback row per reader and article,
# `feedback` a Select of "0" (none), "1" (helpful, a like) or "2" (didn't help, a dislike). Helpdesk's
# `HDArticle.set_feedback` inserts the row the first time (doc events run) and later changes it with
# `frappe.db.set_value` (no doc events, but `modified` moves): this app reads both ways.
ARTICLE_FEEDBACK = "HD Article Feedback"
FEEDBACK_HELPED = "1"
FEEDBACK_DIDNT_HELP = "2"
# Where a reply's link to an article points (the agent's and the public page; both versions).
ARTICLE_ROUTE_PREFIXES = tuple(
	route.replace("{}", "") for route in (AGENT_ARTICLE_ROUTE, PUBLIC_ARTICLE_ROUTE)
)


def article_feedback_counts(article: str, since=None) -> tuple[int, int]:
	"""("didn't help" marks, helpful marks) of an article, given or changed since `since`."""
	Feedback = DocType(ARTICLE_FEEDBACK)
	query = (
		frappe.qb.from_(Feedback)
		.select(Feedback.feedback, Count("*"))
		.where(Feedback.article == article)
		.where(Feedback.feedback.isin([FEEDBACK_HELPED, FEEDBACK_DIDNT_HELP]))
		.groupby(Feedback.feedback)
	)
	if since:
		query = query.where(Feedback.modified > since)
	counts = {str(value): count for value, count in query.run()}
	return counts.get(FEEDBACK_DIDNT_HELP, 0), counts.get(FEEDBACK_HELPED, 0)


def articles_with_new_feedback(since) -> list[str]:
	"""Articles marked "didn't help" since `since` (inserted or changed by Helpdesk's set_feedback)."""
	Feedback = DocType(ARTICLE_FEEDBACK)
	return (
		frappe.qb.from_(Feedback)
		.select(Feedback.article)
		.distinct()
		.where(Feedback.feedback == FEEDBACK_DIDNT_HELP)
		.where(Feedback.modified > since)
		.run(pluck=True)
	)


def is_didnt_help(feedback_row) -> bool:
	return str(feedback_row.get("feedback")) == FEEDBACK_DIDNT_HELP


def give_article_feedback(article: str, helped: bool) -> None:
	"""The session user marks an article the way Helpdesk's knowledge-base page does (its own method)."""
	frappe.get_doc("HD Article", article).set_feedback(
		int(FEEDBACK_HELPED if helped else FEEDBACK_DIDNT_HELP)
	)


def ticket_replies(ticket) -> list[str]:
	"""The contents of the desk's replies on a ticket (Helpdesk keeps them as Communications)."""
	Communication = DocType("Communication")
	return (
		frappe.qb.from_(Communication)
		.select(Communication.content)
		.where(Communication.reference_doctype == TICKET)
		.where(Communication.reference_name == ticket_name(ticket))
		.where(Communication.sent_or_received == "Sent")
		.run(pluck=True)
	)


def is_published(article: str) -> bool:
	return frappe.db.get_value("HD Article", article, "status") == ARTICLE_PUBLISHED


def article_draft(title: str, content: str, category: str | None, author: str) -> dict:
	"""The values of a new draft HD Article, which the service desk reviews and publishes in Helpdesk."""
	values = {
		"doctype": "HD Article",
		"title": title,
		"content": content,
		"status": ARTICLE_DRAFT,
		"author": author,
	}
	if category:
		values["category"] = category
	return values


# Full-text search of subjects
# ----------------------------
# Versions before the suggestion index made a FULLTEXT index of their own on HD Ticket's subject where
# Helpdesk had none (v1.5); Helpdesk v1.2x has its own `ft_subject`, which is never touched.


def drop_own_subject_fulltext() -> None:
	"""Migrate and uninstall: this app's old index goes, Helpdesk's own stays."""
	if frappe.db.db_type == "mariadb" and frappe.db.has_index(f"tab{TICKET}", OWN_SUBJECT_FULLTEXT):
		frappe.db.sql_ddl(f"ALTER TABLE `tab{TICKET}` DROP INDEX `{OWN_SUBJECT_FULLTEXT}`")


def not_found(ticket) -> None:
	"""Helpdesk's own words for a ticket the caller may not read."""
	frappe.throw(_("Ticket not found"), frappe.DoesNotExistError)
