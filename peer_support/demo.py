"""The demo organisation (top-level fixtures/demo.json): load it into a site, and remove it again.

Everything is made through this app's API as the demo's people themselves, so the rules apply as
in real use. Every record made is noted in Peer Demo Record under a stable key: loading twice
makes nothing twice, and removing deletes exactly what the demo made.
"""

import json
from pathlib import Path

import click
import frappe
from frappe.query_builder import DocType

from peer_support import host
from peer_support.services.write_path import peer_writes

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "demo.json"
PEER_TABLES_BY_USER = {  # this app's records a demo person made or received
	"Peer Answer Vote": "voter",
	"Peer Answer Flag": "flagged_by",
	"Peer Ticket Affected": "user",
	"Peer Ticket Follower": "user",
	"Peer Routing": "user",
	"Peer Deflection": "user",
	"Peer Ask Session": "user",
	"Peer Reputation Event": "user",
	"Peer Reputation Period": "user",
	"Peer Answer": "author",
	"Peer Known Issue Subscriber": "user",
}


def fixture() -> dict:
	return json.loads(FIXTURE.read_text())


def made(key: str) -> str | None:
	return frappe.db.get_value("Peer Demo Record", {"key": key}, "ref_name")


def note(key: str, doctype: str, name) -> str:
	with peer_writes():  # run from the CLI as Administrator
		frappe.get_doc(
			{"doctype": "Peer Demo Record", "key": key, "ref_doctype": doctype, "ref_name": str(name)}
		).insert(ignore_permissions=True)
	return str(name)


def as_user(user: str, call, *args, **kwargs):
	"""Call an API function as `user` (its permission checks apply), then return to Administrator."""
	frappe.set_user(user)
	try:
		return call(*args, **kwargs)
	finally:
		frappe.set_user("Administrator")


def email(data: dict, key: str) -> str:
	return f"{key}@{data['domain']}"


def load(echo=click.echo) -> dict:
	"""Load the demo; returns how many records were made (0 on a second load)."""
	data = fixture()
	before = frappe.db.count("Peer Demo Record")
	frappe.set_user("Administrator")
	masters(data)
	echo(f"people: {len(data['people'])}")
	with click.progressbar(data["people"], label="people") as people:
		for person in people:
			make_person(data, person)
	if not frappe.db.exists("HD Team", data["team"]):
		# After the people: Helpdesk v1.2x requires a team's users, the demo's agents.
		agents = [email(data, p["key"]) for p in data["people"] if p["kind"] == "agent"]
		note(
			"team",
			"HD Team",
			frappe.get_doc(host.team_record(data["team"], agents)).insert(ignore_permissions=True).name,
		)
	for ticket in data["tickets"]:
		make_ticket(data, ticket)
	echo(f"tickets: {len(data['tickets'])}")
	for article in data["articles"]:
		if not made(f"article:{article['key']}"):
			doc = frappe.get_doc(
				{
					"doctype": "HD Article",
					"title": article["title"],
					"content": article["content"],
					"status": "Published",
					"author": email(data, "derek"),
				}
			).insert(ignore_permissions=True)
			note(f"article:{article['key']}", "HD Article", doc.name)
	echo(f"articles: {len(data['articles'])}")
	ask_sessions(data)
	known_issue(data)
	made_now = frappe.db.count("Peer Demo Record") - before
	return {"made": made_now}


def masters(data: dict) -> None:
	if not made("customer") and not frappe.db.exists("HD Customer", data["customer"]):
		note(
			"customer",
			"HD Customer",
			frappe.get_doc({"doctype": "HD Customer", "customer_name": data["customer"]})
			.insert(ignore_permissions=True)
			.name,
		)
	for ticket_type in data["ticket_types"]:
		if not frappe.db.exists("HD Ticket Type", ticket_type):
			note(
				f"type:{ticket_type}",
				"HD Ticket Type",
				frappe.get_doc({"doctype": "HD Ticket Type", "name": ticket_type})
				.insert(ignore_permissions=True)
				.name,
			)
	settings = frappe.get_single("Peer Support Settings")
	present = {row.ticket_type for row in settings.excluded_ticket_types}
	for ticket_type in data["never_community_ticket_types"]:
		if ticket_type not in present:
			settings.append("excluded_ticket_types", {"ticket_type": ticket_type})
			note(f"settings:excluded:{ticket_type}", "HD Ticket Type", ticket_type)
	settings.save(ignore_permissions=True)


