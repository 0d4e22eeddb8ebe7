#!/usr/bin/env python3
"""Incident detection under a burst: 1,000 "I have this too" marks and 1,000 new tickets.

    python3 tests/perf/incidents.py --site ps-bench-XXXX.localhost [--bench /home/frappe/frappe-bench]
        [--marks 1000] [--tickets 1000] [--out FILE]

Runs against an existing throw-away site (a `ps-bench-*` site kept by `tests/perf/benchmark.py
--keep-site`, or a `ps-test-*` dev site), as the bench's owner, inside the bench's Python. It commits
what it makes (marks, tickets, alerts; on a site without the benchmark's data set also a customer, 60
colleagues and 20 shared tickets), so it refuses any other site.

What it times (detection itself never runs in a request):
- the request side: each mark (`api.tickets.affected`, as the colleague, committed) and each new
  ticket (HD Ticket insert with Helpdesk's own hooks, committed), and inside them this app's share,
  the call that asks for a detection job (`services.incidents.queue_detection`: a Redis key, at most one
  job per 20 seconds, deduplicated by its id), and how many jobs the burst queued;
- the job side: `services.incidents.detect` after each burst, as the worker runs it (cold: the new
  subjects are embedded; warm: a second run, vectors from Redis), with the window's size, the groups
  and the alerts it raised.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROBE_CUSTOMER = "Incident Probe Corp"
PROBE_COLLEAGUES = 60  # 60 x 20 tickets: room for 1,000 new marks and more
PROBE_TICKETS = 20
SEED = 20261220
# The incident the burst of new tickets is mostly about, and what the rest of the desk sees meanwhile.
OUTAGE = [
	"Outlook cannot connect to the mail server",
	"Outlook says disconnected since 9",
	"Email not syncing in Outlook",
	"Outlook keeps asking for my password and does not connect",
	"Cannot send email, Outlook is offline",
]
EVERYDAY = [
	"{} does not start",
	"{} is very slow today",
	"How do I set up {}",
	"{} shows an error after the update",
	"Need access to {}",
]


def percentile(values, share):
	ordered = sorted(values)
	return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))] if ordered else 0.0


def row(name, seconds):
	ms = [s * 1000 for s in seconds]
	return {
		"name": name,
		"calls": len(ms),
		"p50_ms": round(statistics.median(ms), 2) if ms else 0,
		"p95_ms": round(percentile(ms, 0.95), 2),
		"max_ms": round(max(ms), 2) if ms else 0,
	}


def log(message):
	print(f"[incidents] {message}", flush=True)


# Inside the site
# ---------------


def state_of(frappe) -> dict:
	"""The benchmark's record of its data set on this site ({} on any other site)."""
	return json.loads(frappe.db.get_global("peer_support_benchmark") or "{}")


def colleagues_and_tickets(frappe):
	"""(colleagues, shared tickets of their customer): the benchmark's Bench Corp, else a probe customer."""
	from peer_support.tests.personas import make_customer, make_user

	Ticket = frappe.qb.DocType("HD Ticket")
	if state_of(frappe):
		customer = "Bench Corp"
		users = frappe.get_all(
			"Contact", filters={"email_id": ["like", "%@bench-corp.example"]}, pluck="user", limit=401
		)
		from peer_support import host

		users = [u for u in users if u and not host.is_agent(u)][
			:400
		]  # the benchmark's agent is a contact too
	else:
		customer = make_customer(PROBE_CUSTOMER)
		users = [
			make_user(f"probe{i:03d}@incident-probe.example", f"Probe{i:03d}", customer)
			for i in range(PROBE_COLLEAGUES + 1)
		]
		frappe.db.commit()
	tickets = (
		frappe.qb.from_(Ticket)
		.select(Ticket.name, Ticket.raised_by, Ticket.contact)
		.where(Ticket.peer_visibility == "Community")
		.where(Ticket.customer == customer)
		.orderby(Ticket.creation, order=frappe.qb.desc)
		.limit(PROBE_TICKETS)
		.run(as_dict=True)
	)
	if len(tickets) < PROBE_TICKETS:
		from peer_support.api import tickets as tickets_api
		from peer_support.demo import as_user

		requester = users[-1]
		for i in range(PROBE_TICKETS - len(tickets)):
			doc = frappe.get_doc(
				{
					"doctype": "HD Ticket",
					"subject": f"Probe question {i}",
					"description": "<p>probe</p>",
					"raised_by": requester,
					"customer": customer,
					"priority": "Low",
				}
			).insert(ignore_permissions=True)
			as_user(requester, tickets_api.share, doc.name)
			tickets.append(frappe._dict(name=doc.name, raised_by=requester))
		frappe.db.commit()
	return [u for u in users if u], tickets


