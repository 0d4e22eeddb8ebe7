"""The write path: Desk's and REST's generic writes (POST, PUT, DELETE on /api/resource) of every doctype
of this app are refused for every persona, the Administrator included, with a 403 and a message, and
the stored records do not change. The community's own actions (answer, vote, flag, ...) are the only
way in; the trust matrix covers who may use them."""

import json

import pytest
from conftest import create, message

from peer_support.tests.personas import in_site
from peer_support.tests.records import app_written

TICKETS = "/api/method/peer_support.api.tickets"
ANSWERS = "/api/method/peer_support.api.answers"
COMMUNITY = "/api/method/peer_support.api.community"
PERSONAS = ("guest", "outsider", "colleague", "author", "requester", "agent", "admin")

# A forged value for each doctype: what a persona would like to be true.
FORGED = {
	"Peer Answer": {
		"score": 999,
		"accepted": 1,
		"endorsed_by": "Administrator",
		"hidden": 0,
		"flags_count": 0,
		"body": "<p>Words put in a colleague's mouth</p>",
	},
	"Peer Answer Vote": {"value": -1, "points": 100},
	"Peer Answer Flag": {"reason": "forged"},
	"Peer Ticket Affected": {"user": "Administrator"},
	"Peer Ticket Follower": {"user": "Administrator"},
	"Peer Reputation Event": {"points": 1000, "reason": "Upvote"},
	"Peer Reputation Period": {"points": 1000},
	"Peer Profile": {"reputation": 1000, "accepted": 50, "involvement": "Real-time"},
	"Peer Deflection": {"query": "forged"},
	"Peer Ask Session": {"outcome": "Deflected"},
	"Peer Known Issue": {"status": "Resolved", "title": "forged"},
	"Peer Known Issue Subscriber": {"user": "Administrator"},
	"Peer Incident Alert": {"status": "Dismissed"},
	"Peer Article Review": {"status": "Reviewed"},
	"Peer Article Source": {"author": "Administrator"},
	"Peer Search Entry": {"customer": "forged", "content": "forged"},
}


@pytest.fixture(scope="module")
def records(admin, people, outsider):
	"""One record of each doctype, made through the community's own actions."""
	ticket = str(
		create(
			admin,
			"HD Ticket",
			{
				"subject": "Write path: the scanner saves blank PDFs",
				"priority": "Low",
				"raised_by": people["emails"]["jeff"],
				"customer": people["customer"],
			},
		)["name"]
	)
	assert people["jeff"].post(f"{TICKETS}.share", data={"ticket": ticket}).status_code == 200
	answer = people["lottie"].post(
		f"{ANSWERS}.create", data={"ticket": ticket, "body": "<p>Clean the glass.</p>"}
	)
	assert answer.status_code == 200, answer.text
	answer = answer.json()["message"]["name"]
	for client, path, data in (
		(people["mia"], f"{ANSWERS}.vote", {"answer": answer, "value": 1}),
		(people["mia"], f"{ANSWERS}.flag", {"answer": answer, "reason": "Outdated"}),
		(people["mia"], f"{TICKETS}.affected", {"ticket": ticket}),
		(people["mia"], f"{TICKETS}.follow", {"ticket": ticket}),
		(people["mia"], f"{COMMUNITY}.deflect", {"query": "scanner blank", "ticket": ticket}),
		(people["mia"], f"{COMMUNITY}.ask_started", {}),
	):
		response = client.post(path, data=data)
		assert response.status_code == 200, (path, response.text)
	clients = {
		"guest": type(admin)(admin.base),
		"outsider": outsider,
		"colleague": people["mia"],
		"author": people["lottie"],
		"requester": people["jeff"],
		"agent": people["agent"],
		"admin": admin,
	}
	with in_site():  # what the app writes in its jobs and agents' actions, written as those write them
		names = app_written(ticket, answer, people["emails"]["mia"], people["emails"]["lottie"])
	for doctype in set(FORGED) - set(names):
		filters = (
			[["user", "in", [people["emails"]["lottie"], people["emails"]["mia"]]]]
			if doctype in ("Peer Reputation Event", "Peer Reputation Period", "Peer Profile")
			else []
		)
		rows = rows_of(admin, doctype, filters)
		assert rows, f"no {doctype} to write to"
		names[doctype] = rows[0]["name"]
	return {
		"ticket": ticket,
		"answer": answer,
		"clients": clients,
		"names": names,
		"agent": people["emails"]["agent"],
	}