def make_person(data: dict, person: dict) -> None:
	from peer_support.api import profiles

	user = email(data, person["key"])
	if made(f"user:{person['key']}") or frappe.db.exists("User", user):
		return  # made by an earlier load, or not the demo's to make
	agent = person["kind"] == "agent"
	frappe.get_doc(
		{
			"doctype": "User",
			"email": user,
			"first_name": person["first_name"],
			"last_name": person["last_name"],
			"send_welcome_email": 0,
			"new_password": data["password"],
			"user_type": "System User" if agent else "Website User",
		}
	).insert(ignore_permissions=True)
	note(f"user:{person['key']}", "User", user)
	if agent:
		agent_name = f"{person['first_name']} {person['last_name']}"
		note(
			f"agent:{person['key']}",
			"HD Agent",
			frappe.get_doc(host.agent_record(user, agent_name)).insert(ignore_permissions=True).name,
		)
		return
	contact_name = frappe.db.get_value("Contact", {"email_id": user})
	contact = (
		frappe.get_doc("Contact", contact_name)
		if contact_name
		else frappe.get_doc(
			{
				"doctype": "Contact",
				"first_name": person["first_name"],
				"last_name": person["last_name"],
				"email_ids": [{"email_id": user, "is_primary": 1}],
			}
		)
	)
	contact.save(ignore_permissions=True)
	host.add_contact_to_customer(contact.name, data["customer"])
	host.grant_portal_roles(user)
	note(f"contact:{person['key']}", "Contact", contact.name)
	if person.get("involvement") and person["involvement"] != "Off" or person.get("topics"):
		as_user(user, profiles.update, person.get("involvement"), person.get("topics") or [])


def make_ticket(data: dict, spec: dict) -> None:
	from peer_support.api import answers, knowledge, tickets

	key = f"ticket:{spec['key']}"
	if made(key):
		return
	requester = email(data, spec["by"])
	doc = as_user(
		requester,
		lambda: frappe.get_doc(
			{
				"doctype": "HD Ticket",
				"subject": spec["subject"],
				"description": f"<p>{spec['description']}</p>",
				"ticket_type": spec["topic"],
				"priority": spec["priority"],
				"agent_group": data["team"],
				"raised_by": requester,
				"via_customer_portal": 1,
			}
		).insert(ignore_permissions=True),
	)
	name = note(key, "HD Ticket", doc.name)
	if spec.get("share"):
		as_user(requester, tickets.share, name)
	feedback = frappe.get_all("HD Ticket Feedback Option", pluck="name", order_by="rating desc", limit=1)
	for answer in spec.get("answers", []):
		created = as_user(email(data, answer["by"]), answers.create, name, answer["body"])
		note(f"answer:{answer['key']}", "Peer Answer", created["name"])
		for voter, value in answer.get("votes", {}).items():
			if value:
				as_user(email(data, voter), answers.vote, created["name"], value)
		if answer.get("endorse"):
			as_user(email(data, answer["endorse"]), answers.endorse, created["name"])
		if answer.get("hide"):
			agent, reason = answer["hide"]
			as_user(email(data, agent), answers.hide, created["name"], reason)
		if answer.get("accept"):
			as_user(requester, answers.accept, created["name"], feedback[0] if feedback else None)
		if answer.get("promote"):
			article = as_user(email(data, answer["promote"]), knowledge.promote, created["name"])
			note(f"promoted:{answer['key']}", "HD Article", article["name"])
			if answer.get("publish"):
				publish_and_doubt(data, article["name"], answer["promote"], answer.get("didnt_help", []))
	for colleague in spec.get("affected", []):
		as_user(email(data, colleague), tickets.affected, name)
	if spec.get("escalate"):
		# The story's "nobody solved it in time": the escalation the five-minute job makes once the
		# peer window has passed (services.peer_window), made at once for the demo.
		from peer_support.peer_support.doctype.peer_support_settings.peer_support_settings import get_settings
		from peer_support.services import peer_window

		peer_window.escalate(name, get_settings())
	if spec.get("status"):
		ticket = frappe.get_doc("HD Ticket", name)
		ticket.status = spec["status"]
		as_user(email(data, "derek"), ticket.save)


