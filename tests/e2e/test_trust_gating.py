"""Risk gating over HTTP: a ticket whose type, team or priority the settings exclude stays private
through Helpdesk's REST, Desk's save and this app's API, for the agent and the requester alike."""

import json
import uuid

import pytest
from conftest import create, message

SETTINGS = "/api/resource/Peer Support Settings/Peer Support Settings"
SHARE = "/api/method/peer_support.api.tickets.share"
REFUSAL = "never shown to the community"


@pytest.fixture(scope="module")
def excluded(admin, people):
	"""Jeff's tickets of an excluded type, team and priority; the settings are restored afterwards."""
	run = uuid.uuid4().hex[:8]
	ticket_type = create(admin, "HD Ticket Type", {"name": f"Core banking {run}"})["name"]
	team = create(
		admin, "HD Team", {"team_name": f"Core systems {run}", "users": [{"user": people["emails"]["agent"]}]}
	)["name"]
	before = admin.get(SETTINGS).json()["data"]
	restore = {
		field: [{key: row[key]} for row in before[field]]
		for field, key in (("excluded_ticket_types", "ticket_type"), ("excluded_teams", "team"))
	}
	response = admin.put(
		SETTINGS,
		json={
			"excluded_ticket_types": [*restore["excluded_ticket_types"], {"ticket_type": ticket_type}],
			"excluded_teams": [*restore["excluded_teams"], {"team": team}],
		},
	)
	assert response.status_code == 200, response.text
	assert "Urgent" in [row["priority"] for row in response.json()["data"]["excluded_priorities"]]
	tickets = {}
	for kind, values in (
		("type", {"ticket_type": ticket_type, "priority": "Low"}),
		("team", {"agent_group": team, "priority": "Low"}),
		("priority", {"priority": "Urgent"}),
	):
		ticket = create(
			admin,
			"HD Ticket",
			{
				"subject": f"Core banking {run} down ({kind})",
				"raised_by": people["emails"]["jeff"],
				"customer": people["customer"],
				**values,
			},
		)
		tickets[kind] = str(ticket["name"])
	yield {
		"tickets": tickets,
		"values": {
			"type": {"ticket_type": ticket_type},
			"team": {"agent_group": team},
			"priority": {"priority": "Urgent"},
		},
	}
	response = admin.put(SETTINGS, json=restore)
	assert response.status_code == 200, response.text


def visibility(admin, name: str) -> str:
	return admin.get(f"/api/resource/HD Ticket/{name}").json()["data"]["peer_visibility"]


KINDS = ("type", "team", "priority")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("who", ["agent", "jeff"])
def test_rest_put_of_community_is_refused_with_a_message(admin, people, excluded, kind, who):
	name = excluded["tickets"][kind]
	response = people[who].put(f"/api/resource/HD Ticket/{name}", json={"peer_visibility": "Community"})
	assert response.status_code == 417, response.text
	assert REFUSAL in message(response)
	assert visibility(admin, name) == "Private"


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("who", ["agent", "jeff"])
def test_the_share_api_is_refused_with_a_message(admin, people, excluded, kind, who):
	name = excluded["tickets"][kind]
	response = people[who].post(SHARE, data={"ticket": name, "visibility": "Community"})
	assert response.status_code == 417 and REFUSAL in message(response), response.text
	assert visibility(admin, name) == "Private"


@pytest.mark.parametrize("kind", KINDS)
def test_desks_form_save_is_refused_with_a_message(admin, people, excluded, kind):
	name = excluded["tickets"][kind]
	doc = people["agent"].get(f"/api/resource/HD Ticket/{name}").json()["data"]
	doc |= {"doctype": "HD Ticket", "peer_visibility": "Community"}
	response = people["agent"].post(
		"/api/method/frappe.desk.form.save.savedocs", data={"doc": json.dumps(doc), "action": "Save"}
	)
	assert response.status_code == 417 and REFUSAL in message(response), response.text
	assert visibility(admin, name) == "Private"


@pytest.mark.parametrize("kind", KINDS)
def test_a_new_ticket_asking_for_community_starts_private(admin, people, excluded, kind):
	values = excluded["values"][kind]
	created = create(
		people["agent"],
		"HD Ticket",
		{
			"subject": f"Core banking again ({kind})",
			"priority": "Low",
			"raised_by": people["emails"]["jeff"],
			"peer_visibility": "Community",
			**values,
		},
	)
	assert visibility(admin, created["name"]) == "Private"
	filed = people["jeff"].post(
		"/api/method/helpdesk.helpdesk.doctype.hd_ticket.api.new",
		json={
			"doc": {
				"subject": f"Core banking, me too ({kind})",
				"priority": "Low",
				"peer_visibility": "Community",
				**values,
			}
		},
	)
	assert filed.status_code == 200, filed.text
	assert visibility(admin, filed.json()["message"]["name"]) == "Private"


def test_no_colleague_reads_them(people, excluded):
	for name in excluded["tickets"].values():
		response = people["lottie"].get("/api/method/peer_support.api.tickets.get", params={"ticket": name})
		assert response.status_code == 404, response.text
