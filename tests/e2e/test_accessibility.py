"""Accessibility of the community app in Chromium: axe-core (from the npm registry, frontend/'s locked
dev dependency) on every page as a colleague, the requester and an agent: no serious or critical
violation; and every action done with the keyboard alone (Tab to it, Enter or Space)."""

import json
import uuid
from pathlib import Path

import pytest
from conftest import ARTIFACTS, answer, logged_in_page, shared_question, shot

AXE = Path(__file__).resolve().parents[2] / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
WAIT = 30_000
SERIOUS = ("serious", "critical")


@pytest.fixture(scope="module")
def run_id() -> str:
	return uuid.uuid4().hex[:6]


@pytest.fixture(scope="module")
def question(admin, people, run_id) -> dict:
	"""Jeff's shared question with Lottie's answer, and a published known issue."""
	ticket = shared_question(admin, people, f"VPN {run_id} drops every hour")
	posted = answer(people, "lottie", ticket, "Renew the **VPN certificate** in the company portal.")
	notice = people["agent"].post(
		"/api/method/peer_support.api.incidents.publish",
		data={
			"title": f"VPN gateway {run_id} restarts",
			"summary": "The gateway restarts hourly.",
			"status": "Investigating",
		},
	)
	assert notice.status_code == 200, notice.text
	name = notice.json()["message"]["name"]
	yield {"ticket": ticket, "answer": posted, "notice": name}
	# resolved again, so that no later test's feed or Ask page shows it
	resolved = people["agent"].post("/api/method/peer_support.api.incidents.resolve", data={"notice": name})
	assert resolved.status_code == 200, resolved.text


def violations(page) -> list[dict]:
	"""axe-core's serious and critical violations of the page as it is drawn now."""
	assert AXE.is_file(), f"axe-core is installed with frontend/'s packages ({AXE})"
	page.add_script_tag(path=str(AXE))
	found = page.evaluate("async () => (await axe.run(document, { resultTypes: ['violations'] })).violations")
	return [
		{
			"id": v["id"],
			"impact": v["impact"],
			"nodes": [(n["target"], n["failureSummary"][:200]) for n in v["nodes"]][:5],
		}
		for v in found
		if v["impact"] in SERIOUS
	]


def pages(base: str, question: dict) -> dict[str, tuple[str, str]]:
	"""Each page of the app: (address, a locator that says it is drawn)."""
	return {
		"feed": (f"{base}/community", "[data-feed-row]"),
		"ticket": (f"{base}/community/{question['ticket']}", f'article[data-answer="{question["answer"]}"]'),
		"ask": (f"{base}/community/ask", "#ps-subject"),
		"profile": (f"{base}/community/profile", "text=Leaderboard"),
		"known issue": (f"{base}/community/known-issues/{question['notice']}", "[data-notice]"),
	}


def test_no_serious_or_critical_violation_on_any_page(browser, people, question):
	report, failures = {}, {}
	for who in ("lottie", "jeff", "agent"):
		page = logged_in_page(browser, people[who])
		for name, (url, drawn) in pages(people[who].base, question).items():
			page.goto(url)
			page.locator(drawn).first.wait_for(timeout=WAIT)
			if name == "ask":  # with its suggestions drawn too
				page.get_by_label("What do you need help with?").fill("vpn drops")
				page.wait_for_timeout(1000)
			found = violations(page)
			report[f"{who}: {name}"] = found
			if found:
				failures[f"{who}: {name}"] = found
		page.context.close()
	ARTIFACTS.mkdir(parents=True, exist_ok=True)
	(ARTIFACTS / "axe-violations.json").write_text(json.dumps(report, indent=1))
	assert failures == {}, failures


def focus(page, name: str, limit: int = 120) -> None:
	"""Press Tab until the focused element is the control named `name` (its aria-label, its <label>
	without a required field's asterisk, or its text)."""
	for _ in range(limit):
		page.keyboard.press("Tab")
		label = page.evaluate(
			"""() => {
				const e = document.activeElement;
				const label = e.labels && e.labels.length ? e.labels[0].innerText : '';
				return (e.getAttribute('aria-label') || label || e.innerText || '').replace(/\\s*\\*$/, '').trim();
			}"""
		)
		if label == name:
			return
	raise AssertionError(f"no control named {name!r} can be reached with Tab")


