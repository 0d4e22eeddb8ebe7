"""The peer window in the browser: a shared ticket whose colleagues' share of the first-response budget
has passed is escalated by the app's own job, and the community page says "The service desk is on it";
the agent reads the Peer Window report in Desk. Time passes by moving the ticket's sharing moment (this
app's column, in the site) back before its window, never by sleeping; Helpdesk's SLA is not touched."""

from datetime import timedelta

from conftest import create, logged_in_page, shot
from test_accessibility import violations

from peer_support.tests.personas import in_site

API = "/api/method/peer_support.api"


def window_passed(ticket: str) -> list[str]:
	"""In the site: the ticket was shared long enough ago that its window (the settings' share of the
	budget from sharing to Helpdesk's Response By) ended an hour ago; then the five-minute job runs."""
	import frappe
	from frappe.utils import get_datetime, now_datetime

	from peer_support import host
	from peer_support.peer_support.doctype.peer_support_settings.peer_support_settings import get_settings
	from peer_support.services import peer_window

	with in_site():
		row = frappe.db.get_value(
			host.TICKET, ticket, ["ticket_type", "priority", host.RESPONSE_BY], as_dict=True
		)
		response_by, now = get_datetime(row[host.RESPONSE_BY]), now_datetime()
		share = get_settings().window_share_for(row.ticket_type, row.priority) / 100
		assert 0 < share < 1, "the peer window is on (Peer Support Settings)"
		# start + (response_by - start) * share = now - 1 h  =>  start = (now - 1 h - share * response_by) / (1 - share)
		target = now - timedelta(hours=1)
		start = response_by - (response_by - target) / (1 - share)
		frappe.db.set_value(host.TICKET, ticket, peer_window.SHARED_ON, start, update_modified=False)
		assert peer_window.deadline_of(frappe.db.get_value(host.TICKET, ticket, ["*"], as_dict=True)) < now
		return peer_window.escalate_due()


def test_the_service_desk_is_on_it_after_the_window_and_the_report(browser, admin, people):
	ticket = str(
		create(
			admin,
			"HD Ticket",
			{
				"subject": "Meeting room screen stays black",
				"priority": "Low",
				"description": "<p>Room 2.14, since this morning.</p>",
				"raised_by": people["emails"]["jeff"],
				"customer": people["customer"],
			},
		)["name"]
	)
	assert people["jeff"].post(f"{API}.tickets.share", data={"ticket": ticket}).status_code == 200
	sla = {
		k: v
		for k, v in admin.get(f"/api/resource/HD Ticket/{ticket}").json()["data"].items()
		if k in ("response_by", "resolution_by", "first_responded_on", "agreement_status", "priority")
	}
	before = people["lottie"].get(f"{API}.tickets.get", params={"ticket": ticket}).json()["message"]
	assert before["service_desk_on_it"] is False and before["peer_window_ends"]

	base = people["lottie"].base
	lottie = logged_in_page(browser, people["lottie"])
	lottie.goto(f"{base}/community/{ticket}")
	lottie.locator("[data-peer-window=open]").wait_for(timeout=30_000)
	shot(lottie, "peer-window-open-1280.png")

	assert ticket in window_passed(ticket)
	lottie.reload()
	notice = lottie.locator("[data-peer-window=escalated]")
	notice.wait_for(timeout=30_000)
	assert "The service desk is on it." in notice.inner_text()
	assert violations(lottie) == [], "the notice is readable (axe-core: contrast and the rest)"
	shot(lottie, "peer-window-service-desk-on-it-1280.png")
	lottie.context.close()
	after = admin.get(f"/api/resource/HD Ticket/{ticket}").json()["data"]
	assert {k: after.get(k) for k in sla} == sla, "Helpdesk's SLA fields are as Helpdesk left them"

	agent = logged_in_page(browser, people["agent"], height=1000)
	agent.goto(f"{people['agent'].base}/app/query-report/Peer Window")
	agent.get_by_text("Escalated to the Desk").first.wait_for(timeout=60_000)
	agent.locator(".dt-scrollable .dt-row").first.wait_for(timeout=60_000)
	agent.locator(".chart-wrapper svg").first.wait_for(timeout=60_000)  # drawn after its data arrives
	shot(agent, "peer-window-report-desk.png")
	agent.context.close()
