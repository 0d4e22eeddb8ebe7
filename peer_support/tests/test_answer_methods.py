"""Peer Answer's document methods are the write path: every persona, through the API and through
the document itself (Desk's and REST's run_doc_method), meets the same rules; nothing else writes."""

import frappe

from peer_support.api import answers
from peer_support.services.write_path import WHERE
from peer_support.tests.base import PeerSupportTestCase


class TestAnswerMethods(PeerSupportTestCase):
	def setUp(self):
		self.ticket = self.shared_ticket()
		self.answer = self.assert_allowed(
			"colleague", answers.create, self.ticket, "<p>Re-seat the toner.</p>"
		)["name"]

	def doc(self):
		return frappe.get_doc("Peer Answer", self.answer)

	def test_the_api_and_the_document_method_obey_the_same_vote_rules(self):
		self.assert_refused(
			"colleague", frappe.PermissionError, answers.vote, self.answer, 1, message="your own answer"
		)
		self.assert_refused(
			"colleague", frappe.PermissionError, lambda: self.doc().vote(1), message="your own answer"
		)
		self.assert_refused("agent", frappe.PermissionError, lambda: self.doc().vote(1), message="endorse")
		self.assert_refused("outsider", frappe.DoesNotExistError, lambda: self.doc().vote(1))
		self.assertEqual(self.assert_allowed("author", lambda: self.doc().vote(1)), 1)
		self.assert_refused("author", frappe.DuplicateEntryError, answers.vote, self.answer, 1)
		self.assertEqual(frappe.db.get_value("Peer Answer", self.answer, "score"), 1)

	def test_only_the_requester_accepts_and_only_agents_moderate_by_either_path(self):
		for persona in ("colleague", "author", "agent", "manager"):
			self.assert_refused(persona, frappe.PermissionError, lambda: self.doc().accept(), message="asked")
		for persona in ("requester", "colleague", "author"):
			self.assert_refused(
				persona, frappe.PermissionError, lambda: self.doc().endorse(), message="agents"
			)
			self.assert_refused(
				persona, frappe.PermissionError, lambda: self.doc().hide("spam"), message="agents"
			)
		self.assert_allowed("manager", lambda: self.doc().endorse())
		self.assertEqual(frappe.db.get_value("Peer Answer", self.answer, "endorsed_by"), self.people.manager)
		self.assert_allowed("agent", lambda: self.doc().hide("Checking first"))
		self.assertEqual(frappe.db.get_value("Peer Answer", self.answer, "hidden"), 1)
		self.assert_refused(
			"author", frappe.DoesNotExistError, answers.vote, self.answer, 1
		)  # hidden: not found

	def test_a_generic_write_is_refused_whatever_the_role(self):
		for persona in ("agent", "manager", "Administrator"):
			with self.as_user(persona):
				doc = self.doc()
				doc.score, doc.accepted, doc.author = 999, 1, self.people.outsider
				with self.assertRaises(frappe.PermissionError) as refused:
					doc.save(ignore_permissions=True)
				self.assertEqual(str(refused.exception), WHERE["Peer Answer"])
		stored = frappe.db.get_value(
			"Peer Answer", self.answer, ["score", "accepted", "author"], as_dict=True
		)
		self.assertEqual((stored.score, stored.accepted, stored.author), (0, 0, self.people.colleague))

	def test_the_methods_are_whitelisted_for_post_only(self):
		for method in ("edit", "vote", "accept", "withdraw", "endorse", "unendorse", "hide", "show", "flag"):
			fn = getattr(type(self.doc()), method)
			self.assertIn(fn, frappe.whitelisted, method)
			self.assertEqual(frappe.allowed_http_methods_for_whitelisted_func.get(fn), ["POST"], method)
