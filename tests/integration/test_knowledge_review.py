"""Knowledge that decays on a real site: an article made from a peer answer keeps its sources, and goes
back to review when readers mark it "didn't help" (Helpdesk's own feedback), when a ticket it solved
is reopened, or when a deflected asker files the question; its authors hear of it once per review; an
agent closes the review; nobody else can. The jobs run at once in tests (frappe.flags.in_test)."""

from datetime import timedelta

import frappe
import pytest
from frappe.utils import now_datetime
from helpers import as_user, make_ticket, make_user, notifications, shared_ticket, update_settings

from peer_support import host
from peer_support.api import answers, community, knowledge, tickets
from peer_support.core.knowledge_review import CAME_BACK, DIDNT_HELP, REOPENED, REVIEWED, UNDER_REVIEW
from peer_support.patches import backfill_article_sources
from peer_support.peer_support.report.knowledge_review import knowledge_review as report
from peer_support.services import knowledge_review as review
from peer_support.services import search_index

NOTICE = "is under review"
FEEDBACK = "Clear guidance given"


@pytest.fixture
def article(people):
	"""Lottie's answer to Jeff's shared question, accepted (the ticket resolved through Helpdesk), made a
	draft by Derek and published."""
	update_settings(
		review_didnt_help_threshold=3, review_didnt_help_share=50, review_on_reopen=1, review_came_back_days=7
	)
	ticket = shared_ticket(people, "Label printer in the warehouse prints garbled text")
	answer = as_user(people.lottie, answers.create, ticket, "Set the **driver to ZPL**, not EPL.")["name"]
	as_user(people.jeff, answers.accept, answer, FEEDBACK)
	assert host.ticket_is_done(ticket)
	name = as_user(people.derek, knowledge.promote, answer, None, "Label printer prints garbled text")["name"]
	publish(people, name)
	return frappe._dict(ticket=ticket, answer=answer, name=name)


def publish(people, article: str) -> None:
	doc = frappe.get_doc("HD Article", article)
	doc.status = host.ARTICLE_PUBLISHED
	as_user(people.derek, doc.save)


def mark(user: str, article: str, helped: bool = False) -> None:
	"""The reader's mark through Helpdesk's own method, as its knowledge-base page sets it."""
	as_user(user, host.give_article_feedback, article, helped)


def reviews(article: str) -> list[frappe._dict]:
	return frappe.get_all(
		"Peer Article Review",
		filters={"article": article},
		fields=["name", "status", "reason", "ticket", "didnt_help", "helped", "open_article"],
		order_by="creation asc",
	)


def readers(people, count: int) -> list[str]:
	"""Colleagues at Acme who mark articles (besides the personas)."""
	return [make_user(f"reader{i}@acme.test", f"Reader{i}", people.acme) for i in range(count)]


def test_promote_records_the_articles_source(people, article):
	sources = review.sources_of(article.name)
	assert [(s.ticket, s.answer, s.author) for s in sources] == [
		(article.ticket, article.answer, people.lottie)
	]
	assert review.articles_from(article.ticket) == [article.name]


def test_didnt_help_past_the_threshold_sends_it_back_once_and_tells_its_authors_once(people, article):
	mark(people.mia, article.name)
	mark(people.max, article.name)
	assert reviews(article.name) == []
	mark(people.olga, article.name)  # the third: threshold 3, 3 of 3 marks

	(opened,) = reviews(article.name)
	assert (opened.status, opened.reason, opened.didnt_help, opened.helped) == (
		UNDER_REVIEW,
		DIDNT_HELP,
		3,
		0,
	)
	assert opened.open_article == article.name
	assert review.under_review([article.name]) == {article.name}
	for author in (people.derek, people.lottie):  # the article's author and the source answer's
		assert len(notifications(author, NOTICE)) == 1
	log = frappe.get_all(
		"Notification Log",
		filters={"for_user": people.lottie, "subject": ["like", f"%{NOTICE}%"]},
		fields=["link", "document_type", "document_name"],
	)[0]
	assert (log.document_type, log.document_name) == ("HD Article", article.name)
	assert log.link == host.public_article_route(article.name)  # a colleague reads the public page

	# more marks and the hourly scan: still one review, one notification each
	mark(readers(people, 1)[0], article.name)
	assert review.scan_feedback() == []
	assert len(reviews(article.name)) == 1
	for author in (people.derek, people.lottie):
		assert len(notifications(author, NOTICE)) == 1


def test_many_helpful_marks_outweigh_a_few_complaints(people, article):
	for reader in readers(people, 4):
		mark(reader, article.name, helped=True)
	for user in (people.mia, people.max, people.olga):
		mark(user, article.name)
	assert reviews(article.name) == []  # 3 of 7 marks, under the 50% share


