"""The community app (frappe-ui, /community) in headless Chromium: Lottie finds Jeff's shared
question in the feed and answers it in the rich-text editor, Mia votes, Jeff accepts in a dialog; a
half-written answer survives votes and a flag on other answers; the agent endorses and hides; the
feed and the ticket page at 375 px. Screenshots at 1280 and 375 px in the artefacts folder."""

import base64
import json
import uuid

import pytest
from conftest import ARTIFACTS, answer, logged_in_page, shared_question, shot

APP = "/community"
TICKETS = "/api/method/peer_support.api.tickets"
ANSWERS = "/api/method/peer_support.api.answers"
WAIT = 30_000


def card(page, answer_name: str):
	return page.locator(f'article[data-answer="{answer_name}"]')


def no_sideways_scroll(page) -> None:
	assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.fixture(scope="module")
def run_id() -> str:
	return uuid.uuid4().hex[:6]


def test_feed_ticket_answer_vote_accept(browser, admin, people, run_id):
	subject = f"Docking station {run_id} drops both monitors"
	ticket = shared_question(admin, people, subject)
	base = people["lottie"].base

	lottie = logged_in_page(browser, people["lottie"])
	lottie.goto(f"{base}{APP}")
	lottie.get_by_label("Search questions").fill(f"docking {run_id}")
	lottie.get_by_role("link", name=subject).wait_for(timeout=WAIT)
	shot(lottie, "community-feed-1280.png")
	lottie.get_by_role("link", name=subject).click()
	lottie.get_by_role("heading", name=subject).wait_for(timeout=WAIT)
	assert lottie.url.endswith(f"{APP}/{ticket}")

	editor = lottie.get_by_label("Answer (rich text or Markdown)")
	editor.click()
	# Markdown shortcuts of the editor: **bold** becomes bold as it is typed.
	lottie.keyboard.type("Unplug the dock for ten seconds, then **update the firmware** ")
	assert editor.locator("strong").inner_text() == "update the firmware"
	lottie.get_by_role("button", name="Post answer").click()
	posted = lottie.locator("article[data-answer]").filter(has_text="update the firmware")
	posted.wait_for(timeout=WAIT)
	answer_name = posted.get_attribute("data-answer")
	assert "<strong>update the firmware</strong>" in posted.locator(".prose-f").inner_html()
	assert editor.inner_text().strip() == "", "the form is empty again after posting"
	shot(lottie, "community-ticket-1280.png")

	mia = logged_in_page(browser, people["mia"])
	mia.goto(f"{base}{APP}/{ticket}")
	card(mia, answer_name).get_by_role("button", name="Helpful", exact=True).click()
	card(mia, answer_name).locator("[data-score]").filter(has_text="1").wait_for(timeout=WAIT)
	assert (
		card(mia, answer_name).get_by_role("button", name="Helpful", exact=True).get_attribute("aria-pressed")
		== "true"
	)

	jeff = logged_in_page(browser, people["jeff"])
	jeff.goto(f"{base}{APP}/{ticket}")
	card(jeff, answer_name).get_by_role("button", name="Accept: this solved it").click()
	dialog = jeff.get_by_role("dialog")
	dialog.get_by_text("Accept this answer").wait_for(timeout=WAIT)
	# Helpdesk's feedback, which v1.5 asks of every resolution: its first option
	dialog.get_by_label("Your feedback").click()
	jeff.get_by_role("option").nth(1).click()
	shot(jeff, "community-accept-dialog-1280.png")
	dialog.get_by_role("button", name="Accept", exact=True).click()
	card(jeff, answer_name).get_by_text("✓ Accepted by the asker").wait_for(timeout=WAIT)
	jeff.get_by_text("Accepted. Thank you!").wait_for(timeout=WAIT)  # the toast
	resolved = admin.get(f"/api/resource/HD Ticket/{ticket}").json()["data"]
	assert resolved["peer_status"] == "Accepted" and resolved["peer_accepted_answer"] == answer_name
	for page in (lottie, mia, jeff):
		page.context.close()


