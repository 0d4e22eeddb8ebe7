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
