"""In-site tests: connect to the throw-away site the harness created, roll back after each test.

Run by tests/run.py as the bench owner from the bench's sites folder, with PEER_SUPPORT_SITE set.
"""

import frappe
import pytest
from frappe.cache_manager import clear_doctype_map

from peer_support.tests.conftest import site  # noqa: F401 - the same session fixture: open the test site


@pytest.fixture(scope="session")
def people(site):  # noqa: F811 - the fixture, by name
	"""The organisation every test shares (see helpers.org), made once and committed: users are slow
	to create, and the site is thrown away after the run."""
	from helpers import org

	people = org()
	# Honest deflection holds a share of askers out of suggestions, by person and month: the suite
	# runs without (its own tests set the share they need), so no month changes another test's result.
	frappe.db.set_single_value("Peer Support Settings", "holdout_share", 0)
	frappe.db.commit()  # the harness's throw-away site, outside any request
	return people


@pytest.fixture(autouse=True)
def rollback():
	"""Each test starts from the committed state and leaves nothing behind."""
	frappe.set_user("Administrator")
	yield
	frappe.db.rollback()
	frappe.set_user("Administrator")
	# a rolled-back save of the settings must not survive in the document cache
	frappe.clear_document_cache("Peer Support Settings", "Peer Support Settings")
	# a rolled-back team's assignment rule must not survive in Frappe's map of HD Ticket's rules
	clear_doctype_map("Assignment Rule", "HD Ticket")