def test_a_half_written_answer_survives_actions_on_other_answers(browser, admin, people, run_id):
	"""The old page redrew everything after each action, draft included; here an action patches the
	answer it changed and nothing else (the editor's element is the very same one afterwards)."""
	ticket = shared_question(admin, people, f"VPN {run_id} disconnects every hour", asker="jeff")
	first = answer(people, "mia", ticket, "Switch the VPN client to **TCP**.")
	lottie = logged_in_page(browser, people["lottie"])
	lottie.goto(f"{people['lottie'].base}{APP}/{ticket}")
	editor = lottie.get_by_label("Answer (rich text or Markdown)")
	editor.click()
	lottie.keyboard.type("Half written: check the idle timeout")
	editor.evaluate("node => { node.dataset.sameNode = 'yes' }")

	card(lottie, first).get_by_role("button", name="Helpful", exact=True).click()
	card(lottie, first).locator("[data-score]").filter(has_text="1").wait_for(timeout=WAIT)
	card(lottie, first).get_by_role("button", name="Not helpful").click()
	card(lottie, first).locator("[data-score]").filter(has_text="-1").wait_for(timeout=WAIT)
	card(lottie, first).get_by_role("button", name="Flag").click()
	dialog = lottie.get_by_role("dialog")
	dialog.get_by_label("What is wrong with this answer?").fill("It is only a guess.")
	dialog.get_by_role("button", name="Flag", exact=True).click()
	lottie.get_by_text("Thank you: the service desk will review it").wait_for(timeout=WAIT)
	lottie.get_by_role("button", name="Follow").click()
	lottie.get_by_role("button", name="✓ Following").wait_for(timeout=WAIT)

	assert editor.get_attribute("data-same-node") == "yes", "the editor was redrawn"
	assert "Half written: check the idle timeout" in editor.inner_text()
	shot(lottie, "community-draft-kept-1280.png")
	# and the draft outlives a reload (kept per ticket in the browser)
	lottie.reload()
	lottie.get_by_label("Answer (rich text or Markdown)").get_by_text("Half written").wait_for(timeout=WAIT)
	lottie.get_by_role("button", name="Post answer").click()
	lottie.locator("article[data-answer]").filter(has_text="idle timeout").wait_for(timeout=WAIT)
	lottie.context.close()


def test_agent_moderates_in_the_same_page(browser, admin, people, run_id):
	ticket = shared_question(admin, people, f"Printer {run_id} prints in pink", asker="mia")
	good = answer(people, "lottie", ticket, "Replace the **cyan cartridge**.")
	bad = answer(people, "jeff", ticket, "Send me your password and I will fix it.")
	agent = logged_in_page(browser, people["agent"])
	agent.goto(f"{people['agent'].base}{APP}/{ticket}")
	card(agent, good).get_by_role("button", name="Endorse (verified by IT)").click()
	card(agent, good).get_by_text("Verified by IT · Derek").wait_for(timeout=WAIT)

	card(agent, bad).get_by_role("button", name="Hide", exact=True).click()
	dialog = agent.get_by_role("dialog")
	dialog.get_by_label("Why is this answer hidden?").fill("Asks for a password")
	dialog.get_by_role("button", name="Hide", exact=True).click()
	card(agent, bad).get_by_text("Hidden: Asks for a password").wait_for(timeout=WAIT)
	agent.get_by_text("Answer hidden").first.wait_for(timeout=WAIT)
	card(agent, bad).get_by_role("button", name="Show again").wait_for(
		timeout=WAIT
	)  # once the dialog is gone
	shot(agent, "community-moderation-1280.png")

	lottie = logged_in_page(browser, people["lottie"])
	lottie.goto(f"{people['lottie'].base}{APP}/{ticket}")
	card(lottie, good).get_by_text("Verified by IT").wait_for(timeout=WAIT)
	assert card(lottie, bad).count() == 0, "a hidden answer is not shown to colleagues"
	assert card(lottie, good).get_by_role("button", name="Hide").count() == 0
	rows = admin.get(
		"/api/resource/Peer Answer",
		params={
			"filters": json.dumps([["name", "=", bad]]),
			"fields": json.dumps(["hidden", "hidden_reason"]),
		},
	).json()["data"]
	assert rows == [{"hidden": 1, "hidden_reason": "Asks for a password"}]
	for page in (agent, lottie):
		page.context.close()


def test_feed_and_ticket_page_on_a_phone(browser, admin, people, run_id):
	subject = f"Teams {run_id} camera is black"
	ticket = shared_question(admin, people, subject)
	answer(people, "lottie", ticket, "Close every other app that uses the camera, then restart Teams.")
	phone = logged_in_page(browser, people["mia"], width=375, height=812)
	base = people["mia"].base
	phone.goto(f"{base}{APP}")
	phone.get_by_label("Search questions").fill(f"teams {run_id}")
	phone.get_by_role("link", name=subject).wait_for(timeout=WAIT)
	no_sideways_scroll(phone)
	shot(phone, "community-feed-375.png")
	phone.get_by_role("button", name="Open menu").click()
	phone.get_by_role("link", name="Profile").click()
	phone.get_by_role("heading", name="Leaderboard").wait_for(timeout=WAIT)
	no_sideways_scroll(phone)
	phone.goto(f"{base}{APP}/{ticket}")
	phone.get_by_text("Close every other app").wait_for(timeout=WAIT)
	no_sideways_scroll(phone)
	shot(phone, "community-ticket-375.png")
	phone.context.close()