def timed_queue(frappe, incidents, calls, queued):
	"""Wrap the request side's call into detection to time it (and count the jobs it queued)."""
	original = incidents.queue_detection

	def wrapper():
		started = time.perf_counter()
		result = original()
		calls.append(time.perf_counter() - started)
		queued.append(result)
		return result

	incidents.queue_detection = wrapper
	return original


def detection(frappe, incidents, label):
	"""One job run, as the worker does it (cold), then a second (warm)."""
	from frappe.utils import now_datetime

	results = []
	for run in ("cold", "warm"):
		frappe.db.commit()
		started = time.perf_counter()
		units = incidents.window_units(now_datetime() - incidents.window())
		read = time.perf_counter() - started
		incidents.subject_vectors(units)  # cold: the new subjects are embedded here (then kept in Redis)
		embedded = time.perf_counter() - started - read
		raised = incidents.detect()
		frappe.db.commit()
		total = time.perf_counter() - started
		results.append(
			{
				"name": f"job: detect after {label} ({run})",
				"seconds": round(total, 3),
				"window_read_seconds": round(read, 3),
				"embedding_seconds": round(embedded, 3),
				"detect_seconds": round(total - read - embedded, 3),
				"tickets_in_window": len(units),
				"marks_in_window": sum(len(u.markers) for u in units),
				"alerts_raised": len(raised),
			}
		)
		log(
			f"{results[-1]['name']}: {total:.2f} s ({len(units)} tickets in the window, {len(raised)} alerts)"
		)
	return results


def inner(site, sites_path, marks, new_tickets):
	import frappe

	frappe.init(site=site, sites_path=sites_path)
	frappe.connect()
	frappe.set_user("Administrator")
	try:
		from peer_support.api import tickets as tickets_api
		from peer_support.services import incidents, search_index

		settings = frappe.get_single("Peer Support Settings")
		log(
			f"site {site}: {frappe.db.count('HD Ticket')} tickets; thresholds: {settings.incident_marks_threshold} "
			f"marks, {settings.incident_tickets_threshold} tickets, window {settings.incident_window_minutes} "
			f"min, similarity {settings.incident_similarity}"
		)
		search_index.model(wait=True)
		rng = random.Random(SEED)
		users, shared = colleagues_and_tickets(frappe)
		log(f"{len(users)} colleagues, {len(shared)} shared tickets for the marks")
		frappe.cache.delete(frappe.cache.make_key(incidents.QUEUED_KEY))
		results = []

		# The burst of "I have this too" marks, each a request of its own (as the colleague, committed).
		pairs = [
			(t, u) for t in shared for u in users if u and u not in (t.raised_by, t.contact)
		]  # the requesters
		Affected = frappe.qb.DocType("Peer Ticket Affected")
		taken = set(frappe.qb.from_(Affected).select(Affected.ticket, Affected.user).run())
		pairs = [(t, u) for t, u in pairs if (str(t.name), u) not in taken]
		rng.shuffle(pairs)
		pairs = pairs[:marks]
		if len(pairs) < marks:
			log(f"note: only {len(pairs)} new (ticket, colleague) pairs left for marks")
		request, hook, queued = [], [], []
		original = timed_queue(frappe, incidents, hook, queued)
		try:
			started = time.monotonic()
			for ticket, user in pairs:
				frappe.set_user(user)
				t = time.perf_counter()
				tickets_api.affected(str(ticket.name))
				frappe.db.commit()
				request.append(time.perf_counter() - t)
			frappe.set_user("Administrator")
			log(f"{len(request)} marks in {time.monotonic() - started:.0f} s")
		finally:
			incidents.queue_detection = original
		results += [
			row('request: "I have this too" (whole call, committed)', request),
			row('request: "I have this too", of which asking for detection', hook),
			{
				"name": "jobs queued by the marks",
				"calls": len(queued),
				"queued": sum(bool(q) for q in queued),
			},
		]
		results += detection(frappe, incidents, f"{len(request)} marks")

		# The burst of new tickets: most about one outage, the rest the desk's everyday.
		from bench_site import TOPICS  # the benchmark's 50 topics

		topics = [t for t in TOPICS if frappe.db.exists("HD Ticket Type", t)] or [None]
		things = [thing for values in TOPICS.values() for thing in values]
		outage_topic = "Email" if "Email" in topics else topics[0]
		frappe.cache.delete(frappe.cache.make_key(incidents.QUEUED_KEY))
		if state_of(frappe):  # a benchmark site: its tickets were inserted by SQL, past the series
			from bench_site import advance_ticket_series

			advance_ticket_series()
		request, hook, queued = [], [], []
		original = timed_queue(frappe, incidents, hook, queued)  # on_ticket_insert calls it
		try:
			started = time.monotonic()
			for i in range(new_tickets):
				if rng.random() < 0.3:
					subject, topic = rng.choice(OUTAGE), outage_topic
				else:
					subject, topic = rng.choice(EVERYDAY).format(rng.choice(things)), rng.choice(topics)
				requester = rng.choice(users)
				t = time.perf_counter()
				frappe.get_doc(
					{
						"doctype": "HD Ticket",
						"subject": subject,
						"description": f"<p>{subject}</p>",
						"raised_by": requester,
						"ticket_type": topic,
						"priority": "Low",
					}
				).insert(ignore_permissions=True)
				frappe.db.commit()
				request.append(time.perf_counter() - t)
				if (i + 1) % 200 == 0:
					log(f"{i + 1} tickets in {time.monotonic() - started:.0f} s")
		finally:
			incidents.queue_detection = original
		results += [
			row("request: new ticket (Helpdesk's insert with every hook, committed)", request),
			row("request: new ticket, of which asking for detection", hook),
			{
				"name": "jobs queued by the new tickets",
				"calls": len(queued),
				"queued": sum(bool(q) for q in queued),
			},
		]
		results += detection(frappe, incidents, f"{len(request)} marks and {len(request)} new tickets")
		return results
	finally:
		frappe.destroy()