def test_every_action_with_the_keyboard_alone(browser, admin, people, run_id):
	ticket = shared_question(admin, people, f"Keyboard {run_id} types the wrong letters")
	mias = answer(people, "mia", ticket, "Switch the layout back to English (US) with Win+Space.")
	base = people["lottie"].base

	lottie = logged_in_page(browser, people["lottie"])
	lottie.goto(f"{base}/community/{ticket}")
	card = lottie.locator(f'article[data-answer="{mias}"]')
	card.wait_for(timeout=WAIT)
	for name in ("I have this too", "Follow"):
		focus(lottie, name)
		lottie.keyboard.press("Enter")
		lottie.get_by_role("button", name=f"✓ {'Following' if name == 'Follow' else name}").wait_for(
			timeout=WAIT
		)
	focus(lottie, "Helpful")
	lottie.keyboard.press("Space")
	card.locator("[data-score]").filter(has_text="1").wait_for(timeout=WAIT)
	focus(lottie, "Flag")
	lottie.keyboard.press("Enter")
	lottie.get_by_role("dialog").wait_for(timeout=WAIT)
	focus(lottie, "What is wrong with this answer?")
	lottie.keyboard.type("The shortcut is Alt+Shift on this laptop")
	focus(lottie, "Flag")  # the dialog's own button
	lottie.keyboard.press("Enter")
	lottie.get_by_text("Thank you: the service desk will review it").wait_for(timeout=WAIT)
	focus(lottie, "Answer (rich text or Markdown)")
	lottie.keyboard.type("Or remove the extra keyboard layout in Settings.")
	focus(lottie, "Post answer")
	lottie.keyboard.press("Enter")
	lottie.get_by_text("Answer posted").wait_for(timeout=WAIT)
	lottie.context.close()

	jeff = logged_in_page(browser, people["jeff"])
	jeff.goto(f"{base}/community/{ticket}")
	jeff.locator(f'article[data-answer="{mias}"]').wait_for(timeout=WAIT)
	focus(jeff, "Accept: this solved it")
	jeff.keyboard.press("Enter")
	jeff.get_by_role("dialog").wait_for(timeout=WAIT)
	focus(jeff, "Your feedback")  # Helpdesk's feedback (v1.5 asks it of every resolution): its first option
	jeff.keyboard.press("Enter")
	highlighted = jeff.locator("[role=option][data-highlighted]")
	highlighted.wait_for(timeout=WAIT)  # the list is open, "No feedback" highlighted
	jeff.keyboard.press("ArrowDown")
	highlighted.filter(has_not_text="No feedback").wait_for(timeout=WAIT)
	chosen = highlighted.inner_text()
	jeff.keyboard.press("Enter")
	jeff.get_by_role("dialog").get_by_text(chosen).wait_for(timeout=WAIT)
	focus(jeff, "Accept")
	jeff.keyboard.press("Enter")
	jeff.locator(f'article[data-answer="{mias}"]').get_by_text("✓ Accepted by the asker").wait_for(
		timeout=WAIT
	)
	jeff.context.close()

	agent = logged_in_page(browser, people["agent"])
	agent.goto(f"{base}/community/{ticket}")
	agent_card = agent.locator(f'article[data-answer="{mias}"]')
	agent_card.wait_for(timeout=WAIT)
	focus(agent, "Endorse (verified by IT)")
	agent.keyboard.press("Enter")
	agent_card.get_by_text("Verified by IT", exact=False).wait_for(timeout=WAIT)
	shot(agent, "keyboard-endorsed-1280.png")
	agent.context.close()
	rows = admin.get(
		"/api/resource/Peer Answer",
		params={
			"filters": json.dumps([["ticket", "=", ticket]]),
			"fields": json.dumps(["name", "endorsed_by", "score"]),
		},
	).json()["data"]
	assert {r["name"]: (bool(r["endorsed_by"]), r["score"]) for r in rows}[mias] == (True, 1)
	assert len(rows) == 2, "Lottie's answer was posted with the keyboard"