def test_the_app_speaks_the_users_language(browser, admin, people, run_id):
	"""The boot data carries the user's language's messages (peer_support/translations/de.csv)."""
	email = people["emails"]["mia"]
	assert admin.put(f"/api/resource/User/{email}", json={"language": "de"}).status_code == 200
	try:
		page = logged_in_page(browser, people["mia"])
		page.goto(f"{people['mia'].base}{APP}")
		page.get_by_role("heading", name="Fragen von Kollegen").wait_for(timeout=WAIT)
		assert page.get_by_label("Fragen durchsuchen").count() == 1
		assert page.locator("html").get_attribute("lang") == "de"
		shot(page, "community-feed-de-1280.png")
		page.context.close()
	finally:
		admin.put(f"/api/resource/User/{email}", json={"language": "en"})


def test_feed_render_times(browser, admin, people, run_id):
	"""Time to first render (first contentful paint) and to a usable feed (its first row drawn) of ten
	fresh loads of the feed in headless Chromium on loopback, written to the artefacts (issue 16
	targets first render < 1 s; asserted loosely here, the benchmark holds the target)."""
	shared_question(admin, people, f"Headset {run_id} crackles")
	context = logged_in_page(browser, people["lottie"]).context
	paint, usable = [], []
	for _ in range(10):
		page = context.new_page()
		page.goto(f"{people['lottie'].base}{APP}")
		page.locator("[data-feed-row]").first.wait_for(timeout=WAIT)
		timings = page.evaluate(
			"""() => ({
				paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime,
				usable: performance.now(),
			})"""
		)
		paint.append(timings["paint"])
		usable.append(timings["usable"])
		page.close()
	context.close()
	median = lambda values: sorted(values)[len(values) // 2]  # noqa: E731
	result = {"first_contentful_paint_ms": round(median(paint)), "feed_row_drawn_ms": round(median(usable))}
	ARTIFACTS.mkdir(parents=True, exist_ok=True)
	(ARTIFACTS / "community-render-timings.json").write_text(json.dumps(result, indent=1))
	assert result["feed_row_drawn_ms"] < 5000, result


def test_side_by_side_with_helpdesks_own_portal(browser, admin, people, run_id):
	"""Jeff's Helpdesk portal (his tickets) and the community feed, at the same size, one beside the
	other in one picture; both draw with frappe-ui's type and colours."""
	shared_question(admin, people, f"Wi-Fi {run_id} in room 4 is slow")
	page = logged_in_page(browser, people["jeff"], width=1280, height=800)
	page.goto(f"{people['jeff'].base}{APP}")
	page.locator("[data-feed-row]").first.wait_for(timeout=WAIT)
	helpdesk = page.evaluate("window.helpdesk_link")
	# the same type (Inter); the text colours are frappe-ui's tokens of each Helpdesk's own frappe-ui
	style = "() => getComputedStyle(document.body).fontFamily.split(',')[0]"
	ours = page.evaluate(style)
	community = page.screenshot()
	page.goto(f"{people['jeff'].base}{helpdesk}")
	page.wait_for_load_state("networkidle")
	page.get_by_role("button").first.wait_for(timeout=WAIT)
	theirs = page.evaluate(style)
	portal = page.screenshot()
	assert ours == theirs, (ours, theirs)

	def img(png: bytes) -> str:
		return f'<img src="data:image/png;base64,{base64.b64encode(png).decode()}" style="width:640px">'

	page.set_viewport_size({"width": 1290, "height": 420})
	page.set_content(
		f'<body style="margin:0;display:flex;gap:10px;background:#ccc">{img(portal)}{img(community)}</body>'
	)
	shot(page, "side-by-side-helpdesk-portal-and-community-1280.png")
	page.context.close()


def test_links_both_ways_between_helpdesks_portal_and_the_community(browser, admin, people, run_id):
	"""From a ticket in Helpdesk's customer portal, "Ask colleagues" (an HD Form Script this app
	installs) opens its community page; from the community, "My tickets" opens Helpdesk's portal."""
	subject = f"Projector {run_id} shows no picture"
	ticket = shared_question(admin, people, subject)
	page = logged_in_page(browser, people["jeff"])
	base = people["jeff"].base
	page.goto(f"{base}{APP}")
	page.locator("[data-feed-row]").first.wait_for(timeout=WAIT)
	helpdesk = page.evaluate("window.helpdesk_link")
	page.get_by_text("My tickets").click()
	page.wait_for_url(f"**{helpdesk}**", timeout=WAIT)
	page.goto(f"{base}{helpdesk}/{ticket}")
	page.get_by_role("button", name="Ask colleagues").click()
	page.wait_for_url(f"**{APP}/{ticket}", timeout=WAIT)
	page.get_by_role("heading", name=subject).wait_for(timeout=WAIT)
	page.context.close()
