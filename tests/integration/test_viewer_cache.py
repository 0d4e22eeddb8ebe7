"""Who a user is to this app (agent or not, whose contact) is cached per user in Redis, and never
answers for a change of Helpdesk's contacts, customers, agents or roles: the transaction that makes
the change sees it at once, a rollback leaves nothing stale, and a stale entry lives VIEWER_SECONDS at
most. The suggestion index's word counts follow the index the same way."""

import time

import frappe
from helpers import shared_ticket

from peer_support import host
from peer_support.api import community
from peer_support.services import access, search_index
from peer_support.services.access import VIEWER_SECONDS, VIEWERS, viewer
from peer_support.tests.personas import contact_of, make_customer


def cached(user: str):
	frappe.local.cache = {}  # what Redis holds, not this request's copy
	return frappe.cache.hget(VIEWERS, user)


def test_a_viewer_is_read_once_and_then_from_the_cache(people):
	frappe.cache.delete_value(VIEWERS)
	assert viewer(people.jeff).customers == {people.acme}
	entry = cached(people.jeff)
	assert entry[1] is False and entry[2] == [people.acme]
	queries = []
	original = frappe.db.sql
	frappe.db.sql = lambda *args, **kwargs: queries.append(args[0]) or original(*args, **kwargs)
	try:
		assert viewer(people.jeff) == viewer(people.jeff)
	finally:
		frappe.db.sql = original
	assert queries == []
	assert viewer(people.derek).is_agent and cached(people.derek)[1] is True


def test_a_new_customer_is_seen_in_its_own_transaction_and_gone_after_a_rollback(people):
	viewer(people.olga)  # cached: Globex
	Olga = people.olga
	host.add_contact_to_customer(contact_of(Olga), people.acme)
	# the change is not committed: nobody may cache it, and the transaction itself sees it
	assert cached(Olga) is None
	assert viewer(Olga).customers == {people.acme, people.globex}
	assert cached(Olga) is None
	ticket = shared_ticket(people, "Docking station drops the second monitor")
	frappe.set_user(Olga)
	assert str(ticket) in [str(row["name"]) for row in community.feed()["rows"]]
	frappe.set_user("Administrator")
	frappe.db.rollback()
	assert viewer(Olga).customers == {people.globex}
	assert cached(Olga)[2] == [people.globex]


def test_a_committed_change_empties_the_cache_for_every_worker(people):
	customer = make_customer("Initech Viewer Test")
	frappe.db.commit()
	try:
		viewer(people.mia)
		assert cached(people.mia) is not None
		host.add_contact_to_customer(contact_of(people.mia), customer)
		frappe.db.commit()
		assert cached(people.mia) is None  # another worker's copy is gone too: it reads Redis
		assert customer in viewer(people.mia).customers
	finally:
		frappe.delete_doc("HD Customer", customer, force=True, ignore_permissions=True)
		contact = frappe.get_doc("Contact", contact_of(people.mia))
		contact.links = [link for link in contact.links if link.link_name != customer]
		contact.save(ignore_permissions=True)
		frappe.db.commit()
	assert customer not in viewer(people.mia).customers


def test_a_new_role_or_agent_counts_at_once(people):
	frappe.clear_cache(user=people.max)
	frappe.cache.delete_value(VIEWERS)
	assert not viewer(people.max).is_agent
	frappe.get_doc("User", people.max).add_roles("Agent")
	assert viewer(people.max).is_agent
	frappe.db.rollback()
	assert cached(people.max) is None
	frappe.clear_cache(user=people.max)  # Frappe's own cache of roles keeps a rolled-back role
	assert not viewer(people.max).is_agent
	try:
		frappe.get_doc(host.agent_record(people.max, "Max")).insert(ignore_permissions=True)
		assert viewer(people.max).is_agent
	finally:
		frappe.db.rollback()
		frappe.clear_cache(user=people.max)  # Helpdesk gave the new agent its role: not for later tests
	assert not viewer(people.max).is_agent


def test_a_stale_entry_is_read_again_after_its_time(people):
	viewer(people.lottie)
	frappe.cache.hset(VIEWERS, people.lottie, (time.time() + VIEWER_SECONDS, True, []))
	assert viewer(people.lottie).is_agent  # what a change without document events could leave
	frappe.cache.hset(VIEWERS, people.lottie, (time.time() - 1, True, []))
	assert viewer(people.lottie) == access.Viewer(people.lottie, False, frozenset({people.acme}))


def test_a_rare_words_count_is_read_again_when_the_index_changes(people):
	word = "quuxinator"
	assert search_index.word_counts([word]) == {word: 0}
	assert search_index.word_counts([word]) == {word: 0}  # cached
	frappe.get_doc(
		{
			"doctype": search_index.ENTRY,
			"name": search_index.entry_name("HD Article", "viewer-cache-test"),
			"source_doctype": "HD Article",
			"source_name": "viewer-cache-test",
			"title": f"The {word} keeps resetting",
			"content": f"Restart the {word} service.",
			"active": 1,
		}
	).db_insert()
	search_index.changed()
	# InnoDB's full-text index sees uncommitted rows of its own transaction only after a commit
	frappe.db.commit()
	try:
		frappe.local.cache = {}
		assert search_index.word_counts([word]) == {word: 1}
	finally:
		frappe.db.delete(
			search_index.ENTRY, {"name": search_index.entry_name("HD Article", "viewer-cache-test")}
		)
		frappe.db.commit()