def test_a_mark_changed_in_place_is_found_by_the_hourly_scan(people, article):
	"""Helpdesk changes an existing mark with db.set_value: no doc event, only `modified` moves."""
	for user in (people.mia, people.max, people.olga):
		mark(user, article.name, helped=True)
	assert reviews(article.name) == []
	for user in (people.mia, people.max, people.olga):
		mark(user, article.name)  # like -> dislike, in place
	assert frappe.db.count(host.ARTICLE_FEEDBACK, {"article": article.name}) == 3
	assert review.scan_feedback() == [reviews(article.name)[0].name]
	assert reviews(article.name)[0].reason == DIDNT_HELP


def test_the_source_ticket_reopened_sends_it_back(people, article):
	ticket = frappe.get_doc("HD Ticket", article.ticket)
	host.reopen(ticket)
	as_user(people.derek, ticket.save)
	assert not host.ticket_is_done(article.ticket)
	(opened,) = reviews(article.name)
	assert (opened.reason, opened.ticket) == (REOPENED, article.ticket)
	assert len(notifications(people.lottie, NOTICE)) == 1


def test_a_ticket_whose_desk_reply_linked_the_article_reopened_sends_it_back(people, article):
	other = shared_ticket(people, "Warehouse label printer prints symbols")
	frappe.get_doc(
		{
			"doctype": "Communication",
			"communication_type": "Communication",
			"communication_medium": "Email",
			"sent_or_received": "Sent",
			"subject": "Re: Warehouse label printer prints symbols",
			"content": f'<p>See <a href="{host.public_article_route(article.name)}">this article</a>.</p>',
			"reference_doctype": "HD Ticket",
			"reference_name": other,
		}
	).insert(ignore_permissions=True)
	assert review.articles_used_by(other) == [article.name]
	doc = frappe.get_doc("HD Ticket", other)
	host.resolve(doc, FEEDBACK)
	as_user(people.derek, doc.save)
	assert reviews(article.name) == []  # resolving is no trigger
	doc.reload()
	host.reopen(doc)
	as_user(people.derek, doc.save)
	(opened,) = reviews(article.name)
	assert (opened.reason, opened.ticket) == (REOPENED, other)


def test_reopening_is_ignored_when_switched_off(people, article):
	update_settings(review_on_reopen=0)
	ticket = frappe.get_doc("HD Ticket", article.ticket)
	host.reopen(ticket)
	as_user(people.derek, ticket.save)
	assert reviews(article.name) == []


def test_a_deflected_asker_filing_the_same_question_sends_it_back(people, article):
	search_index.index("HD Article", article.name)
	session = as_user(people.max, community.ask_started)["session"]
	as_user(people.max, community.deflect, "label printer garbled text", None, article.name, session)
	filed = str(
		as_user(
			people.max,
			lambda: frappe.get_doc(
				{
					"doctype": "HD Ticket",
					"subject": "Label printer prints garbled text again",
					"description": "<p>The warehouse label printer prints garbled text.</p>",
					"raised_by": people.max,
					"customer": people.acme,
					"priority": "Low",
					"via_customer_portal": 1,
				}
			).insert(),
		).name
	)
	as_user(people.max, community.ask_filed, session, filed)
	(opened,) = reviews(article.name)
	assert (opened.reason, opened.ticket) == (CAME_BACK, filed)


def test_a_deflection_long_ago_does_not_count(people, article):
	search_index.index("HD Article", article.name)
	deflection = as_user(people.max, community.deflect, "label printer garbled", None, article.name)["name"]
	frappe.db.set_value(
		"Peer Deflection", deflection, "creation", now_datetime() - timedelta(days=8), update_modified=False
	)
	ticket = make_ticket(
		"Label printer prints garbled text again", raised_by=people.max, customer=people.acme
	)
	assert review.deflection_came_back(people.max, str(ticket.name)) == []
	assert reviews(article.name) == []


def test_a_draft_never_goes_back_to_review(people, article):
	doc = frappe.get_doc("HD Article", article.name)
	doc.status = host.ARTICLE_DRAFT
	as_user(people.derek, doc.save)
	for user in (people.mia, people.max, people.olga):
		mark(user, article.name)
	assert review.open_review(article.name, DIDNT_HELP) is None
	assert reviews(article.name) == []


