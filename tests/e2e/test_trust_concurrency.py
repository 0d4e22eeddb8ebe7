"""Concurrency over HTTP: twenty colleagues vote, change and take back votes on the same answers at
the same moment, each in their own session, while the requester accepts and withdraws answers. The
stored results must add up: one vote row per voter and answer, each answer's score the sum of its
votes, at most one accepted answer, and every reputation total the sum of its ledger."""

import json
import random
import threading
import uuid
from collections import Counter, defaultdict

import pytest
from conftest import ARTIFACTS, PASSWORD, Client, add_portal_user, create

API = "/api/method/peer_support.api"
SETTINGS = "/api/resource/Peer Support Settings/Peer Support Settings"
VOTERS = 20
VOTES_EACH = 30  # well under the vote rate limit (rate_limits.LIMITS["vote"] per 10 minutes)
ACCEPTS = 40
OK = {200, 409}  # 409: the same vote again, or taking back a vote one has not given


def record_count(key: str, value: int) -> None:
	"""Add a count to $PEER_SUPPORT_ARTIFACTS/trust-counts.json, which the trust modules share."""
	ARTIFACTS.mkdir(parents=True, exist_ok=True)
	path = ARTIFACTS / "trust-counts.json"
	counts = json.loads(path.read_text()) if path.exists() else {}
	path.write_text(json.dumps(counts | {key: value}, indent=1, sort_keys=True))


def portal_user(admin, run: str, first_name: str, customer: str) -> tuple[str, Client]:
	email = f"{first_name.lower()}.{run}@crowd.example"
	add_portal_user(admin, email, first_name, customer)
	return email, Client(admin.base).login(email, PASSWORD)


def rows(admin, doctype: str, fields: list[str], filters: list | None = None) -> list[dict]:
	response = admin.get(
		f"/api/resource/{doctype}",
		params={"fields": json.dumps(fields), "limit_page_length": 0, "filters": json.dumps(filters or [])},
	)
	assert response.status_code == 200, response.text
	return response.json()["data"]


@pytest.fixture(scope="module")
def crowd(admin):
	"""Jeff's shared ticket with four answers, twenty voters, and accepting that only asks the agent."""
	run = uuid.uuid4().hex[:8]
	customer = create(admin, "HD Customer", {"customer_name": f"Crowd {run}"})["name"]
	jeff_email, jeff = portal_user(admin, run, "Jeff", customer)
	authors = [portal_user(admin, run, name, customer)[1] for name in ("Ann", "Ben")]
	voters = [portal_user(admin, run, f"Voter{i:02d}", customer)[1] for i in range(VOTERS)]
	before = admin.get(SETTINGS).json()["data"]["on_accept"]
	response = admin.put(SETTINGS, json={"on_accept": "Ask the Agent to Confirm"})
	assert response.status_code == 200, response.text
	ticket = str(
		create(
			admin,
			"HD Ticket",
			{
				"subject": f"Crowd {run}: Wi-Fi drops in the canteen",
				"priority": "Low",
				"raised_by": jeff_email,
				"customer": customer,
			},
		)["name"]
	)
	assert jeff.post(f"{API}.tickets.share", data={"ticket": ticket}).status_code == 200
	answers = []
	for index in range(4):
		response = authors[index % 2].post(
			f"{API}.answers.create",
			data={"ticket": ticket, "body": f"<p>Fix number {index}: forget the network.</p>"},
		)
		assert response.status_code == 200, response.text
		answers.append(response.json()["message"]["name"])
	yield {"ticket": ticket, "answers": answers, "jeff": jeff, "voters": voters}
	response = admin.put(SETTINGS, json={"on_accept": before})
	assert response.status_code == 200, response.text


def test_concurrent_votes_and_accepts_add_up(admin, crowd):
	start = threading.Barrier(VOTERS + 1)
	outcomes: list[tuple[str, int, str]] = []
	lock = threading.Lock()

	def note(what: str, response) -> None:
		with lock:
			# a server error keeps its traceback's end: the statement that failed
			text = response.text[-2500:] if response.status_code >= 500 else response.text[:300]
			outcomes.append((what, response.status_code, text))

	def voter(index: int) -> None:
		choose = random.Random(index)  # a fixed sequence per voter: the run is repeatable
		client = crowd["voters"][index]
		start.wait()
		for _ in range(VOTES_EACH):
			answer, value = choose.choice(crowd["answers"]), choose.choice((1, 1, -1, 0))
			note("vote", client.post(f"{API}.answers.vote", data={"answer": answer, "value": value}))

	def requester() -> None:
		start.wait()
		answers = crowd["answers"]
		for index in range(ACCEPTS):  # accept one, switch to the next, withdraw it; again with the next pair
			cycle, step = divmod(index, 3)
			answer = answers[(cycle + min(step, 1)) % len(answers)]
			method = "unaccept" if step == 2 else "accept"
			note(method, crowd["jeff"].post(f"{API}.answers.{method}", data={"answer": answer}))

	threads = [threading.Thread(target=voter, args=(i,)) for i in range(VOTERS)] + [
		threading.Thread(target=requester)
	]
	for thread in threads:
		thread.start()
	for thread in threads:
		thread.join(timeout=600)
	assert not any(thread.is_alive() for thread in threads)

	counts = Counter((what, status) for what, status, _ in outcomes)
	operations = len(outcomes)
	print(f"trust concurrency: {operations} operations by {VOTERS + 1} sessions: {dict(counts)}")
	record_count("trust_concurrency_operations", operations)
	assert operations == VOTERS * VOTES_EACH + ACCEPTS
	failed = [
		(what, status, text)
		for what, status, text in outcomes
		if status not in (OK if what == "vote" else {200})
	]
	assert not failed, failed[:10]

	votes = rows(
		admin, "Peer Answer Vote", ["name", "answer", "voter", "value"], [["answer", "in", crowd["answers"]]]
	)
	pairs = Counter((vote["answer"], vote["voter"]) for vote in votes)
	assert max(pairs.values(), default=1) == 1, [pair for pair, n in pairs.items() if n > 1]
	assert all(vote["value"] in (1, -1) for vote in votes), "a taken-back vote leaves no row"

	answers = rows(admin, "Peer Answer", ["name", "score", "accepted"], [["ticket", "=", crowd["ticket"]]])
	totals = defaultdict(int)
	for vote in votes:
		totals[vote["answer"]] += vote["value"]
	assert {a["name"]: a["score"] for a in answers} == {name: totals[name] for name in crowd["answers"]}
	accepted = [a["name"] for a in answers if a["accepted"]]
	assert len(accepted) <= 1, accepted
	ticket = admin.get(f"/api/resource/HD Ticket/{crowd['ticket']}").json()["data"]
	assert (ticket["peer_accepted_answer"] or None) == (accepted[0] if accepted else None)

	ledger = defaultdict(int)
	for event in rows(admin, "Peer Reputation Event", ["user", "points"]):
		ledger[event["user"]] += event["points"]
	profiles = {p["name"]: p["reputation"] for p in rows(admin, "Peer Profile", ["name", "reputation"])}
	drift = {
		user: (profiles.get(user, 0), ledger.get(user, 0))
		for user in set(profiles) | set(ledger)
		if profiles.get(user, 0) != ledger.get(user, 0)
	}
	assert drift == {}, drift
