"""Suggestions over HTTP and in Chromium: a question worded differently from the solved one finds it
(the semantic side), with its accepted answer, on the Ask page; the agent's ticket view lists similar
solved tickets; nobody is shown a ticket they may not read. Indexing runs in the harness's worker."""

import pytest
from conftest import ARTIFACTS, create, logged_in_page, solved_question

API = "/api/method/peer_support.api"
SOLVED = "Mail client prompts for credentials again and again"
ANSWER = "Remove the stored sign-in in Credential Manager, then sign in once with the authenticator."
TYPED = "Outlook keeps asking for my password"


@pytest.fixture(scope="module")
def solved(admin, people) -> str:
	"""Mia's question, answered by Lottie and accepted."""
	return solved_question(
		admin, people, SOLVED, "<p>The window comes back every few minutes since Monday.</p>", ANSWER
	)


def names(rows) -> list[str]:
	return [str(row["name"]) for row in rows]


def test_a_paraphrase_finds_the_solved_question_for_colleagues_only(people, outsider, solved):
	found = people["jeff"].get(f"{API}.community.similar", params={"subject": TYPED}).json()["message"]
	assert solved in names(found["tickets"])
	row = found["tickets"][names(found["tickets"]).index(solved)]
	assert "Credential Manager" in row["accepted_answer"]
	other = outsider.get(f"{API}.community.similar", params={"subject": TYPED}).json()["message"]
	assert solved not in names(other["tickets"])


def test_the_agent_gets_similar_solved_tickets_and_portal_users_do_not(admin, people, solved):
	current = str(
		create(
			admin,
			"HD Ticket",
			{
				"subject": TYPED,
				"priority": "Low",
				"description": "<p>It asks every time I open it.</p>",
				"raised_by": people["emails"]["jeff"],
				"customer": people["customer"],
			},
		)["name"]
	)
	found = people["agent"].get(f"{API}.knowledge.similar", params={"ticket": current})
	assert found.status_code == 200, found.text
	assert solved in names(found.json()["message"]["tickets"])
	assert current not in names(found.json()["message"]["tickets"])
	refused = people["jeff"].get(f"{API}.knowledge.similar", params={"ticket": current})
	assert refused.status_code == 403


def test_the_ask_page_and_the_agent_view_in_the_browser(browser, admin, people, solved):
	ARTIFACTS.mkdir(parents=True, exist_ok=True)
	jeff = logged_in_page(browser, people["jeff"])
	jeff.goto(f"{people['jeff'].base}/community/ask")
	jeff.get_by_label("What do you need help with?").fill(TYPED)
	jeff.get_by_text("Maybe already solved").wait_for(timeout=30_000)
	text = jeff.locator("#ps-suggestions").inner_text()
	assert SOLVED in text and "Credential Manager" in text
	jeff.screenshot(path=str(ARTIFACTS / "ask-semantic-suggestion-1280.png"), full_page=True)
	jeff.context.close()

	current = str(
		create(
			admin,
			"HD Ticket",
			{
				"subject": "Outlook wants the password on every start",
				"priority": "Low",
				"description": "<p>Since this morning.</p>",
				"raised_by": people["emails"]["jeff"],
				"customer": people["customer"],
			},
		)["name"]
	)
	agent = logged_in_page(browser, people["agent"])
	agent.goto(f"{people['agent'].base}/helpdesk/tickets/{current}")
	action = agent.get_by_role("button", name="Similar solved")
	action.wait_for(timeout=60_000)
	action.click()
	dialog = agent.get_by_role("dialog", name="Similar solved tickets")
	dialog.get_by_text(SOLVED).wait_for(timeout=30_000)
	assert "Credential Manager" in dialog.inner_text()
	agent.screenshot(path=str(ARTIFACTS / "agent-similar-solved.png"), full_page=True)
	agent.context.close()