def test_an_agent_closes_the_review_and_the_marks_start_over(people, article):
	for user in (people.mia, people.max, people.olga):
		mark(user, article.name)
	(opened,) = reviews(article.name)
	closed = as_user(people.derek, knowledge.close_review, opened.name, "Added the EPL/ZPL switch screenshot")
	assert closed["status"] == REVIEWED
	row = frappe.db.get_value(
		"Peer Article Review", opened.name, ["status", "closed_by", "note", "open_article"], as_dict=True
	)
	assert (row.status, row.closed_by, row.open_article) == (REVIEWED, people.derek, None)
	assert review.under_review([article.name]) == set()
	with pytest.raises(frappe.ValidationError, match="closed already"):
		as_user(people.derek, knowledge.close_review, opened.name)

	# the old marks were answered by the review: only new ones count
	frappe.db.sql(
		"UPDATE `tabHD Article Feedback` SET modified = %s WHERE article = %s",
		(now_datetime() - timedelta(minutes=5), article.name),
	)
	frappe.db.set_value(
		"Peer Article Review",
		opened.name,
		"closed_on",
		now_datetime() - timedelta(minutes=1),
		update_modified=False,
	)
	assert review.check_feedback(article.name) is None
	for reader in readers(people, 3):
		mark(reader, article.name)
	second = reviews(article.name)
	assert [r.status for r in second] == [REVIEWED, UNDER_REVIEW]
	assert second[1].didnt_help == 3
	assert len(notifications(people.lottie, NOTICE)) == 2  # once per review


def test_only_agents_close_a_review_and_nobody_writes_one_directly(people, article):
	for user in (people.mia, people.max, people.olga):
		mark(user, article.name)
	(opened,) = reviews(article.name)
	for user in (people.lottie, people.jeff):  # the source answer's author, a colleague
		with pytest.raises(frappe.DoesNotExistError):
			as_user(user, knowledge.close_review, opened.name, "looks fine to me")
	with pytest.raises(frappe.PermissionError):  # the document method from Desk or REST (run_doc_method)
		as_user(people.lottie, frappe.get_doc("Peer Article Review", opened.name).close)
	assert frappe.db.get_value("Peer Article Review", opened.name, "status") == UNDER_REVIEW
	assert not frappe.has_permission("Peer Article Review", "read", user=people.lottie)
	assert frappe.has_permission("Peer Article Review", "read", user=people.derek)

	doc = frappe.get_doc("Peer Article Review", opened.name)
	doc.update({"status": REVIEWED, "open_article": None})
	with pytest.raises(frappe.PermissionError):
		doc.save()  # the Administrator, in a console: refused too
	source = frappe.get_all("Peer Article Source", filters={"article": article.name}, pluck="name")[0]
	doc = frappe.get_doc("Peer Article Source", source)
	doc.author = people.jeff
	with pytest.raises(frappe.PermissionError):
		doc.save()
	with pytest.raises(frappe.PermissionError):
		frappe.get_doc(
			{"doctype": "Peer Article Review", "article": article.name, "reason": DIDNT_HELP}
		).insert()


def test_the_community_page_shows_under_review(people, article):
	search_index.index("HD Article", article.name)
	found = as_user(people.mia, community.similar, "Label printer prints garbled text")
	row = next(a for a in found["articles"] if a["name"] == article.name)
	assert row["under_review"] is False
	page = as_user(people.mia, tickets.get, article.ticket)
	assert [(a["name"], a["under_review"]) for a in page["articles"]] == [(article.name, False)]

	for user in (people.mia, people.max, people.olga):
		mark(user, article.name)
	found = as_user(people.mia, community.similar, "Label printer prints garbled text")
	assert next(a for a in found["articles"] if a["name"] == article.name)["under_review"] is True
	page = as_user(people.mia, tickets.get, article.ticket)
	assert page["articles"][0]["under_review"] is True
	assert page["articles"][0]["route"] == host.public_article_route(article.name)


def test_the_review_queue_report(people, article):
	for user in (people.mia, people.max, people.olga):
		mark(user, article.name)
	columns, rows, _, _, summary = as_user(people.derek, report.execute, {"status": UNDER_REVIEW})
	row = next(r for r in rows if r["article"] == article.name)
	assert row["reason"] == DIDNT_HELP and row["didnt_help"] == 3
	assert row["author"] == "Derek"
	assert "Lottie" in row["source_authors"]
	assert summary[0]["value"] >= 1
	with pytest.raises(frappe.PermissionError):
		as_user(people.lottie, report.execute, {"status": UNDER_REVIEW})


def test_the_patch_backfills_sources_of_articles_promoted_before(people, article):
	frappe.db.delete("Peer Article Source", {"article": article.name})
	assert review.sources_of(article.name) == []
	backfill_article_sources.execute()
	backfill_article_sources.execute()  # idempotent
	assert [(s.ticket, s.answer, s.author) for s in review.sources_of(article.name)] == [
		(article.ticket, article.answer, people.lottie)
	]
