"""Inside a throw-away site: generate the benchmark data set, then time the community's hot paths
against Helpdesk's own agent ticket list on the same data.

tests/perf/benchmark.py runs this as the bench owner, from the bench's sites folder:

    ../env/bin/python ../apps/peer_support/tests/perf/bench_site.py --site SITE --tickets N generate
    ../env/bin/python ../apps/peer_support/tests/perf/bench_site.py --site SITE measure --base-url URL --out FILE

It commits synthetic data, so it refuses any site whose name does not start with `ps-bench-`.
Each phase prints one progress line with its counts and elapsed seconds.
"""

import argparse
import json
import random
import re
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import frappe

from peer_support import host

SEED = 20261123
PASSWORD = "Bench-Peer-Support-2026!"  # of every generated user, on throw-away sites only
BENCH_CUSTOMER = "Bench Corp"
OTHER_CUSTOMERS = ("Globex", "Initech", "Umbrella", "Hooli")
AGENT = "bench.agent@bench-corp.example"
STATE_KEY = "peer_support_benchmark"  # the data set's facts, kept in the site's globals
RESERVED_VOTERS = 40  # Bench Corp users who never ask, answer or vote in the history: 20 + 20 voters
PAGE_SIZE = 20
MAX_VOTE_CALLS = 1000  # answers kept for measured votes: this many in-process, as many over HTTP

# 50 topics (HD Ticket Types), each with the things people write about in it.
TOPICS = {
	"Printers": ["Printer", "Label printer", "Print queue"],
	"Email": ["Outlook", "Shared mailbox", "Mail rules"],
	"VPN": ["VPN", "VPN client", "Remote access"],
	"Wi-Fi": ["Wifi", "Guest wifi", "Wireless network"],
	"Laptops": ["Laptop", "Laptop battery", "Docking station"],
	"Monitors": ["Monitor", "Second screen", "Display"],
	"Teams": ["Teams", "Teams camera", "Teams meeting"],
	"Video Calls": ["Zoom", "Webcam", "Headset"],
	"Passwords": ["Password reset", "Account lockout", "MFA prompt"],
	"Phones": ["Desk phone", "Softphone", "Voicemail"],
	"Mobile": ["Company phone", "Mobile mail", "Authenticator app"],
	"Excel": ["Excel", "Excel macro", "Pivot table"],
	"Word": ["Word", "Word template", "Track changes"],
	"PowerPoint": ["PowerPoint", "Slide master", "Presenter view"],
	"OneDrive": ["OneDrive", "OneDrive sync", "Shared folder"],
	"SharePoint": ["SharePoint", "SharePoint site", "Document library"],
	"File Shares": ["Network drive", "Mapped drive", "File share"],
	"Browsers": ["Chrome", "Edge browser", "Browser extension"],
	"Intranet": ["Intranet", "Intranet search", "Staff directory"],
	"ERP": ["ERP", "Purchase order", "Invoice approval"],
	"CRM": ["CRM", "Sales pipeline", "Customer record"],
	"HR System": ["HR portal", "Leave request", "Payslip"],
	"Expenses": ["Expense app", "Receipt upload", "Travel claim"],
	"Timesheets": ["Timesheet", "Time tracking", "Project code"],
	"Calendar": ["Calendar", "Meeting invite", "Room booking"],
	"Accounts": ["User account", "New starter account", "Guest account"],
	"Access Rights": ["Folder permission", "Admin rights", "Group membership"],
	"Software Install": ["Software centre", "Installer", "Licence key"],
	"Updates": ["Windows update", "Driver update", "Firmware"],
	"Antivirus": ["Antivirus", "Defender alert", "Quarantine"],
	"Phishing": ["Phishing mail", "Suspicious link", "Spam filter"],
	"Backup": ["Backup", "File restore", "Recycle bin"],
	"Scanners": ["Scanner", "Scan to email", "Document feeder"],
	"Badges": ["Door badge", "Badge reader", "Visitor pass"],
	"Meeting Rooms": ["Room display", "Meeting room screen", "Conference speaker"],
	"Keyboards and Mice": ["Keyboard", "Wireless mouse", "USB receiver"],
	"Docking": ["USB-C dock", "Thunderbolt dock", "Dock firmware"],
	"Audio": ["Speakers", "Microphone", "Bluetooth headset"],
	"Remote Desktop": ["Remote desktop", "Citrix", "Virtual desktop"],
	"Storage": ["Disk space", "External drive", "USB stick"],
	"Performance": ["Computer", "Startup", "Fan noise"],
	"Login": ["Windows login", "PIN login", "Single sign-on"],
	"Certificates": ["Certificate warning", "Smart card", "Code signing"],
	"Databases": ["Report database", "SQL client", "Data export"],
	"Development": ["Git client", "Build server", "Developer tools"],
	"Design Tools": ["Figma", "Photoshop", "Font library"],
	"PDF": ["PDF reader", "PDF editor", "E-signature"],
	"Translation": ["Translation tool", "Spell checker", "Language pack"],
	"Onboarding": ["Onboarding checklist", "Welcome laptop", "First day access"],
	"Other": ["Coffee machine tablet", "Lobby screen", "Parking app"],
}
SYMPTOMS = [
	"keeps asking for my password",
	"is offline",
	"crashes on start",
	"is very slow",
	"shows an error",
	"will not connect",
	"freezes",
	"stopped syncing",
	"cannot sign in",
	"shows a blank screen",
	"disconnects every few minutes",
	"is missing",
	"does not open",
	"asks for a licence",
	"prints nothing",
	"loses its settings",
	"is greyed out",
	"drops the connection",
	"shows the wrong time",
	"sends duplicate messages",
]
CONTEXTS = [
	"after the update",
	"since Monday",
	"in meeting room B",
	"on my laptop",
	"when working from home",
	"on the second floor",
	"after a restart",
	"since the migration",
	"for the whole team",
	"every morning",
	"in the Berlin office",
	"on battery",
	"after changing my password",
	"with the new badge",
	"on the guest network",
	"since yesterday",
	"during presentations",
	"after the holidays",
	"on the shared desk",
	"in the warehouse",
]
FIXES = [
	"Sign out, clear the saved credential in Credential Manager and sign in again.",
	"Restart it from the Software Centre; the update finishes on the next start.",
	"Remove the device, reboot, and add it again; the old profile was corrupt.",
	"Switch to the wired network first, then reconnect to the wifi.",
	"Reset the app from Settings, Apps; your files stay where they are.",
	"Update the driver from the vendor page, the one in Windows Update is too old.",
	"Ask your manager to add you to the right group; it takes an hour to apply.",
	"Unplug the dock for ten seconds and plug it back in, then the screens come back.",
	"Turn off battery saver, it throttles the connection.",
	"Clear the browser cache and cookies for the site and log in again.",
]
PING = "ping: Frappe's /api/method/ping"
# What colleagues type while asking (community.similar): words of the generated subjects.
TYPED_SUBJECTS = [
	"Outlook keeps asking for my password",
	"printer is offline after the update",
	"VPN disconnects every few minutes",
	"Teams camera shows a blank screen",
	"OneDrive stopped syncing since yesterday",
	"Excel macro crashes on start",
	"wifi drops the connection in meeting room B",
	"docking station second screen is missing",
	"cannot sign in to the HR portal after changing my password",
	"laptop battery is very slow to charge",
]


