"""Helpdesk's own agent ticket view, in headless Chromium: peer answers are in its activity, and
this app's "Peer answers" action opens them with the moderation actions. Screenshots are saved."""

import os
from pathlib import Path

import pytest
from conftest import create

CHROMIUM = os.environ.get("PEER_SUPPORT_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("PEER_SUPPORT_ARTIFACTS", "test-results"))
# Debian's chromium in a closed network: no background calls home, no sandbox as an unprivileged user in CI.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
TICKETS = "/api/method/peer_support.api.tickets"
ANSWERS = "/api/method/peer_support.api.answers"


@pytest.fixture(scope="module")
def ticket(admin, people) -> str:
	name = str(create(admin, "HD Ticket", {"subject": "VPN disconnects every hour", "priority": "Low",
	                                       "description": "<p>Since the client update</p>",
	                                       "raised_by": people["emails"]["jeff"],
	                                       "customer": people["customer"]})["name"])
	assert people["jeff"].post(f"{TICKETS}.share", data={"ticket": name}).status_code == 200
	good = people["lottie"].post(f"{ANSWERS}.create", data={
		"ticket": name, "body": "<p>Switch the VPN profile to <b>IKEv2</b>; the hourly rekey then works.</p>"})
	assert good.status_code == 200, good.text
	people["agent"].post(f"{ANSWERS}.endorse", data={"answer": good.json()["message"]["name"]})
	risky = people["mia"].post(f"{ANSWERS}.create", data={"ticket": name, "body": "<p>Turn the firewall off.</p>"})
	people["agent"].post(f"{ANSWERS}.hide", data={"answer": risky.json()["message"]["name"],
	                                              "reason": "Unsafe: disables the firewall"})
	people["mia"].post(f"{TICKETS}.affected", data={"ticket": name})
	return name


@pytest.fixture(scope="module")
def browser():
	from playwright.sync_api import sync_playwright  # installed into the bench's env by tests/run.py

	assert Path(CHROMIUM).exists(), f"Debian's chromium is needed at {CHROMIUM} (apt install chromium)"
	with sync_playwright() as playwright:
		browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
		yield browser
		browser.close()


def logged_in_page(browser, client, width: int = 1280, height: int = 900):
	context = browser.new_context(viewport={"width": width, "height": height})
	context.add_cookies([{"name": c.name, "value": c.value, "url": client.base} for c in client.cookies])
	return context.new_page()


def test_the_agent_ticket_view_shows_peer_answers(browser, people, ticket):
	ARTIFACTS.mkdir(parents=True, exist_ok=True)
	page = logged_in_page(browser, people["agent"])
	page.goto(f"{people['agent'].base}/helpdesk/tickets/{ticket}")
	action = page.get_by_role("button", name="Peer answers")
	action.wait_for(timeout=60_000)
	more = page.get_by_text("other activities")  # Helpdesk folds older activities
	if more.count():
		more.first.click()
	page.get_by_text("posted a peer answer").first.wait_for(timeout=30_000)
	page.get_by_text("endorsed the peer answer from Lottie (verified by IT)").first.wait_for(timeout=30_000)
	page.screenshot(path=str(ARTIFACTS / "agent-ticket-view.png"), full_page=True)

	action.click()
	dialog = page.locator("#peer-answers-dialog")
	dialog.get_by_text("Verified by IT").wait_for(timeout=30_000)
	text = dialog.inner_text()
	assert "IKEv2" in text and "Lottie" in text
	assert "Hidden: Unsafe: disables the firewall" in text and "Show again" in text
	assert "1 colleague(s) have this too: Mia" in text
	page.screenshot(path=str(ARTIFACTS / "agent-peer-answers.png"), full_page=True)

	# Un-hide from the agent view: the answer is back for colleagues at once.
	dialog.get_by_role("button", name="Show again").click()
	dialog.get_by_text("Hidden:").wait_for(state="detached", timeout=30_000)
	answers = people["lottie"].get(f"{TICKETS}.get", params={"ticket": ticket}).json()["message"]["answers"]
	assert len(answers) == 2
	page.context.close()