def rows_of(admin, doctype: str, filters: list) -> list[dict]:
	response = admin.get(
		f"/api/resource/{doctype}",
		params={
			"fields": json.dumps(["*"]),
			"limit_page_length": 0,
			"filters": json.dumps(filters),
			"order_by": "creation desc",
		},
	)
	assert response.status_code == 200, response.text
	return response.json()["data"]


def stored(admin, doctype: str, name: str) -> dict:
	response = admin.get(f"/api/resource/{doctype}/{name}")
	assert response.status_code == 200, response.text
	return response.json()["data"]


def count(admin, doctype: str) -> int:
	response = admin.get("/api/method/frappe.client.get_count", params={"doctype": doctype})
	assert response.status_code == 200, response.text
	return response.json()["message"]


@pytest.mark.parametrize("doctype", list(FORGED))
@pytest.mark.parametrize("persona", PERSONAS)
def test_generic_writes_are_refused_and_change_nothing(admin, records, doctype, persona):
	client = records["clients"][persona]
	name = records["names"][doctype]
	before, rows_before = stored(admin, doctype, name), count(admin, doctype)
	forged = FORGED[doctype]
	payload = {
		**{
			k: v
			for k, v in before.items()
			if not k.startswith("_")
			and k not in ("name", "creation", "modified", "owner", "modified_by", "idx", "docstatus")
		},
		**forged,
	}
	attempts = {
		"POST": client.post(f"/api/resource/{doctype}", json=payload),
		"PUT": client.put(f"/api/resource/{doctype}/{name}", json=forged),
		"DELETE": client.delete(f"/api/resource/{doctype}/{name}"),
		"set_value": client.post(
			"/api/method/frappe.client.set_value",
			data={"doctype": doctype, "name": name, "fieldname": json.dumps(forged)},
		),
	}
	for method, response in attempts.items():
		assert response.status_code == 403, (
			persona,
			doctype,
			method,
			response.status_code,
			response.text[:300],
		)
		if persona == "admin":  # past every role check: the doctype's own rule answers, in words
			assert message(response), (doctype, method)
	after = stored(admin, doctype, name)
	assert {k: after.get(k) for k in before} == before, (persona, doctype)
	assert count(admin, doctype) == rows_before, (persona, doctype)


def run_doc_method(client, answer: str, method: str, **args):
	return client.post(
		"/api/method/run_doc_method",
		data={"dt": "Peer Answer", "dn": answer, "method": method, "args": json.dumps(args)},
	)


def test_desk_and_rest_reach_the_same_document_methods_and_rules(admin, records):
	"""What Desk's form buttons call: the document's whitelisted methods, with the API's rules."""
	clients, answer = records["clients"], records["answer"]
	for persona in ("guest", "outsider", "colleague", "author", "requester"):  # no role on Peer Answer
		assert run_doc_method(clients[persona], answer, "endorse").status_code == 403, persona
	voted = run_doc_method(clients["admin"], answer, "vote", value=1)
	assert voted.status_code == 403 and "endorse" in message(voted)  # the Administrator is the service desk
	assert not stored(admin, "Peer Answer", answer).get("endorsed_by")
	endorsed = run_doc_method(clients["agent"], answer, "endorse")
	assert endorsed.status_code == 200, endorsed.text
	assert stored(admin, "Peer Answer", answer).get("endorsed_by") == records["agent"]
	assert run_doc_method(clients["agent"], answer, "unendorse").status_code == 200
