"""The Peer Support dashboard and overview report in Desk, as an agent, in headless Chromium."""

from conftest import ARTIFACTS, logged_in_page


def test_an_agent_sees_the_dashboard_and_the_report(browser, people):
	ARTIFACTS.mkdir(parents=True, exist_ok=True)
	page = logged_in_page(browser, people["agent"], height=1100)
	page.goto(f"{people['agent'].base}/app/dashboard-view/Peer Support")
	page.get_by_text("Tickets Resolved by Peers").first.wait_for(timeout=60_000)
	page.get_by_text("Peer Answers per Month").first.wait_for(timeout=60_000)
	page.wait_for_timeout(2000)  # charts draw after their data arrives
	page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)

	page.goto(f"{people['agent'].base}/app/query-report/Peer Support Overview")
	page.get_by_text("Resolved by Peers %").first.wait_for(timeout=60_000)
	page.wait_for_timeout(1500)
	page.screenshot(path=str(ARTIFACTS / "overview-report.png"), full_page=True)
	page.context.close()


def test_desk_hd_ticket_form_lists_the_peer_answers(browser, admin, people):
	from conftest import create

	ticket = str(
		create(
			admin,
			"HD Ticket",
			{
				"subject": "Docking station not charging",
				"priority": "Low",
				"raised_by": people["emails"]["jeff"],
				"customer": people["customer"],
			},
		)["name"]
	)
	assert (
		people["jeff"].post("/api/method/peer_support.api.tickets.share", data={"ticket": ticket}).status_code
		== 200
	)
	answer = people["lottie"].post(
		"/api/method/peer_support.api.answers.create",
		data={"ticket": ticket, "body": "Use the **USB-C port marked with a bolt**."},
	)
	assert answer.status_code == 200, answer.text
	page = logged_in_page(browser, people["agent"], height=1100)
	page.goto(f"{people['agent'].base}/app/hd-ticket/{ticket}")
	page.get_by_role("tab", name="Peer Support").click()
	page.locator(".peer-answer").get_by_text("USB-C port marked with a bolt").wait_for(timeout=60_000)
	assert "Lottie" in page.locator(".peer-answer").first.inner_text()
	page.screenshot(path=str(ARTIFACTS / "desk-hd-ticket-peer-answers.png"), full_page=True)
	page.context.close()