def table(results):
	lines = ["| what | calls | p50 ms | p95 ms | max ms / seconds |", "| --- | ---: | ---: | ---: | ---: |"]
	for r in results:
		if "p50_ms" in r:
			lines.append(f"| {r['name']} | {r['calls']} | {r['p50_ms']} | {r['p95_ms']} | {r['max_ms']} |")
		elif "seconds" in r:
			lines.append(
				f"| {r['name']}: {r['tickets_in_window']} tickets, {r['marks_in_window']} marks in the window, "
				f"{r['alerts_raised']} alerts | 1 | | | {r['seconds']} s (read {r['window_read_seconds']} s, "
				f"embedding {r['embedding_seconds']} s, the job's run {r['detect_seconds']} s) |"
			)
		else:
			lines.append(f"| {r['name']}: {r['queued']} jobs for {r['calls']} requests | | | | |")
	return "\n".join(lines)


def main():
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	parser.add_argument("--site", required=True)
	parser.add_argument("--bench", default=os.environ.get("PEER_SUPPORT_BENCH", "/home/frappe/frappe-bench"))
	parser.add_argument("--marks", type=int, default=1000)
	parser.add_argument("--tickets", type=int, default=1000)
	parser.add_argument("--out", type=Path)
	parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
	parser.add_argument("--sites-path", default=".", help=argparse.SUPPRESS)
	options = parser.parse_args()
	if not options.site.startswith(("ps-bench-", "ps-test-")):
		parser.error("--site must be a throw-away ps-bench-* or ps-test-* site: this commits data")
	if options.inner:
		sys.path.insert(0, str(HERE))
		results = inner(options.site, options.sites_path, options.marks, options.tickets)
		print("RESULTS " + json.dumps(results), flush=True)
		return 0

	import subprocess

	sys.path.insert(0, str(HERE.parent))
	from run import Bench  # tests/run.py: runs as the bench's owner

	bench = Bench(Path(options.bench).resolve())
	script = bench.path / "apps" / "peer_support" / "tests" / "perf" / "incidents.py"
	if not script.exists():
		parser.error(
			f"{script} is missing: install this checkout into the bench first (tests/run.py, dev.sh)"
		)
	args = [str(bench.python), str(script), "--inner", "--site", options.site, "--sites-path", "."]
	args += ["--marks", str(options.marks), "--tickets", str(options.tickets)]
	proc = subprocess.Popen(
		bench.command(args),
		cwd=bench.sites,
		stdout=subprocess.PIPE,
		stderr=subprocess.STDOUT,
		text=True,
		env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
	)
	results = None
	for line in proc.stdout:
		if line.startswith("RESULTS "):
			results = json.loads(line[len("RESULTS ") :])
		else:
			print(line, end="", flush=True)
	if proc.wait() or results is None:
		log("the probe failed")
		return 1
	print(table(results))
	if options.out:
		options.out.write_text(json.dumps(results, indent=1))
	return 0


if __name__ == "__main__":
	sys.exit(main())