def log(message: str, started: float | None = None) -> None:
	suffix = f" ({time.monotonic() - started:.1f} s)" if started is not None else ""
	print(f"[bench-site] {message}{suffix}", flush=True)


def advance_ticket_series() -> None:
	"""HD Ticket's names come from the naming series ".####" (prefix ''): tickets inserted by SQL with
	their own numbers must move it on, or the next ticket made by Helpdesk takes a number in use."""
	top = frappe.db.sql("SELECT MAX(CAST(name AS UNSIGNED)) FROM `tabHD Ticket`")[0][0] or 0
	frappe.db.sql(
		"INSERT INTO `tabSeries` (name, current) VALUES ('', %(top)s) "
		"ON DUPLICATE KEY UPDATE current = GREATEST(current, %(top)s)",
		{"top": int(top)},
	)
	frappe.db.commit()


def insert_rows(doctype: str, columns: list[str], rows: list[tuple], label: str | None = None) -> None:
	"""Placeholder bulk insert (services.rows.insert_rows), committed in slices with progress lines."""
	from peer_support.services.rows import insert_rows as insert

	started = time.monotonic()
	step = 50_000
	for start in range(0, len(rows), step):
		insert(doctype, columns, rows[start : start + step])
		frappe.db.commit()
		if len(rows) > step:
			log(f"  {label or doctype}: {min(start + step, len(rows))}/{len(rows)} rows", started)


class IndexesAfterLoad:
	"""Drop a big table's secondary indexes for the bulk load and build them again afterwards: a sort
	per index instead of a random B-tree insert per row (minutes less at a million rows). Rebuilding
	the unique keys also proves the data keeps them (one vote per voter and answer)."""

	def __init__(self, doctype: str):
		self.table = f"tab{doctype}"
		self.indexes: dict[str, tuple[bool, list]] = {}

	def __enter__(self):
		for row in frappe.db.sql(f"SHOW INDEX FROM `{self.table}`", as_dict=True):
			if row.Key_name != "PRIMARY":
				unique, columns = self.indexes.setdefault(row.Key_name, (not row.Non_unique, []))
				columns.append((row.Seq_in_index, row.Column_name, row.Sub_part))
		if self.indexes:
			frappe.db.sql_ddl(
				f"ALTER TABLE `{self.table}` " + ", ".join(f"DROP INDEX `{name}`" for name in self.indexes)
			)
		return self

	def __exit__(self, *error):
		if not self.indexes:
			return
		started = time.monotonic()
		parts = []
		for name, (unique, columns) in self.indexes.items():
			fields = ", ".join(
				f"`{column}`" + (f"({sub_part})" if sub_part else "")
				for _, column, sub_part in sorted(columns)
			)
			parts.append(f"ADD {'UNIQUE ' if unique else ''}INDEX `{name}` ({fields})")
		frappe.db.sql_ddl(f"ALTER TABLE `{self.table}` " + ", ".join(parts))
		log(f"  {self.table}: {len(parts)} indexes built", started)


class Names:
	"""Random hash-like names (as Frappe's `hash` naming makes them), unique within the data set."""

	def __init__(self, rng: random.Random):
		self.rng, self.seen = rng, set()

	def __call__(self) -> str:
		while True:
			name = f"{self.rng.getrandbits(48):012x}"
			if name not in self.seen:
				self.seen.add(name)
				return name


# Generation