def publish_and_doubt(data: dict, article: str, agent: str, readers: list[str]) -> None:
	"""The promoted article published, then marked "didn't help" by readers through Helpdesk's own
	feedback: the story's article under review (services.knowledge_review)."""
	from peer_support.services import knowledge_review

	doc = frappe.get_doc("HD Article", article)
	doc.status = host.ARTICLE_PUBLISHED
	as_user(email(data, agent), doc.save)
	for reader in readers:
		as_user(email(data, reader), host.give_article_feedback, article, False)
	# The check the "didn't help" marks queued (after the commit, in a worker), made at once for the demo.
	knowledge_review.check_feedback(article)


def ask_sessions(data: dict) -> None:
	"""Last month's Ask sessions for the Deflection Holdout report (fixture `ask_sessions`), spread over
	the demo's colleagues and the days of that month. Seeded, not drawn: ten people are too few for a
	10% holdout to show anything."""
	from frappe.utils import add_months, get_first_day, now_datetime

	from peer_support.core.holdout import HOLDOUT, SUGGESTED
	from peer_support.services.holdout import SESSION

	if made("ask_sessions"):
		return
	first_day = get_first_day(add_months(now_datetime(), -1))
	month = first_day.strftime("%Y-%m")
	askers = [email(data, p["key"]) for p in data["people"] if p["kind"] != "agent"]
	Session = DocType(SESSION)
	count, first = 0, None
	for spec in data["ask_sessions"]["topics"]:
		for group, key in ((HOLDOUT, "holdout"), (SUGGESTED, "suggested")):
			for outcome, n in spec[key].items():
				for _ in range(n):
					doc = frappe.get_doc(
						{
							"doctype": SESSION,
							"user": askers[count % len(askers)],
							"month": month,
							"holdout_group": group,
							"outcome": outcome,
							"topic": spec["topic"],
						}
					)
					with peer_writes():  # the demo's own records, from the CLI
						doc.insert(ignore_permissions=True)
					day = f"{month}-{1 + count % 28:02d} 10:00:00"
					frappe.qb.update(Session).set(Session.creation, day).set(Session.modified, day).where(
						Session.name == doc.name
					).run()
					count += 1
					first = first or doc.name
	if first:
		note("ask_sessions", SESSION, first)


def known_issue(data: dict) -> None:
	"""A live known-issue notice (fixture `known_issue`), published by the agent with the VPN tickets
	linked, and colleagues subscribed to it ("me too")."""
	from peer_support.api import incidents as incidents_api
	from peer_support.services import incidents
	from peer_support.services.access import viewer

	spec = data.get("known_issue")
	if not spec or made("known_issue"):
		return
	published = as_user(
		email(data, spec["by"]),
		incidents_api.publish,
		title=spec["title"],
		summary=spec["summary"],
		workaround=spec["workaround"],
		status=spec["status"],
		topics=spec["topics"],
		customers=[data["customer"]],
		tickets=[made(f"ticket:{key}") for key in spec["tickets"] if made(f"ticket:{key}")],
	)
	note("known_issue", "Peer Known Issue", published["name"])
	for key in spec["subscribers"]:
		as_user(email(data, key), lambda: incidents.subscribe(published["name"], viewer()))


