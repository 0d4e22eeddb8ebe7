"""The people the tests (in-site and over HTTP) work with, made the way the installed Helpdesk expects.

Portal users are contacts of an HD Customer (through the host adapter, so on every Helpdesk
version), agents have an HD Agent record. Used by the integration tier directly and by the e2e tier
through `in_site`, which opens the test site in the test process, makes the records and commits.
"""

import os
from contextlib import contextmanager

import frappe

from peer_support import host


def make_customer(name: str) -> str:
	if not frappe.db.exists("HD Customer", name):
		frappe.get_doc({"doctype": "HD Customer", "customer_name": name}).insert(ignore_permissions=True)
	return name


def make_user(
	email: str,
	first_name: str,
	customer: str | None = None,
	agent: bool = False,
	password: str | None = None,
	**contact_values,
) -> str:
	"""A portal user (a Helpdesk contact of `customer`) or, with agent=True, a Helpdesk agent.
	`contact_values` go on the portal user's contact (last_name, phone_nos, ...)."""
	if not frappe.db.exists("User", email):
		values = {
			"doctype": "User",
			"email": email,
			"first_name": first_name,
			"send_welcome_email": 0,
			"user_type": "System User" if agent else "Website User",
		}
		if password:
			values["new_password"] = password
		frappe.get_doc(values).insert(ignore_permissions=True)
	if agent:
		if not frappe.db.exists("HD Agent", {"user": email}):
			frappe.get_doc(host.agent_record(email, first_name)).insert(ignore_permissions=True)
		return email
	# Frappe may have made a contact for the new user already; it becomes the customer's contact.
	name = frappe.db.get_value("Contact", {"email_id": email})
	contact = (
		frappe.get_doc("Contact", name)
		if name
		else frappe.get_doc(
			{
				"doctype": "Contact",
				"first_name": first_name,
				"user": email,
				"email_ids": [{"email_id": email, "is_primary": 1}],
			}
		)
	)
	contact.update(contact_values)
	contact.save(ignore_permissions=True)
	if customer:
		host.add_contact_to_customer(contact.name, customer)
	host.grant_portal_roles(email)
	return email


def contact_of(email: str) -> str | None:
	return frappe.db.get_value("Contact", {"email_id": email})


@contextmanager
def in_site(site: str | None = None, sites_path: str | None = None):
	"""The test site, opened in this process as Administrator; committed when the block ends."""
	frappe.init(
		site=site or os.environ["PEER_SUPPORT_SITE"],
		sites_path=sites_path or os.environ.get("PEER_SUPPORT_SITES_PATH", "."),
	)
	frappe.connect()
	frappe.set_user("Administrator")
	try:
		yield
		frappe.db.commit()  # the harness's throw-away site, outside any request
	finally:
		frappe.destroy()
