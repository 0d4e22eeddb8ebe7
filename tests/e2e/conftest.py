"""HTTP against the bench web server the harness started for its throw-away site.

The tests log in as real users over `/api/method/login`; the users are made in the test site
(peer_support.tests.personas) and then used over HTTP only.
"""

import json
import os
import re
import time
import uuid
from pathlib import Path

import pytest
import requests

from peer_support.tests.personas import contact_of, in_site, make_customer, make_user

BASE = os.environ.get("PEER_SUPPORT_BASE_URL", "")
CHROMIUM = os.environ.get("PEER_SUPPORT_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("PEER_SUPPORT_ARTIFACTS", "test-results"))
# Debian's chromium in a closed network: no background calls home, no sandbox as an unprivileged user in CI.
CHROMIUM_ARGS = [
	"--no-sandbox",
	"--disable-gpu",
	"--disable-quic",
	"--no-first-run",
	"--disable-background-networking",
	"--disable-component-update",
	"--disable-sync",
]
PASSWORD = "Peer-Support-e2e-2026!"
TICKETS = "/api/method/peer_support.api.tickets"
ANSWERS = "/api/method/peer_support.api.answers"


class Client(requests.Session):
	def __init__(self, base: str):
		super().__init__()
		self.base = base

	def request(self, method, url, *args, **kwargs):
		kwargs.setdefault("timeout", 60)
		return super().request(method, self.base + url, *args, **kwargs)

	def login(self, user: str, password: str) -> "Client":
		"""Log in like a browser: session cookie, then the CSRF token a page of the site carries."""
		response = self.post("/api/method/login", data={"usr": user, "pwd": password})
		assert response.status_code == 200, response.text
		# /me of a portal user may print "None" before any page made a token; /community always makes one.
		for page in ("/app", "/community"):
			found = re.search(r'csrf_token(?:"\])? = "([0-9a-f]{20,})"', self.get(page).text)
			if found:
				self.headers["X-Frappe-CSRF-Token"] = found.group(1)
				return self
		raise AssertionError(f"no CSRF token on any page for {user}")


@pytest.fixture(scope="session")
def base_url() -> str:
	if not BASE:
		pytest.exit("PEER_SUPPORT_BASE_URL is not set: run the e2e tier through tests/run.py", returncode=4)
	return BASE


@pytest.fixture(scope="session")
def admin(base_url) -> Client:
	return Client(base_url).login("Administrator", os.environ.get("PEER_SUPPORT_ADMIN_PASSWORD", "admin"))


@pytest.fixture(scope="session", autouse=True)
def no_holdout(admin) -> None:
	"""Honest deflection holds a share of askers (by person and month) out of suggestions; the browser
	and HTTP tests of suggestions run without it."""
	response = admin.put(
		"/api/resource/Peer Support Settings/Peer Support Settings", json={"holdout_share": 0}
	)
	assert response.status_code == 200, response.text


def create(admin: Client, doctype: str, values: dict) -> dict:
	response = admin.post(f"/api/resource/{doctype}", json=values)
	assert response.status_code == 200, response.text
	return response.json()["data"]


@pytest.fixture(scope="session")
def people(admin) -> dict:
	"""An agent and three portal users (colleagues at one customer), each with a logged-in session.

	Made in the test site's own Python (peer_support.tests.personas), so each is what the installed
	Helpdesk expects of a contact, a customer's member and an agent; the tests then use HTTP only."""
	run = uuid.uuid4().hex[:6]
	customer = f"Acme {run}"
	users = {
		key: f"{first_name.lower()}.{run}@example.com"
		for key, first_name in (("agent", "Derek"), ("jeff", "Jeff"), ("lottie", "Lottie"), ("mia", "Mia"))
	}
	with in_site():
		make_customer(customer)
		for key, email in users.items():
			make_user(
				email,
				email.split(".")[0].title(),
				None if key == "agent" else customer,
				agent=key == "agent",
				password=PASSWORD,
			)
	sessions = {key: Client(admin.base).login(email, PASSWORD) for key, email in users.items()}
	return {"emails": users, "customer": customer, **sessions}


@pytest.fixture(scope="session")
def outsider(admin, people):
	"""Olga, a portal user of another customer."""
	customer = f"Globex {people['customer']}"
	email = f"olga.{people['customer'].split()[-1]}@example.com"
	with in_site():
		make_customer(customer)
		make_user(email, "Olga", customer, password=PASSWORD)
	return Client(admin.base).login(email, PASSWORD)


def add_portal_user(admin, email: str, first_name: str, customer: str, **contact) -> str:
	"""A portal user of `customer` (made in the site), logged in; returns the user's contact's name."""
	with in_site():
		make_user(email, first_name, customer, password=PASSWORD, **contact)
		return contact_of(email)


def message(response) -> str:
	"""The human message Frappe sends with an error (or an empty string)."""
	body = response.json()
	messages = json.loads(body.get("_server_messages", "[]"))
	return " ".join(json.loads(m).get("message", "") for m in messages) or body.get("exception", "")


@pytest.fixture(scope="session")
def browser():
	from playwright.sync_api import sync_playwright  # installed into the bench's env by tests/run.py

	assert Path(CHROMIUM).exists(), f"Debian's chromium is needed at {CHROMIUM} (apt install chromium)"
	with sync_playwright() as playwright:
		browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
		yield browser
		browser.close()


def wait_indexed(admin: "Client", doctype: str, name, active: bool = True, timeout: float = 60) -> None:
	"""The suggestion index is written by a background job after the commit (the harness runs a worker
	beside the web server): wait until the record's entry is there (or gone)."""
	entry = {"HD Ticket": "T-", "HD Article": "A-"}[doctype] + str(name)
	deadline = time.monotonic() + timeout
	while time.monotonic() < deadline:
		response = admin.get(f"/api/resource/Peer Search Entry/{entry}")
		found = response.json().get("data") if response.status_code == 200 else None
		if bool(found and found["active"] and found.get("vector")) == active:
			return
		time.sleep(0.25)
	raise AssertionError(
		f"{doctype} {name} was not {'in' if active else 'out of'} the index after {timeout} s"
	)


def solved_question(admin: "Client", people: dict, subject: str, description: str, answer: str) -> str:
	"""Mia's question, shared with colleagues, answered by Lottie and accepted by Mia (with Helpdesk's
	feedback), and in the suggestion index."""
	api = "/api/method/peer_support.api"
	name = str(
		create(
			admin,
			"HD Ticket",
			{
				"subject": subject,
				"priority": "Low",
				"description": description,
				"raised_by": people["emails"]["mia"],
				"customer": people["customer"],
			},
		)["name"]
	)
	assert people["mia"].post(f"{api}.tickets.share", data={"ticket": name}).status_code == 200
	posted = people["lottie"].post(f"{api}.answers.create", data={"ticket": name, "body": answer})
	options = people["mia"].get(f"{api}.tickets.feedback_options").json()["message"]
	accepted = people["mia"].post(
		f"{api}.answers.accept",
		data={"answer": posted.json()["message"]["name"], "feedback": options[0]["name"]},
	)
	assert accepted.status_code == 200, accepted.text
	wait_indexed(admin, "HD Ticket", name)
	return name


def logged_in_page(browser, client, width: int = 1280, height: int = 900):
	context = browser.new_context(viewport={"width": width, "height": height})
	context.add_cookies([{"name": c.name, "value": c.value, "url": client.base} for c in client.cookies])
	return context.new_page()


def shot(page, name: str) -> None:
	ARTIFACTS.mkdir(parents=True, exist_ok=True)
	page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def shared_question(admin, people, subject: str, asker: str = "jeff") -> str:
	"""A ticket of `asker`'s, filed in Helpdesk's portal and shared with colleagues."""
	ticket = create(
		admin,
		"HD Ticket",
		{
			"subject": subject,
			"priority": "Low",
			"description": "<p>It started this morning.</p>",
			"raised_by": people["emails"][asker],
			"customer": people["customer"],
			"via_customer_portal": 1,
		},
	)
	name = str(ticket["name"])
	response = people[asker].post(f"{TICKETS}.share", data={"ticket": name})
	assert response.status_code == 200, response.text
	return name


def answer(people, who: str, ticket: str, body: str) -> str:
	"""`who` answers `ticket` over HTTP; the new answer's name."""
	response = people[who].post(f"{ANSWERS}.create", data={"ticket": ticket, "body": body})
	assert response.status_code == 200, response.text
	return response.json()["message"]["name"]
