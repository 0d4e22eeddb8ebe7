"""Private stays private through Helpdesk's own endpoints too, whatever its version: its search and
its knowledge base (drafts, which this app makes from peer answers, stay with the service desk)."""

import json
import uuid

import pytest
from conftest import create

SEARCH_METHODS = ("helpdesk.api.search.search", "helpdesk.search.search")  # v1.2x, v1.5


@pytest.fixture(scope="module")
def private(admin, people):
	run = uuid.uuid4().hex[:8]
	ticket = str(
		create(
			admin,
			"HD Ticket",
			{
				"subject": f"Payslip {run} shows the wrong salary",
				"priority": "Low",
				"raised_by": people["emails"]["jeff"],
				"customer": people["customer"],
			},
		)["name"]
	)
	draft = create(
		admin,
		"HD Article",
		{
			"title": f"Draft {run}: resetting the payroll PIN",
			"status": "Draft",
			"content": f"<p>Internal {run}</p>",
		},
	)["name"]
	return {"run": run, "ticket": ticket, "draft": draft}


@pytest.mark.parametrize("who", ["lottie", "mia"])
def test_helpdesk_search_never_returns_a_colleagues_private_ticket(people, private, who):
	for method in SEARCH_METHODS:
		response = people[who].get(f"/api/method/{method}", params={"query": f"payslip {private['run']}"})
		if response.status_code == 200:
			assert private["run"] not in response.text, (method, response.text[:300])
		else:  # this host has no such endpoint, or no search index on a test site: nothing is returned
			assert "Payslip" not in response.text, (method, response.status_code)


def test_draft_articles_stay_with_the_service_desk(people, outsider, private):
	draft = private["draft"]
	for client in (people["lottie"], people["jeff"], outsider):
		assert client.get(f"/api/resource/HD Article/{draft}").status_code in (403, 404)
		listed = client.get(
			"/api/resource/HD Article", params={"filters": json.dumps([["name", "=", draft]])}
		)
		assert listed.status_code in (200, 403) and draft not in listed.text
		kb = client.get("/api/method/helpdesk.api.knowledge_base.get_article", params={"name": draft})
		assert kb.status_code in (403, 404) and private["run"] not in kb.text
	assert people["agent"].get(f"/api/resource/HD Article/{draft}").status_code == 200