def remove(echo=click.echo) -> dict:
	"""Delete what the demo made, and this app's records about its people and tickets; nothing else."""
	data = fixture()
	records = frappe.get_all("Peer Demo Record", fields=["name", "key", "ref_doctype", "ref_name"])
	by_type: dict[str, list[str]] = {}
	for record in records:
		by_type.setdefault(record.ref_doctype, []).append(record.ref_name)
	users = by_type.get("User", [])
	ticket_names = by_type.get("HD Ticket", [])
	for doctype, field in PEER_TABLES_BY_USER.items():
		table = DocType(doctype)
		condition = table[field].isin(users or [""])
		if "ticket" in {df.fieldname for df in frappe.get_meta(doctype).fields}:
			condition = condition | table.ticket.isin(ticket_names or [""])
		# Direct deletes: these rows exist only because of the demo (the ledger's append-only rule
		# is about correcting real reputation, not about removing a demo's).
		frappe.qb.from_(table).delete().where(condition).run()
	for child in ("Peer Profile Badge", "Peer Profile Topic"):
		table = DocType(child)
		frappe.qb.from_(table).delete().where(table.parent.isin(users or [""])).run()
	profile = DocType("Peer Profile")
	frappe.qb.from_(profile).delete().where(profile.name.isin(users or [""])).run()
	settings = frappe.get_single("Peer Support Settings")
	added = {r.key.split(":", 2)[2] for r in records if r.key.startswith("settings:excluded:")}
	settings.set(
		"excluded_ticket_types",
		[row for row in settings.excluded_ticket_types if row.ticket_type not in added],
	)
	settings.save(ignore_permissions=True)
	# Frappe makes a contact for every new user, agents included: those are the demo's too.
	by_type["Contact"] = sorted(
		set(by_type.get("Contact", []))
		| set(frappe.get_all("Contact", filters={"email_id": ["in", users or [""]]}, pluck="name"))
	)
	for contact in by_type["Contact"]:
		host.remove_contact_from_customers(contact)
	articles = by_type.get("HD Article", []) or [""]
	for doctype in ("Peer Article Review", "Peer Article Source", host.ARTICLE_FEEDBACK):
		table = DocType(doctype)
		# the demo's articles' reviews, sources and readers' marks (the demo's people's marks)
		frappe.qb.from_(table).delete().where(table.article.isin(articles)).run()
	for notice in by_type.pop("Peer Known Issue", []):
		Subscriber = DocType("Peer Known Issue Subscriber")
		frappe.qb.from_(Subscriber).delete().where(Subscriber.notice == notice).run()
		if frappe.db.exists("Peer Known Issue", notice):
			with peer_writes():  # the demo's own notice
				frappe.delete_doc(
					"Peer Known Issue", notice, ignore_permissions=True, force=True, delete_permanently=True
				)
	order = [
		"HD Article",
		"HD Ticket",
		"HD Agent",
		"Contact",
		"User",
		"HD Team",
		"HD Customer",
		"HD Ticket Type",
	]
	for doctype in order:
		names = by_type.get(doctype, [])
		if doctype == "HD Ticket Type":
			names = [r.ref_name for r in records if r.key.startswith("type:")]
		for name in names:
			if frappe.db.exists(doctype, name):
				frappe.delete_doc(doctype, name, ignore_permissions=True, force=True, delete_permanently=True)
		if names:
			echo(f"removed {len(names)} {doctype}")
	for doctype, field in (
		("Communication", "reference_name"),
		("HD Ticket Activity", "ticket"),
		("Notification Log", "for_user"),
	):
		table = DocType(doctype)
		values = users if field == "for_user" else ticket_names
		if values:
			query = frappe.qb.from_(table).delete().where(table[field].isin(values))
			if doctype == "Communication":
				query = query.where(table.reference_doctype == "HD Ticket")
			query.run()
	demo = DocType("Peer Demo Record")
	frappe.qb.from_(demo).delete().run()
	return {"removed": len(records), "customer": data["customer"]}
