"""The hand-written column lists (the hot paths read and write columns by name, without the ORM, for
the benchmark's sake) name only columns the doctypes have: checked against frappe.get_meta."""

import frappe
import pytest

from peer_support.services import access, guard, projection, reputation, routing
from peer_support.setup import install

STANDARD = set(frappe.model.default_fields)

LISTS = {
	"access.TICKET_FIELDS": ("HD Ticket", access.TICKET_FIELDS),
	"access.ANSWER_FIELDS": ("Peer Answer", access.ANSWER_FIELDS),
	"projection.ANSWER_LIST_FIELDS": ("Peer Answer", projection.ANSWER_LIST_FIELDS),
	"routing.TICKET_FIELDS": ("HD Ticket", routing.TICKET_FIELDS),
	"guard.PEER_FIELDS": ("HD Ticket", list(guard.PEER_FIELDS)),
	"reputation.TOTALS (profile)": ("Peer Profile", list(reputation.TOTALS)),
	"reputation.COUNTERS (period)": ("Peer Reputation Period", list(reputation.COUNTERS)),
	**{f"install.UNIQUE_KEYS[{dt}]": (dt, list(fields)) for dt, fields in install.UNIQUE_KEYS.items()},
	**{
		f"install.INDEXES[{dt}] {fields}": (dt, list(fields))
		for dt, indexes in install.INDEXES.items()
		for fields in indexes
	},
}


@pytest.mark.parametrize("name", list(LISTS))
def test_every_listed_column_exists(name):
	doctype, columns = LISTS[name]
	meta = frappe.get_meta(doctype)
	known = STANDARD | {df.fieldname for df in meta.fields} | {"parent", "parentfield", "parenttype"}
	missing = [column for column in columns if column not in known]
	assert missing == [], f"{name}: {doctype} has no {missing}"
	table = set(frappe.db.get_table_columns(doctype))
	assert [
		c for c in columns if c not in table and meta.get_field(c) and not meta.get_field(c).is_virtual
	] == []
