"""Reputation timings on a throw-away site: one vote with its ledger and totals, and a full recompute.

    cd <bench>/sites && PEER_SUPPORT_SITE=<throw-away site> ../env/bin/python <app>/tests/perf/reputation.py

It commits synthetic data (users, tickets, answers, 100k ledger events), so never point it at a
real site; `tests/run.py --tier integration --keep-site` makes a suitable one.
"""

import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

import frappe
from frappe.utils import now_datetime

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "integration"))

USERS = int(os.environ.get("PEER_SUPPORT_PERF_USERS", 10_000))
EVENTS = int(os.environ.get("PEER_SUPPORT_PERF_EVENTS", 100_000))
VOTERS, ANSWERS = 20, 10  # 200 votes, each by a distinct (voter, answer) pair


def percentile(values: list[float], share: float) -> float:
	ordered = sorted(values)
	return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def report(label: str, seconds: list[float]) -> None:
	ms = [s * 1000 for s in seconds]
	print(
		f"{label}: n={len(ms)} median={statistics.median(ms):.1f} ms p95={percentile(ms, 0.95):.1f} ms",
		flush=True,
	)


def time_votes() -> None:
	from helpers import as_user, make_user, org, shared_ticket

	from peer_support.api import answers

	people = org()
	voters = [make_user(f"perf.voter{i}@acme.test", f"Voter {i}", "Acme Test") for i in range(VOTERS)]
	targets = []
	for i in range(ANSWERS):
		ticket = shared_ticket(people, f"Performance question {i}")
		targets.append(as_user(people.lottie, answers.create, ticket, f"<p>Answer {i}</p>")["name"])
	frappe.db.commit()
	print(f"votes: {VOTERS} voters x {ANSWERS} answers ready", flush=True)
	timings = []
	for voter in voters:
		frappe.set_user(voter)
		for answer in targets:
			started = time.perf_counter()
			answers.vote(answer, 1)
			frappe.db.commit()
			timings.append(time.perf_counter() - started)
	frappe.set_user("Administrator")
	report("vote with reputation update (in-process, incl. commit)", timings)


def generate_ledger() -> None:
	"""USERS profiles and EVENTS ledger rows over the last 90 days, written in bulk."""
	now = now_datetime()
	users = [f"perf.user{i}@example.org" for i in range(USERS)]
	frappe.db.bulk_insert(
		"Peer Profile",
		["name", "user", "full_name", "involvement", "creation", "modified", "owner", "modified_by"],
		[
			(u, u, f"Perf User {i}", "Off", now, now, "Administrator", "Administrator")
			for i, u in enumerate(users)
		],
		chunk_size=5000,
		ignore_duplicates=True,
	)
	reasons = [
		("Upvote", 10),
		("Downvote", -2),
		("Accepted", 15),
		("Endorsed", 20),
		("Upvote Retracted", -10),
	]
	topics = ["Unspecified", "Question", "Bug", "Incident"]
	rng = random.Random(7)
	rows = []
	for i in range(EVENTS):
		reason, points = rng.choice(reasons)
		day = (now - timedelta(days=rng.randrange(90))).date()
		rows.append(
			(
				frappe.generate_hash(length=12),
				rng.choice(users),
				points,
				reason,
				day,
				rng.choice(topics),
				"Administrator",
				now,
				now,
				"Administrator",
				"Administrator",
			)
		)
		if len(rows) == 20_000:
			insert_events(rows)
			rows = []
			print(f"ledger: {i + 1}/{EVENTS} events", flush=True)
	insert_events(rows)
	frappe.db.commit()


def insert_events(rows: list[tuple]) -> None:
	from peer_support.services.rows import insert_rows

	insert_rows(
		"Peer Reputation Event",
		[
			"name",
			"user",
			"points",
			"reason",
			"event_date",
			"topic",
			"actor",
			"creation",
			"modified",
			"owner",
			"modified_by",
		],
		rows,
	)


def time_recompute() -> None:
	from peer_support.services import reputation

	events = frappe.db.count("Peer Reputation Event")
	profiles = frappe.db.count("Peer Profile")
	started = time.perf_counter()
	found = reputation.recompute()
	frappe.db.commit()
	first = time.perf_counter() - started
	started = time.perf_counter()
	again = reputation.recompute()
	frappe.db.commit()
	second = time.perf_counter() - started
	print(
		f"recompute over {events} events, {profiles} profiles: first {first:.1f} s "
		f"({len(found)} totals rebuilt), second {second:.1f} s ({len(again)} differences)",
		flush=True,
	)
	started = time.perf_counter()
	differences = reputation.differences()
	print(
		f"check only (ledger sum vs totals): {time.perf_counter() - started:.2f} s, {len(differences)} differences"
	)


def main() -> None:
	frappe.init(
		site=os.environ["PEER_SUPPORT_SITE"], sites_path=os.environ.get("PEER_SUPPORT_SITES_PATH", ".")
	)
	frappe.connect()
	frappe.flags.in_test = True  # notifications run inline instead of waiting for a worker
	frappe.set_user("Administrator")
	try:
		time_votes()
		generate_ledger()
		time_recompute()
	finally:
		frappe.destroy()


if __name__ == "__main__":
	main()
