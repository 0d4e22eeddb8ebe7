"""Helpdesk's own agent ticket view, in headless Chromium: peer answers are in its activity, and
this app's "Peer answers" action opens them with the moderation actions. Screenshots are saved."""

import pytest
from conftest import ARTIFACTS, create, logged_in_page

TICKETS = "/api/method/peer_support.api.tickets"
ANSWERS = "/api/method/peer_support.api.answers"


@pytest.fixture(scope="module")
def ticket(admin, people) -> str:
	name = str(
		create(
			admin,
			"HD Ticket",
			{
				"subject": "VPN disconnects every hour",
				"priority": "Low",
				"description": "<p>Since the client update</p>",
				"raised_by": people["emails"]["jeff"],
				"customer": people["customer"],
			},
		)["name"]
	)
	shared = people["jeff"].post(f"{TICKETS}.share", data={"ticket": name})
	assert shared.status_code == 200, shared.text
	good = people["lottie"].post(
		f"{ANSWERS}.create",
		data={
			"ticket": name,
			"body": "<p>Switch the VPN profile to <b>IKEv2</b>; the hourly rekey then works.</p>",
		},
	)
	assert good.status_code == 200, good.text
	people["agent"].post(f"{ANSWERS}.endorse", data={"answer": good.json()["message"]["name"]})
	risky = people["mia"].post(
		f"{ANSWERS}.create", data={"ticket": name, "body": "<p>Turn the firewall off.</p>"}
	)
	people["agent"].post(
		f"{ANSWERS}.hide",
		data={"answer": risky.json()["message"]["name"], "reason": "Unsafe: disables the firewall"},
	)
	people["mia"].post(f"{TICKETS}.affected", data={"ticket": name})
	return name


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
