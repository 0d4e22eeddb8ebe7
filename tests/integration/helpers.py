"""Records the in-site tests build for themselves."""

from contextlib import contextmanager

import frappe

from peer_support import host
from peer_support.demo import as_user  # noqa: F401 - call an API function as a user, then as Administrator
from peer_support.services.write_path import peer_writes
from peer_support.tests.personas import make_customer, make_user  # noqa: F401 - used by the tests too


def make_ticket(
	subject: str = "Printer on floor 3 prints blank pages", **values
) -> "frappe.model.document.Document":
	ticket = frappe.get_doc(
		{
			"doctype": "HD Ticket",
			"subject": subject,
			"description": f"<p>{subject}</p>",
			"raised_by": values.pop("raised_by", "jeff.requester@example.com"),
			**values,
		}
	)
	ticket.insert()
	return ticket.reload()  # Helpdesk updates the ticket after insert (its first communication)


def ensure(doctype: str, name: str, **values) -> str:
	"""A master record (ticket type, team, priority) the test needs; created if missing."""
	if not frappe.db.exists(doctype, name):
		frappe.get_doc({"doctype": doctype, "name": name, **values}).insert()
	return name


def ensure_team(name: str) -> str:
	"""A team (Helpdesk v1.2x requires users in it: the service desk's agent)."""
	if not frappe.db.exists("HD Team", name):
		agent = make_user("derek@it.test", "Derek", agent=True)
		frappe.get_doc(host.team_record(name, [agent])).insert()
	return name


RESTRICTED_TEAM = "Restricted Test Team"


def restrict_by_agent_group(ticket) -> str:
	"""Helpdesk's "restrict tickets by agent group", with `ticket` in a team Derek is not in (Erin's;
	Derek has a team of his own). Returns the team. Rolled back with the test."""
	if not frappe.db.exists("HD Team", RESTRICTED_TEAM):
		erin = make_user("erin@it.test", "Erin", agent=True)
		frappe.get_doc(host.team_record(RESTRICTED_TEAM, [erin])).insert()
	ensure_team("Derek Test Team")
	frappe.db.set_value("HD Ticket", ticket, "agent_group", RESTRICTED_TEAM)
	frappe.db.set_single_value("HD Settings", "restrict_tickets_by_agent_group", 1)
	frappe.db.set_single_value("HD Settings", "do_not_restrict_tickets_without_an_agent_group", 1)
	return RESTRICTED_TEAM


def ensure_ticket_type(name: str) -> str:
	return ensure("HD Ticket Type", name)


def update_settings(**values) -> None:
	settings = frappe.get_single("Peer Support Settings")
	for field, value in values.items():
		if field.startswith("excluded_"):
			settings.set(field, [])
			child_field = {
				"excluded_ticket_types": "ticket_type",
				"excluded_teams": "team",
				"excluded_priorities": "priority",
			}[field]
			for item in value:
				settings.append(field, {child_field: item})
		else:
			settings.set(field, value)
	settings.save()


def org() -> frappe._dict:
	"""Jeff, Lottie, Mia and Max work at Acme, Olga at Globex, Derek is the service desk's agent."""
	acme, globex = make_customer("Acme Test"), make_customer("Globex Test")
	return frappe._dict(
		jeff=make_user("jeff@acme.test", "Jeff", acme),
		lottie=make_user("lottie@acme.test", "Lottie", acme),
		mia=make_user("mia@acme.test", "Mia", acme),
		max=make_user("max@acme.test", "Max", acme),
		olga=make_user("olga@globex.test", "Olga", globex),
		derek=make_user("derek@it.test", "Derek", agent=True),
		acme=acme,
		globex=globex,
	)


def make_answer(ticket: str, author: str, body: str = "<p>Turn it off and on again.</p>", **values) -> str:
	answer = frappe.get_doc(
		{"doctype": "Peer Answer", "ticket": ticket, "author": author, "body": body, **values}
	)
	with peer_writes():  # test data made as the app makes it; the answers API has tests of its own
		answer.insert(ignore_permissions=True)
	return answer.name


def shared_ticket(people, subject: str = "Printer on floor 3 prints blank pages", **values) -> str:
	"""A ticket Jeff raised and shared with his colleagues at Acme."""
	from peer_support.api import tickets

	values.setdefault("priority", "Low")
	values.setdefault("via_customer_portal", 1)  # filed in Helpdesk's portal, whose rules then apply to Jeff
	ticket = make_ticket(subject, raised_by=people.jeff, customer=people.acme, **values)
	as_user(people.jeff, tickets.share, ticket.name)
	return str(ticket.name)


def notifications(user: str, contains: str) -> list[str]:
	"""Subjects of the user's Notification Logs that contain `contains`."""
	return [
		s
		for s in frappe.get_all("Notification Log", filters={"for_user": user}, pluck="subject")
		if contains in s
	]


@contextmanager
def frozen(moment):
	"""Time stands at `moment` (the site's time zone), as Frappe's own FrappeTestCase.freeze_time does:
	freezegun wants UTC or aware times, and Frappe's now_datetime() reads the system time zone."""
	import pytz
	from frappe.utils import get_datetime, get_system_timezone
	from freezegun import freeze_time

	aware = pytz.timezone(get_system_timezone()).localize(get_datetime(moment)).astimezone(pytz.utc)
	with freeze_time(aware):
		yield
