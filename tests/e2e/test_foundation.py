"""The app answers over HTTP on a real bench: settings for IT, refusals for everyone else."""

import json

SETTINGS = "/api/resource/Peer Support Settings/Peer Support Settings"


def test_ping(base_url, admin):
	assert admin.get("/api/method/ping").json() == {"message": "pong"}


def test_settings_load_for_the_administrator(admin):
	response = admin.get(SETTINGS)
	assert response.status_code == 200
	data = response.json()["data"]
	assert data["enabled"] == 1 and data["default_visibility"] == "Private"
	assert [row["priority"] for row in data["excluded_priorities"]] == ["Urgent"]


def test_settings_form_page_loads_for_the_administrator(admin):
	response = admin.get("/app/peer-support-settings")
	assert response.status_code == 200
	doctype = admin.get(
		"/api/method/frappe.desk.form.load.getdoctype", params={"doctype": "Peer Support Settings"}
	)
	assert doctype.status_code == 200


def test_a_portal_user_is_refused_the_settings_with_403(people):
	for who in ("jeff", "lottie"):
		response = people[who].get(SETTINGS)
		assert response.status_code == 403, response.text
		body = response.json()
		assert body.get("exc_type") == "PermissionError"
		assert "Peer Support Settings" in json.loads(json.loads(body["_server_messages"])[0])["message"]
		update = people[who].put(SETTINGS, json={"enabled": 0})
		assert update.status_code == 403


def test_an_agent_may_read_but_not_change_the_settings(people):
	assert people["agent"].get(SETTINGS).status_code == 200
	assert people["agent"].put(SETTINGS, json={"enabled": 0}).status_code == 403


def test_the_agent_sees_the_peer_fields_on_the_ticket_form(people):
	response = people["agent"].get(
		"/api/method/frappe.desk.form.load.getdoctype", params={"doctype": "HD Ticket"}
	)
	assert response.status_code == 200
	fields = {
		f["fieldname"]: f
		for doc in response.json()["docs"]
		for f in doc.get("fields", [])
		if doc["name"] == "HD Ticket"
	}
	for fieldname in (
		"peer_visibility",
		"peer_status",
		"peer_accepted_answer",
		"peer_resolved",
		"peer_affected_count",
	):
		assert fieldname in fields, fieldname


def test_sharing_an_urgent_ticket_over_rest_is_refused_with_a_message(people, admin):
	ticket = admin.post(
		"/api/resource/HD Ticket",
		json={"subject": "Payroll run fails", "priority": "Urgent", "raised_by": people["emails"]["jeff"]},
	).json()["data"]
	assert ticket["peer_visibility"] == "Private"
	response = people["agent"].put(
		f"/api/resource/HD Ticket/{ticket['name']}", json={"peer_visibility": "Community"}
	)
	assert 400 <= response.status_code < 500, response.text
	assert "never shown to the community" in response.text
	assert (
		admin.get(f"/api/resource/HD Ticket/{ticket['name']}").json()["data"]["peer_visibility"] == "Private"
	)
