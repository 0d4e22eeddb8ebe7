"""Live updates of the community app in two browsers, through the bench's own socket.io server (the
harness starts apps/frappe/socketio.js for its site): an answer, a vote, an accept, an endorsement and
a hide appear on open pages without a reload, a half-written answer stays, and a ticket made private
leaves its colleagues' pages. The delay from a change's response to its appearance on another
person's page (median of ten) goes to the artefacts."""

import json
import time
import uuid

import pytest
from conftest import ANSWERS, ARTIFACTS, TICKETS, answer, logged_in_page, shared_question, shot

WAIT = 30_000
LIVE_TARGET_MS = 1000  # issue 16: an update is on the other pages within a second


@pytest.fixture(scope="module")
def run_id() -> str:
	return uuid.uuid4().hex[:6]


def open_live(browser, client, ticket: str):
	"""`client`'s browser on the ticket's page, once it hears live updates."""
	page = logged_in_page(browser, client)
	page.goto(f"{client.base}/community/{ticket}")
	page.locator("[data-live=on]").wait_for(timeout=WAIT)
	# Frappe's socket server joins the room on the page's task_subscribe, which it does not acknowledge.
	page.wait_for_timeout(300)
	return page


def card(page, answer_name: str):
	return page.locator(f'article[data-answer="{answer_name}"]')


def test_answers_votes_accepts_endorsements_and_hides_appear_without_reload(browser, admin, people, run_id):
	ticket = shared_question(admin, people, f"Laptop {run_id} fan is loud")
	jeff = open_live(browser, people["jeff"], ticket)  # the requester
	lottie = open_live(browser, people["lottie"], ticket)  # a colleague, halfway through an answer
	editor = lottie.get_by_label("Answer (rich text or Markdown)")
	editor.click()
	lottie.keyboard.type("Half-written: check the BIOS fan curve")
	loads = {"jeff": 0, "lottie": 0}
	for key, page in (("jeff", jeff), ("lottie", lottie)):
		page.on("load", lambda _page, key=key: loads.__setitem__(key, loads[key] + 1))

	# Mia answers (another person, over HTTP): both open pages show it.
	first = answer(people, "mia", ticket, "Clean the vents with compressed air.")
	second = answer(people, "mia", ticket, "Send me your password and I will check it.")
	for page in (jeff, lottie):
		card(page, first).wait_for(timeout=WAIT)
		card(page, second).wait_for(timeout=WAIT)

	# Lottie votes in her browser: Jeff's page shows the new score.
	card(lottie, first).get_by_role("button", name="Helpful", exact=True).click()
	card(jeff, first).locator("[data-score]").filter(has_text="1").wait_for(timeout=WAIT)

	# Jeff accepts in his browser: Lottie's page says so.
	card(jeff, first).get_by_role("button", name="Accept: this solved it").click()
	jeff.get_by_role("dialog").get_by_label("Your feedback").click()  # v1.5 asks it of every resolution
	jeff.get_by_role("option").nth(1).click()
	jeff.get_by_role("button", name="Accept", exact=True).click()
	card(lottie, first).get_by_text("✓ Accepted by the asker").wait_for(timeout=WAIT)

	# The agent endorses one answer and hides the other (over HTTP): Lottie sees the first verified and
	# stops seeing the second; Jeff, the requester, sees both changes too.
	agent = people["agent"]
	assert agent.post(f"{ANSWERS}.endorse", data={"answer": first}).status_code == 200
	card(lottie, first).get_by_text("Verified by IT", exact=False).wait_for(timeout=WAIT)
	hidden = agent.post(f"{ANSWERS}.hide", data={"answer": second, "reason": "Asks for a password"})
	assert hidden.status_code == 200, hidden.text
	card(lottie, second).wait_for(state="detached", timeout=WAIT)
	card(jeff, first).get_by_text("Verified by IT", exact=False).wait_for(timeout=WAIT)
	shot(lottie, "live-colleague-1280.png")
	shot(jeff, "live-requester-1280.png")

	assert loads == {"jeff": 0, "lottie": 0}, "no page was reloaded"
	assert "Half-written: check the BIOS fan curve" in editor.inner_text(), "the draft is where it was"
	for page in (jeff, lottie):
		page.context.close()


def test_the_live_update_delay(browser, admin, people, run_id):
	"""Ten answers by Mia; each is timed from the end of her POST to its card on Lottie's open page."""
	ticket = shared_question(admin, people, f"Printer {run_id} prints garbage")
	lottie = open_live(browser, people["lottie"], ticket)
	delays = []
	for n in range(10):
		name = answer(people, "mia", ticket, f"Try the PCL6 driver instead of PostScript ({n}).")
		posted = time.perf_counter()
		card(lottie, name).wait_for(timeout=WAIT)
		delays.append((time.perf_counter() - posted) * 1000)
	lottie.context.close()
	delays.sort()
	result = {
		"median_ms": round((delays[4] + delays[5]) / 2),
		"max_ms": round(delays[-1]),
		"samples_ms": [round(d) for d in delays],
	}
	ARTIFACTS.mkdir(parents=True, exist_ok=True)
	(ARTIFACTS / "live-update-delay.json").write_text(json.dumps(result, indent=1))
	assert result["median_ms"] < LIVE_TARGET_MS, result


def test_a_ticket_made_private_leaves_its_colleagues_pages(browser, admin, people, outsider, run_id):
	ticket = shared_question(admin, people, f"Badge {run_id} reader refuses my card")
	lottie = open_live(browser, people["lottie"], ticket)
	# The room's name comes only with the ticket, to those who may read it.
	assert outsider.get(f"{TICKETS}.get", params={"ticket": ticket}).status_code == 404
	room = people["lottie"].get(f"{TICKETS}.get", params={"ticket": ticket}).json()["message"]["live_room"]

	made_private = people["jeff"].post(f"{TICKETS}.share", data={"ticket": ticket, "visibility": "Private"})
	assert made_private.status_code == 200, made_private.text
	lottie.get_by_role("heading", name="Question not found").wait_for(timeout=WAIT)
	shot(lottie, "live-made-private-1280.png")
	lottie.context.close()
	# The requester's page moves to the ticket's new room; the colleague's old name is worth nothing.
	mine = people["jeff"].get(f"{TICKETS}.get", params={"ticket": ticket}).json()["message"]["live_room"]
	assert mine != room
