"""A small test-case base for this app's in-site tests, with personas, as gameplan's GameplanTestCase.

Runs under `bench --site SITE run-tests --app peer_support` (Frappe's unittest runner) and under the
README's test command (pytest, through peer_support/tests/conftest.py). Each test is rolled back.
"""

from contextlib import contextmanager

import frappe
from frappe.cache_manager import clear_doctype_map
from frappe.tests.utils import FrappeTestCase

from peer_support.tests.personas import make_customer, make_user

PASSWORD = "Peer-Support-tests-2026!"


class PeerSupportTestCase(FrappeTestCase):
	"""Personas: `requester` (Jeff) and `colleague` (Lottie) and `author` (Mia) at one customer,
	`outsider` (Olga) at another, `agent` (Derek) and `manager` (Mary, an Agent Manager)."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		acme, globex = make_customer("Acme Package Test"), make_customer("Globex Package Test")
		cls.people = frappe._dict(
			requester=make_user("jeff@acme.pkg.test", "Jeff", acme, password=PASSWORD),
			colleague=make_user("lottie@acme.pkg.test", "Lottie", acme, password=PASSWORD),
			author=make_user("mia@acme.pkg.test", "Mia", acme, password=PASSWORD),
			outsider=make_user("olga@globex.pkg.test", "Olga", globex, password=PASSWORD),
			agent=make_user("derek@it.pkg.test", "Derek", agent=True, password=PASSWORD),
			manager=make_user("mary@it.pkg.test", "Mary", agent=True, password=PASSWORD),
		)
		manager = frappe.get_doc("User", cls.people.manager)
		if "Agent Manager" not in frappe.get_roles(cls.people.manager):
			manager.append_roles("Agent Manager")
			manager.save(ignore_permissions=True)
		cls.customer = acme
		frappe.db.commit()  # the personas stay for the class; each test is rolled back

	def tearDown(self):
		frappe.db.rollback()
		frappe.set_user("Administrator")
		frappe.clear_document_cache("Peer Support Settings", "Peer Support Settings")
		clear_doctype_map("Assignment Rule", "HD Ticket")

	@contextmanager
	def as_user(self, persona: str):
		"""Run the block as a persona (or a user name), then as Administrator again."""
		frappe.set_user(self.people.get(persona, persona))
		try:
			yield
		finally:
			frappe.set_user("Administrator")

	def assert_allowed(self, persona: str, fn, *args, **kwargs):
		with self.as_user(persona):
			return fn(*args, **kwargs)

	def assert_refused(self, persona: str, error, fn, *args, message: str | None = None, **kwargs):
		"""The call is refused with `error` (a Frappe exception class) and, if given, that message."""
		with self.as_user(persona), self.assertRaises(error) as refused:
			fn(*args, **kwargs)
		if message:
			self.assertIn(message, str(refused.exception))
		return refused.exception

	def shared_ticket(self, subject: str = "Printer on floor 3 prints blank pages") -> str:
		"""A ticket the requester filed in Helpdesk's portal and shared with colleagues."""
		from peer_support.api import tickets

		ticket = frappe.get_doc(
			{
				"doctype": "HD Ticket",
				"subject": subject,
				"description": f"<p>{subject}</p>",
				"raised_by": self.people.requester,
				"customer": self.customer,
				"priority": "Low",
				"via_customer_portal": 1,
			}
		).insert()
		self.assert_allowed("requester", tickets.share, ticket.name)
		return str(ticket.name)
