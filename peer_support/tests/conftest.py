"""For pytest (the README's test command): open the harness's test site, as `bench run-tests` does."""

import os

import frappe
import pytest


@pytest.fixture(scope="session", autouse=True)
def site():
	site = os.environ.get("PEER_SUPPORT_SITE")
	if not site:
		pytest.exit(
			"PEER_SUPPORT_SITE is not set: run these through tests/run.py or bench run-tests", returncode=4
		)
	frappe.init(site=site, sites_path=os.environ.get("PEER_SUPPORT_SITES_PATH", "."))
	frappe.connect()
	frappe.flags.in_test = True
	frappe.set_user("Administrator")
	yield site
	frappe.db.rollback()
	frappe.destroy()