def generate(tickets: int, index: bool = True) -> dict:
	"""The data set at `tickets` tickets; everything else scales with it (see BENCHMARK.md)."""
	from peer_support.services import badges, reputation

	overall = time.monotonic()
	rng = random.Random(SEED)
	names = Names(rng)
	now = datetime.now().replace(microsecond=0)
	end = datetime.combine(now.date(), datetime.min.time()) - timedelta(minutes=1)  # history ends yesterday
	start = end - timedelta(days=365)
	rules = reputation.rules()

	# Topics, customers, the agent
	started = time.monotonic()
	for topic in TOPICS:
		if not frappe.db.exists("HD Ticket Type", topic):
			frappe.get_doc({"doctype": "HD Ticket Type", "name": topic, "description": topic}).insert(
				ignore_permissions=True
			)
	for customer in (BENCH_CUSTOMER, *OTHER_CUSTOMERS):
		if not frappe.db.exists("HD Customer", customer):
			frappe.get_doc({"doctype": "HD Customer", "customer_name": customer}).insert(
				ignore_permissions=True
			)
	if not frappe.db.exists("User", AGENT):
		frappe.get_doc(
			{
				"doctype": "User",
				"email": AGENT,
				"first_name": "Bench",
				"last_name": "Agent",
				"user_type": "System User",
				"send_welcome_email": 0,
				"roles": [{"role": "Agent"}],
			}
		).insert(ignore_permissions=True)
		from frappe.utils.password import update_password

		update_password(AGENT, PASSWORD)
	if not frappe.db.exists("HD Agent", {"user": AGENT}):
		frappe.get_doc(
			{"doctype": "HD Agent", "user": AGENT, "agent_name": "Bench Agent", "is_active": 1}
		).insert(ignore_permissions=True)
	frappe.db.commit()
	log(f"setup: {len(TOPICS)} topics, {1 + len(OTHER_CUSTOMERS)} customers, 1 agent", started)

	# Portal users: all of Bench Corp's staff are its contacts (the audience rule's worst case), and a
	# few users at each of four other customers.
	started = time.monotonic()
	bench_users = max(100, tickets // 10)
	small_users = max(25, bench_users // 400)  # enough colleagues for 20 answers and 10 votes per answer
	pools: dict[str, list[str]] = {
		BENCH_CUSTOMER: [f"user{i:05d}@bench-corp.example" for i in range(bench_users)]
	}
	for customer in OTHER_CUSTOMERS:
		pools[customer] = [f"user{i:03d}@{customer.lower()}.example" for i in range(small_users)]
	reserved = pools[BENCH_CUSTOMER][-RESERVED_VOTERS:]
	active = {customer: [u for u in users if u not in set(reserved)] for customer, users in pools.items()}
	user_rows, auth_rows, contact_rows, email_rows, link_rows = [], [], [], [], []
	contact_of, full_name_of = {}, {}
	created = start - timedelta(days=30)
	from frappe.utils.password import passlibctx

	hashed = passlibctx.hash(PASSWORD)  # one hash for all: hashing 10k passwords would take minutes
	for customer, users in pools.items():
		for user in users:
			first, last = user.split("@")[0].capitalize(), customer.split()[0]
			full = f"{first} {last}"
			contact = f"{full} ({customer})"
			contact_of[user], full_name_of[user] = contact, full
			user_rows.append(
				(
					user,
					user,
					first,
					last,
					full,
					"Website User",
					1,
					0,
					created,
					created,
					"Administrator",
					"Administrator",
				)
			)
			auth_rows.append(("User", user, "password", hashed, 0))
			contact_rows.append(
				(
					contact,
					first,
					last,
					full,
					user,
					user,
					"Passive",
					created,
					created,
					"Administrator",
					"Administrator",
				)
			)
			email_rows.append(
				(
					names(),
					contact,
					"Contact",
					"email_ids",
					1,
					user,
					1,
					created,
					created,
					"Administrator",
					"Administrator",
				)
			)
			link_rows.append(
				(
					names(),
					contact,
					"Contact",
					"links",
					1,
					"HD Customer",
					customer,
					customer,
					created,
					created,
					"Administrator",
					"Administrator",
				)
			)
	insert_rows(
		"User",
		[
			"name",
			"email",
			"first_name",
			"last_name",
			"full_name",
			"user_type",
			"enabled",
			"send_welcome_email",
			"creation",
			"modified",
			"owner",
			"modified_by",
		],
		user_rows,
	)
	frappe.db.sql(
		"INSERT INTO `__Auth` (`doctype`, `name`, `fieldname`, `password`, `encrypted`) VALUES "
		+ ", ".join(["(%s, %s, %s, %s, %s)"] * len(auth_rows)),
		[v for row in auth_rows for v in row],
	)
	insert_rows(
		"Contact",
		[
			"name",
			"first_name",
			"last_name",
			"full_name",
			"email_id",
			"user",
			"status",
			"creation",
			"modified",
			"owner",
			"modified_by",
		],
		contact_rows,
	)
	insert_rows(
		"Contact Email",
		[
			"name",
			"parent",
			"parenttype",
			"parentfield",
			"idx",
			"email_id",
			"is_primary",
			"creation",
			"modified",
			"owner",
			"modified_by",
		],
		email_rows,
	)
	insert_rows(
		"Dynamic Link",
		[
			"name",
			"parent",
			"parenttype",
			"parentfield",
			"idx",
			"link_doctype",
			"link_name",
			"link_title",
			"creation",
			"modified",
			"owner",
			"modified_by",
		],
		link_rows,
	)
	if host.has_customer_members():
		# Helpdesk v1.2x reads a customer's people from its contacts table, not from the Contact's links.
		insert_rows(
			"HD Customer Member",
			[
				"name",
				"parent",
				"parenttype",
				"parentfield",
				"idx",
				"contact_name",
				"is_manager",
				"creation",
				"modified",
				"owner",
				"modified_by",
			],
			[(names(), r[6], "HD Customer", "contacts", 1, r[1], 0, *r[8:]) for r in link_rows],
		)
		if portal_roles := host.portal_roles():
			insert_rows(
				"Has Role",
				[
					"name",
					"parent",
					"parenttype",
					"parentfield",
					"role",
					"creation",
					"modified",
					"owner",
					"modified_by",
				],
				[
					(names(), row[0], "User", "roles", role, *row[-4:])
					for row in user_rows
					for role in portal_roles
				],
			)
	frappe.db.commit()
	log(
		f"users: {len(user_rows)} portal users with contacts ({bench_users} at {BENCH_CUSTOMER}, "
		f"{small_users} at each of {len(OTHER_CUSTOMERS)} others), passwords set",
		started,
	)

	# Tickets: newest last, names in creation order as Helpdesk's autoincrement gives them.
	started = time.monotonic()
	first_name = int(frappe.db.sql("SELECT COALESCE(MAX(name), 0) FROM `tabHD Ticket`")[0][0]) + 1
	seconds = int((end - start).total_seconds())
	times = sorted(start + timedelta(seconds=rng.randrange(seconds)) for _ in range(tickets))
	topics = list(TOPICS)
	priorities = rng.choices(["Low", "Medium", "High", "Urgent"], weights=[30, 45, 20, 5], k=tickets)
	shareable = [i for i, p in enumerate(priorities) if p != "Urgent"]
	community = set(rng.sample(shareable, min(len(shareable), round(tickets * 0.2))))
	ticket_list = []
	for i, created_at in enumerate(times):
		customer = BENCH_CUSTOMER if rng.random() < 0.95 else rng.choice(OTHER_CUSTOMERS)
		requester = rng.choice(active[customer])
		topic = rng.choice(topics)
		subject = f"{rng.choice(TOPICS[topic])} {rng.choice(SYMPTOMS)} {rng.choice(CONTEXTS)}"
		age = (end - created_at).days
		status = (
			rng.choice(["Open", "Replied"])
			if age < 14 or rng.random() < 0.1
			else rng.choice(["Resolved", "Closed"])
		)
		ticket_list.append(
			{
				"name": first_name + i,
				"subject": subject,
				"raised_by": requester,
				"customer": customer,
				"topic": topic,
				"priority": priorities[i],
				"status": status,
				"creation": created_at,
				"community": i in community,
				"answers": [],
				"peer_status": "None",
				"accepted": None,
			}
		)
	community_tickets = [t for t in ticket_list if t["community"]]

	# Answers: on community tickets, 0..20 each (2 per ticket overall), by colleagues of the same customer;
	# one Bench Corp ticket has exactly 20 (the ticket page measurement).
	answer_target = 2 * tickets
	counts = [rng.randint(0, 20) for _ in community_tickets]
	adjust_to_total(counts, answer_target, 0, 20, rng)
	page_ticket = next(t for t in reversed(community_tickets) if t["customer"] == BENCH_CUSTOMER)
	page_index = community_tickets.index(page_ticket)
	if counts[page_index] != 20:
		donor = next(j for j, c in enumerate(counts) if j != page_index and c >= 20 - counts[page_index])
		counts[donor] -= 20 - counts[page_index]
		counts[page_index] = 20
	answer_list = []
	for ticket, count in zip(community_tickets, counts, strict=True):
		pool = active[ticket["customer"]]
		authors = sample_excluding(pool, count, {ticket["raised_by"]}, rng)
		for author in authors:
			created_at = min(ticket["creation"] + timedelta(minutes=rng.randrange(10, 3 * 24 * 60)), end)
			answer = {
				"name": names(),
				"ticket": ticket,
				"author": author,
				"creation": created_at,
				"score": 0,
				"accepted": 0,
				"endorsed": rng.random() < 0.02,
				"body": f"<p>{rng.choice(FIXES)}</p>",
			}
			ticket["answers"].append(answer)
			answer_list.append(answer)
		if ticket["answers"]:
			ticket["peer_status"] = "Answered"
			if rng.random() < 0.3 and ticket is not page_ticket:
				accepted = rng.choice(ticket["answers"])
				accepted["accepted"] = 1
				ticket.update(peer_status="Accepted", accepted=accepted["name"], status="Resolved")
	log(
		f"tickets and answers planned: {len(ticket_list)} tickets ({len(community_tickets)} community), "
		f"{len(answer_list)} answers",
		started,
	)

	# Votes: 10 per ticket overall, 0..10 per answer, one per (answer, voter), never by the answer's author
	# or the ticket's requester; each with its ledger event at the rules' points (no daily cap in history).
	started = time.monotonic()
	vote_counts = [rng.randint(0, 10) for _ in answer_list]
	adjust_to_total(vote_counts, 10 * tickets, 0, 10, rng)
	vote_rows, ledger_rows = [], []
	for answer, count in zip(answer_list, vote_counts, strict=True):
		ticket = answer["ticket"]
		voters = sample_excluding(
			active[ticket["customer"]], count, {answer["author"], ticket["raised_by"]}, rng
		)
		for voter in voters:
			value = 1 if rng.random() < 0.85 else -1
			points = rules.upvote if value > 0 else rules.downvote
			at = min(answer["creation"] + timedelta(seconds=rng.randrange(1, 14 * 24 * 3600)), end)
			answer["score"] += value
			vote_rows.append(
				(names(), answer["name"], voter, str(ticket["name"]), value, points, at, at, voter, voter)
			)
			ledger_rows.append(
				(
					names(),
					answer["author"],
					points,
					"Upvote" if value > 0 else "Downvote",
					answer["name"],
					str(ticket["name"]),
					ticket["topic"],
					voter,
					at.date(),
					at,
					at,
					voter,
					voter,
				)
			)
		if answer["accepted"]:
			at = min(answer["creation"] + timedelta(hours=20), end)
			ledger_rows.append(
				(
					names(),
					answer["author"],
					rules.accepted,
					"Accepted",
					answer["name"],
					str(ticket["name"]),
					ticket["topic"],
					ticket["raised_by"],
					at.date(),
					at,
					at,
					ticket["raised_by"],
					ticket["raised_by"],
				)
			)
		if answer["endorsed"]:
			at = min(answer["creation"] + timedelta(hours=30), end)
			answer["endorsed_on"] = at
			ledger_rows.append(
				(
					names(),
					answer["author"],
					rules.endorsed,
					"Endorsed",
					answer["name"],
					str(ticket["name"]),
					ticket["topic"],
					AGENT,
					at.date(),
					at,
					at,
					AGENT,
					AGENT,
				)
			)
	log(f"votes planned: {len(vote_rows)} votes, {len(ledger_rows)} ledger events", started)

	started = time.monotonic()
	insert_rows(
		"HD Ticket",
		[
			"name",
			"subject",
			"raised_by",
			"status",
			"priority",
			"ticket_type",
			"description",
			"opening_date",
			"opening_time",
			"contact",
			"customer",
			"via_customer_portal",
			"creation",
			"modified",
			"owner",
			"modified_by",
			"peer_visibility",
			"peer_status",
			"peer_affected_count",
			"peer_accepted_answer",
			"peer_resolved",
		],
		[
			(
				t["name"],
				t["subject"],
				t["raised_by"],
				t["status"],
				t["priority"],
				t["topic"],
				f"<p>{t['subject']}. I tried restarting and it did not help.</p>",
				t["creation"].date(),
				t["creation"].time(),
				contact_of[t["raised_by"]],
				t["customer"],
				1,
				t["creation"],
				t["creation"] + timedelta(hours=rng.randrange(1, 72)),
				t["raised_by"],
				t["raised_by"],
				"Community" if t["community"] else "Private",
				t["peer_status"],
				0,
				t["accepted"],
				1 if t["accepted"] else 0,
			)
			for t in ticket_list
		],
		"HD Ticket",
	)
	log(f"tickets: {len(ticket_list)} inserted", started)
	advance_ticket_series()
	started = time.monotonic()
	insert_rows(
		"Peer Answer",
		[
			"name",
			"ticket",
			"author",
			"body",
			"score",
			"accepted",
			"flags_count",
			"hidden",
			"endorsed_by",
			"endorsed_on",
			"creation",
			"modified",
			"owner",
			"modified_by",
		],
		sorted(
			(
				a["name"],
				str(a["ticket"]["name"]),
				a["author"],
				a["body"],
				a["score"],
				a["accepted"],
				0,
				0,
				AGENT if a["endorsed"] else None,
				a.get("endorsed_on"),
				a["creation"],
				a["creation"],
				a["author"],
				a["author"],
			)
			for a in answer_list
		),
		"Peer Answer",
	)
	log(f"answers: {len(answer_list)} inserted", started)
	started = time.monotonic()
	vote_rows.sort()
	with IndexesAfterLoad("Peer Answer Vote"):
		insert_rows(
			"Peer Answer Vote",
			[
				"name",
				"answer",
				"voter",
				"ticket",
				"value",
				"points",
				"creation",
				"modified",
				"owner",
				"modified_by",
			],
			vote_rows,
			"Peer Answer Vote",
		)
	log(f"votes: {len(vote_rows)} inserted", started)
	started = time.monotonic()
	ledger_rows.sort()
	with IndexesAfterLoad("Peer Reputation Event"):
		insert_rows(
			"Peer Reputation Event",
			[
				"name",
				"user",
				"points",
				"reason",
				"answer",
				"ticket",
				"topic",
				"actor",
				"event_date",
				"creation",
				"modified",
				"owner",
				"modified_by",
			],
			ledger_rows,
			"Peer Reputation Event",
		)
	log(f"ledger: {len(ledger_rows)} events inserted", started)
	vote_count, ledger_count = len(vote_rows), len(ledger_rows)
	del vote_rows, ledger_rows

	# Totals from the ledger, through the app's own recompute, then proven equal to it.
	started = time.monotonic()
	reputation.recompute(
		progress=lambda done, total: (
			done % 200_000 == 0 and log(f"  recompute: {done}/{total} events", started)
		)
	)
	frappe.db.commit()
	log(
		f"recompute: {frappe.db.count('Peer Profile')} profiles, {frappe.db.count('Peer Reputation Period')} "
		"leaderboard rows",
		started,
	)
	started = time.monotonic()
	differences = reputation.differences()
	assert differences == {}, f"{len(differences)} totals differ from the ledger"
	log("differences() == {}: totals equal the ledger", started)

	# Badges the history earned (what `badges.sweep` would award), in bulk and without announcing them.
	started = time.monotonic()
	now_ts = datetime.now()
	badge_rows = [
		(
			names(),
			user,
			"Peer Profile",
			"badges",
			0,
			badge.name,
			badge.title,
			topic,
			now_ts,
			now_ts,
			now_ts,
			"Administrator",
			"Administrator",
		)
		for user, badge, topic in badges.missing()
	]
	insert_rows(
		"Peer Profile Badge",
		[
			"name",
			"parent",
			"parenttype",
			"parentfield",
			"idx",
			"badge",
			"title",
			"topic",
			"awarded_on",
			"creation",
			"modified",
			"owner",
			"modified_by",
		],
		badge_rows,
	)
	log(f"badges: {len(badge_rows)} awarded by the history", started)

	# What the measurements need: the page ticket, a reader, and distinct (voter, answer) pairs whose
	# answers each have another author (the daily vote cap never cuts a measured vote short).
	bench_answers = [a for a in answer_list if a["ticket"]["customer"] == BENCH_CUSTOMER]
	rng.shuffle(bench_answers)
	targets, authors = [], set()
	for answer in bench_answers:
		if answer["author"] not in authors:
			authors.add(answer["author"])
			targets.append(answer["name"])
		if len(targets) == MAX_VOTE_CALLS * 2:
			break
	# The suggestion index, as `bench peer-support-search-index rebuild` makes it (each distinct text
	# embedded once: the generated subjects and answers repeat).
	from peer_support.services import search_index

	started = time.monotonic()
	last = [0.0]

	def progress(done, total):
		if time.monotonic() - last[0] > 30 or done == total:
			last[0] = time.monotonic()
			log(f"suggestion index: {done} / {total}", started)

	if index:
		rebuilt = search_index.rebuild(batch=256, progress=progress)
		log(f"suggestion index: {rebuilt}", started)
	else:  # --no-index: a data set for probes that do not read the index (tests/perf/incidents.py)
		rebuilt = {"indexed": 0, "skipped": True}
		log("suggestion index: not built (--no-index)")
	state = {
		"index": rebuilt,
		"agent_tickets": [str(t["name"]) for t in ticket_list[-200:]],
		"tickets": len(ticket_list),
		"community_tickets": len(community_tickets),
		"answers": len(answer_list),
		"votes": vote_count,
		"ledger_events": ledger_count,
		"portal_users": len(user_rows),
		"bench_corp_users": bench_users,
		"other_customers": len(OTHER_CUSTOMERS),
		"users_per_other_customer": small_users,
		"topics": len(TOPICS),
		"profiles": frappe.db.count("Peer Profile"),
		"leaderboard_rows": frappe.db.count("Peer Reputation Period"),
		"badges": len(badge_rows),
		"history_days": 365,
		"page_ticket": str(page_ticket["name"]),
		"reader": active[BENCH_CUSTOMER][0],
		"small_customer_reader": active[OTHER_CUSTOMERS[0]][0],
		"voters": reserved,
		"vote_answers": targets,
		"topic": max(TOPICS, key=lambda topic: sum(1 for t in community_tickets if t["topic"] == topic)),
		"generated_seconds": round(time.monotonic() - overall, 1),
	}
	frappe.db.set_global(STATE_KEY, json.dumps(state))
	frappe.db.commit()
	log(f"generated in {state['generated_seconds']} s", overall)
	return state


def adjust_to_total(counts: list[int], total: int, low: int, high: int, rng: random.Random) -> None:
	"""Move the random counts by one at a time until they sum to `total`, each staying in [low, high]."""
	difference = total - sum(counts)
	step = 1 if difference > 0 else -1
	while difference:
		i = rng.randrange(len(counts))
		if low <= counts[i] + step <= high:
			counts[i] += step
			difference -= step


def sample_excluding(pool: list[str], count: int, excluded: set[str], rng: random.Random) -> list[str]:
	chosen: dict[str, None] = {}
	count = min(count, len(pool) - len(excluded))
	while len(chosen) < count:
		user = pool[rng.randrange(len(pool))]
		if user not in excluded:
			chosen[user] = None
	return list(chosen)


# Measurement


def percentile(values: list[float], share: float) -> float:
	"""Nearest rank: the value below which `share` of the values lie."""
	ordered = sorted(values)
	return ordered[max(0, min(len(ordered) - 1, int(-(-share * len(ordered) // 1)) - 1))]


def summary(name: str, mode: str, seconds: list[float]) -> dict:
	ms = [s * 1000 for s in seconds]
	result = {
		"name": name,
		"mode": mode,
		"n": len(ms),
		"median_ms": round(statistics.median(ms), 2),
		"p95_ms": round(percentile(ms, 0.95), 2),
		"max_ms": round(max(ms), 2),
	}
	log(
		f"{mode:10} {name:40} n={result['n']} median={result['median_ms']:.1f} ms p95={result['p95_ms']:.1f} ms"
	)
	return result


def host_list_args() -> dict:
	"""What Helpdesk v1.5's agent ticket list (desk/src/pages/ticket/Tickets.vue through
	components/ListViewBuilder.vue) sends on opening: the default view, newest modified first, 20 rows."""
	return {
		"doctype": "HD Ticket",
		"filters": {},
		"order_by": "modified desc",
		"page_length": 20,
		"page_length_count": 20,
		"view": {"view_type": "list", "group_by_field": "owner"},
		"columns": [],
		"rows": [],
		"show_customer_portal_fields": False,
		"is_default": True,
	}


def reads(state: dict) -> list[tuple]:
	"""(name, user, method, kwargs, calls rotate through kwargs when it is a list)."""
	reader, agent = state["reader"], AGENT
	return [
		("host: Helpdesk agent ticket list", agent, "helpdesk.api.doc.get_list_data", host_list_args()),
		(
			"feed page 1",
			reader,
			"peer_support.api.community.feed",
			{"filter": "newest", "page": 1, "page_size": PAGE_SIZE},
		),
		(
			"feed page 50",
			reader,
			"peer_support.api.community.feed",
			{"filter": "newest", "page": 50, "page_size": PAGE_SIZE},
		),
		(
			"feed page 1, small customer",
			state["small_customer_reader"],
			"peer_support.api.community.feed",
			{"filter": "newest", "page": 1, "page_size": PAGE_SIZE},
		),
		("ticket page, 20 answers", reader, "peer_support.api.tickets.get", {"ticket": state["page_ticket"]}),
		# the community app's other reads: the feed's known issues, the pages' options, the profile
		("known issues (feed)", reader, "peer_support.api.incidents.notices", {}),
		("options (ask, profile)", reader, "peer_support.api.community.options", {}),
		("profile", reader, "peer_support.api.profiles.get", {}),
		("leaderboard all time", reader, "peer_support.api.profiles.leaderboard", {"period": "all"}),
		("leaderboard this month", reader, "peer_support.api.profiles.leaderboard", {"period": "month"}),
		(
			"leaderboard per topic",
			reader,
			"peer_support.api.profiles.leaderboard",
			{"period": "all", "topic": state["topic"]},
		),
		(
			"similar-ticket suggestion",
			reader,
			"peer_support.api.community.similar",
			[{"subject": subject} for subject in TYPED_SUBJECTS],
		),
		(
			"agent: similar solved tickets",
			AGENT,
			"peer_support.api.knowledge.similar",
			[{"ticket": name} for name in state["agent_tickets"]],
		),
		(
			"similar-ticket suggestion, no match",
			reader,
			"peer_support.api.community.similar",
			{"subject": "Quarterly zeppelin hangar reservations"},
		),
	]


def check_reads(state: dict) -> None:
	"""The measured calls return what they should (a fast empty answer would prove nothing)."""
	from peer_support.api import community, profiles, tickets

	frappe.set_user(state["reader"])
	assert len(community.feed("newest", None, 1, PAGE_SIZE)["rows"]) == PAGE_SIZE
	assert len(community.feed("newest", None, 50, PAGE_SIZE)["rows"]) == PAGE_SIZE
	assert len(tickets.get(state["page_ticket"])["answers"]) == 20
	assert len(profiles.leaderboard("all")) == 20 and profiles.leaderboard("all", state["topic"])
	from peer_support.api import knowledge
	from peer_support.services import search_index
	from peer_support.services.access import viewer

	found = [len(community.similar(subject)["tickets"]) for subject in TYPED_SUBJECTS]
	assert all(found), f"similar found nothing for some typed subjects: {found}"
	me = viewer()
	where = "community = 1 AND source_doctype IN ('HD Ticket', 'HD Article')"
	by_index = [len(search_index.lexical(subject, where, {})) for subject in TYPED_SUBJECTS]
	assert all(by_index), f"the full-text index found nothing for some typed subjects: {by_index}"
	by_vectors = [len(search_index.for_asker(subject, me)) for subject in TYPED_SUBJECTS]
	assert all(by_vectors), f"the index found nothing for some typed subjects: {by_vectors}"
	frappe.set_user(AGENT)
	similar = [len(knowledge.similar(name)["tickets"]) for name in state["agent_tickets"][:20]]
	assert all(similar), f"no similar solved ticket for some agent tickets: {similar}"
	frappe.set_user(state["small_customer_reader"])
	assert community.feed("newest", None, 1, PAGE_SIZE)["rows"]
	frappe.set_user("Administrator")


class Probe:
	"""One measured call: `prepare(i)` runs untimed before the i-th call, `call(i)` is timed."""

	def __init__(self, name: str, call, prepare=None, warm: bool = True):
		self.name, self.call, self.prepare, self.warm = name, call, prepare or (lambda i: None), warm
		self.seconds: list[float] = []


def run_rounds(probes: list[Probe], calls: int, mode: str) -> list[dict]:
	"""Each probe warmed 10 times (meta, caches, buffer pool, as on a running site), then `calls` rounds
	with every probe once per round, in turn: a busy moment on the machine (another developer's tests
	share it) falls on all the calls alike, so their ratios to the host's call hold."""
	for probe in probes:
		for i in range(10 if probe.warm else 0):
			probe.prepare(i)
			probe.call(i)
	for i in range(calls):
		for probe in probes:
			probe.prepare(i)
			started = time.perf_counter()
			probe.call(i)
			probe.seconds.append(time.perf_counter() - started)
	return [summary(probe.name, mode, probe.seconds) for probe in probes]


def measure_in_process(state: dict, calls: int) -> list[dict]:
	"""Function calls as the user (frappe.set_user before each, which also empties the request cache)."""
	from peer_support.api import answers
	from peer_support.api.profiles import leaderboard as profiles_leaderboard

	probes = []
	for name, user, method, kwargs in reads(state):
		fn = frappe.get_attr(method)
		variants = kwargs if isinstance(kwargs, list) else [kwargs]
		if method == "helpdesk.api.doc.get_list_data":
			variants = [{k: v for k, v in kwargs.items() if k != "page_length_count"}]
		probes.append(
			Probe(
				name,
				lambda i, fn=fn, variants=variants: fn(**variants[i % len(variants)]),
				lambda i, user=user: frappe.set_user(user),
			)
		)
	# A portal user's leaderboard is their colleagues' board, cached for a minute (api.profiles): the
	# reads above are what users get on most calls; these time the build that a cache miss costs. They
	# run in rounds of their own, after the others: dropping the cache would make the reads above miss.
	from peer_support.api.profiles import forget_colleague_boards

	builds = [
		Probe(
			name,
			lambda i: profiles_leaderboard("all"),
			lambda i, user=user: (forget_colleague_boards(), frappe.set_user(user)),
		)
		for name, user in (
			("leaderboard all time, built (no cache)", state["reader"]),
			("leaderboard all time, built (no cache), small customer", state["small_customer_reader"]),
		)
	]
	voters, targets, run = state["voters"][:20], state["vote_answers"][:calls], state.get("runs", 0)
	# Votes cannot be warmed up by voting (each (voter, answer) pair votes once), but a voter votes on
	# the community page, which they have opened (as the HTTP voters have, for its CSRF token), and
	# opening it filled Frappe's cache of their roles; a cold cache loads the User document (~10 ms).
	for voter in voters:
		frappe.set_user(voter)
		frappe.get_roles(voter)

	def vote(i):
		answers.vote(targets[i], 1)
		frappe.db.commit()  # in the timing: a vote is done when it is committed

	# another voter per answer on each run of a kept site: (voter, answer) pairs are never repeated
	probes.append(
		Probe(
			"vote with reputation update",
			vote,
			lambda i: frappe.set_user(voters[(i + run) % len(voters)]),
			warm=False,
		)
	)
	results = run_rounds(probes, calls, "in-process") + run_rounds(builds, calls, "in-process")
	frappe.db.rollback()
	frappe.set_user("Administrator")
	return results


def measure_http(state: dict, base_url: str, calls: int) -> list[dict]:
	"""Requests to `frappe serve` for the site, each user logged in with their own session."""
	import requests

	sessions: dict[str, requests.Session] = {}

	def session(user: str) -> requests.Session:
		if user not in sessions:
			client = requests.Session()
			response = client.post(
				base_url + "/api/method/login", data={"usr": user, "pwd": PASSWORD}, timeout=60
			)
			assert response.status_code == 200, response.text[:500]
			# The CSRF token a page of the site carries (tests/e2e/conftest.py's Client.login).
			for page in ("/app", "/community"):
				found = re.search(
					r'csrf_token(?:"\])? = "([0-9a-f]{20,})"', client.get(base_url + page, timeout=60).text
				)
				if found:
					client.headers["X-Frappe-CSRF-Token"] = found.group(1)
					break
			sessions[user] = client
		return sessions[user]

	def call(client, method: str, kwargs: dict, post: bool = False):
		url = base_url + "/api/method/" + method
		if post:  # JSON, as frappe-ui's createResource and the community page send it
			response = client.post(url, json=kwargs, timeout=60)
		else:
			response = client.get(
				url,
				params={
					k: json.dumps(v) if isinstance(v, dict | list) else v
					for k, v in kwargs.items()
					if v is not None
				},
				timeout=60,
			)
		assert response.status_code == 200, f"{method}: {response.status_code} {response.text[:500]}"
		return response

	probes = []
	for name, user, method, kwargs in reads(state):
		client = session(user)
		variants = kwargs if isinstance(kwargs, list) else [kwargs]
		post = method == "helpdesk.api.doc.get_list_data"  # frappe-ui's createResource posts
		probes.append(
			Probe(
				name,
				lambda i, client=client, method=method, variants=variants, post=post: call(
					client, method, variants[i % len(variants)], post
				),
			)
		)
	# Frappe's own cheapest call, interleaved with the others: the reference of the HTTP ratios.
	ping = session(state["reader"])
	probes.append(Probe(PING, lambda i: call(ping, "frappe.ping", {})))
	voters, targets, run = (
		state["voters"][20:],
		state["vote_answers"][calls : 2 * calls],
		state.get("runs", 0),
	)
	for voter in voters:
		session(voter)
	probes.append(
		Probe(
			"vote with reputation update",
			lambda i: call(
				session(voters[(i + run) % len(voters)]),
				"peer_support.api.answers.vote",
				{"answer": targets[i], "value": 1},
				post=True,
			),
			warm=False,
		)
	)
	return run_rounds(probes, calls, "http")


def with_ratios(results: list[dict]) -> list[dict]:
	"""Each call's ratio to the host's list call in the same mode, and over HTTP its p95's ratio to the
	p95 of Frappe's /api/method/ping timed in the same rounds."""
	host = {r["mode"]: r for r in results if r["name"].startswith("host:")}
	ping = next((r for r in results if r["name"] == PING), None)
	for r in results:
		reference = host.get(r["mode"])
		if reference:
			r["ratio_median"] = round(r["median_ms"] / reference["median_ms"], 2)
			r["ratio_p95"] = round(r["p95_ms"] / reference["p95_ms"], 2)
		if ping and r["mode"] == "http":
			r["ping_ratio_p95"] = round(r["p95_ms"] / ping["p95_ms"], 2)
	return results


def measure(base_url: str | None, calls: int, out: Path) -> None:
	from peer_support.services import reputation

	state = json.loads(frappe.db.get_global(STATE_KEY) or "{}")
	if not state:
		raise SystemExit("no data set on this site: run the generate phase first")
	if len(state["vote_answers"]) < 2 * calls:
		raise SystemExit(
			f"the data set keeps answers for {len(state['vote_answers']) // 2} measured votes per mode"
		)
	started = time.monotonic()
	check_reads(state)
	log("measured calls return full pages, 20 answers, leaderboards and suggestions", started)
	results = measure_in_process(state, calls)
	if base_url:
		results += measure_http(state, base_url, calls)
	assert reputation.differences() == {}, "the measured votes left totals that differ from the ledger"
	frappe.db.set_global(STATE_KEY, json.dumps(state | {"runs": state.get("runs", 0) + 1}))
	frappe.db.commit()
	versions = {app: frappe.get_attr(app + ".__version__") for app in ("frappe", "helpdesk")}
	try:  # Helpdesk v1.5.0 still says 1.4.0 in its __version__; its git tag tells
		tag = subprocess.run(
			["git", "describe", "--tags"],
			cwd=frappe.get_app_path("helpdesk", ".."),
			capture_output=True,
			text=True,
			timeout=10,
		).stdout.strip()
		versions["helpdesk"] += f" (git {tag})" if tag else ""
	except OSError:
		pass
	mariadb = frappe.db.sql("SELECT VERSION()")[0][0]
	out.write_text(
		json.dumps(
			{
				"dataset": state,
				"measurements": with_ratios(results),
				"calls": calls,
				"versions": versions | {"mariadb": mariadb},
			},
			indent=1,
			default=str,
		)
	)
	log(f"measured; results in {out}", started)


def main() -> None:
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	parser.add_argument("phase", choices=["generate", "measure"])
	parser.add_argument("--site", required=True)
	parser.add_argument("--sites-path", default=".")
	parser.add_argument("--tickets", type=int, default=100_000)
	parser.add_argument("--calls", type=int, default=200)
	parser.add_argument("--base-url")
	parser.add_argument("--out", type=Path)
	parser.add_argument("--no-index", action="store_true", help="generate without the suggestion index")
	options = parser.parse_args()
	if not options.site.startswith("ps-bench-"):
		raise SystemExit("this commits synthetic data: only throw-away ps-bench-* sites")
	frappe.init(site=options.site, sites_path=options.sites_path)
	frappe.connect()
	frappe.set_user("Administrator")
	try:
		if options.phase == "generate":
			if frappe.db.get_global(STATE_KEY):
				log("data set already generated on this site")
			else:
				generate(options.tickets, index=not options.no_index)
		else:
			measure(options.base_url, options.calls, options.out)
	finally:
		frappe.destroy()


if __name__ == "__main__":
	sys.path.insert(0, str(Path(__file__).resolve().parent))
	main()
