"""What installing peer_support adds to a Helpdesk site, and the sharing gate on every save path."""

import frappe
import pytest
from helpers import ensure_team, ensure_ticket_type, make_ticket, update_settings

from peer_support.services.visibility import SharingNotAllowed, make_excluded_tickets_private
from peer_support.setup.install import TICKET_FIELDS

DATA_FIELDS = {
	"peer_visibility",
	"peer_status",
	"peer_affected_count",
	"peer_accepted_answer",
	"peer_resolved",
}


def test_app_is_installed_next_to_helpdesk():
	assert {"frappe", "helpdesk", "peer_support"} <= set(frappe.get_installed_apps())
	assert frappe.db.exists("Module Def", "Peer Support")
	for doctype in ("Peer Support Settings", "Peer Answer"):
		assert frappe.db.exists("DocType", doctype)


def test_ticket_fields_exist_in_meta_and_table():
	meta = frappe.get_meta("HD Ticket", cached=False)
	for field in TICKET_FIELDS:
		docfield = meta.get_field(field["fieldname"])
		assert docfield is not None, field["fieldname"]
		assert docfield.fieldtype == field["fieldtype"]
		assert not docfield.hidden
		custom = frappe.db.get_value(
			"Custom Field", {"dt": "HD Ticket", "fieldname": field["fieldname"]}, ["module"], as_dict=True
		)
		assert custom and custom.module == "Peer Support"
	assert DATA_FIELDS <= set(frappe.db.get_table_columns("HD Ticket"))
	assert meta.get_field("peer_accepted_answer").options == "Peer Answer"
	assert meta.get_field("peer_visibility").options.split("\n") == ["Private", "Community"]


def test_install_is_idempotent():
	from peer_support.setup.install import after_migrate

	before = frappe.db.count("Custom Field", {"dt": "HD Ticket", "module": "Peer Support"})
	after_migrate()
	assert (
		frappe.db.count("Custom Field", {"dt": "HD Ticket", "module": "Peer Support"})
		== before
		== len(TICKET_FIELDS)
	)


def index_columns(doctype: str, name: str) -> list[tuple[str, str]]:
	"""(column, index type) of one index, in the index's column order."""
	rows = frappe.db.sql(f"SHOW INDEX FROM `tab{doctype}` WHERE Key_name = %s", name, as_dict=True)
	return [(row.Column_name, row.Index_type) for row in sorted(rows, key=lambda row: row.Seq_in_index)]


def test_indexes_exist_after_install():
	from peer_support import host
	from peer_support.services import search_index
	from peer_support.setup.install import INDEXES, index_name

	# the suggestion index's lexical side; this app no longer indexes HD Ticket's subject itself
	assert index_columns(search_index.ENTRY, search_index.FULLTEXT) == [
		("title", "FULLTEXT"),
		("content", "FULLTEXT"),
	]
	assert not frappe.db.has_index("tabHD Ticket", host.OWN_SUBJECT_FULLTEXT)
	assert ("peer_visibility", "creation") in INDEXES["HD Ticket"]
	for doctype, indexes in INDEXES.items():
		for fields in indexes:
			assert index_columns(doctype, index_name(fields)) == [(field, "BTREE") for field in fields], (
				fields
			)


def test_suggestions_read_the_fulltext_index():
	from peer_support.services import search_index

	sql = search_index.lexical_sql("community = 1")
	plan = frappe.db.sql("EXPLAIN " + sql, {"text": "outlook password"}, as_dict=True)
	assert [(row.type, row.key) for row in plan] == [("fulltext", search_index.FULLTEXT)]


def test_default_settings():
	settings = frappe.get_single("Peer Support Settings")
	assert settings.enabled == 1
	assert settings.default_visibility == "Private"
	assert settings.audience == "Same Customer"
	assert [row.priority for row in settings.excluded_priorities] == ["Urgent"]


def test_a_new_ticket_starts_private_with_helpdesk_sla_applied():
	ticket = make_ticket()
	ticket.reload()
	assert ticket.peer_visibility == "Private"
	assert ticket.peer_status == "None"
	assert ticket.peer_affected_count == 0 and not ticket.peer_resolved
	assert ticket.sla, "Helpdesk applies its default SLA as before"
	assert ticket.response_by and ticket.resolution_by


def test_a_ticket_can_be_shared_and_made_private_again():
	ticket = make_ticket(priority="Medium")
	ticket.peer_visibility = "Community"
	ticket.save()
	assert frappe.db.get_value("HD Ticket", ticket.name, "peer_visibility") == "Community"
	ticket.peer_visibility = "Private"
	ticket.save()
	assert frappe.db.get_value("HD Ticket", ticket.name, "peer_visibility") == "Private"


def test_an_urgent_ticket_cannot_be_shared():
	ticket = make_ticket(priority="Urgent")
	ticket.peer_visibility = "Community"
	with pytest.raises(SharingNotAllowed, match="priority .*Urgent.* never shown to the community"):
		ticket.save()


@pytest.mark.parametrize("exclusion", ["ticket_type", "team", "priority"])
def test_each_exclusion_blocks_sharing(exclusion):
	ticket_type = ensure_ticket_type("Finance System")
	team = ensure_team("Finance Applications")
	values = {
		"ticket_type": {"ticket_type": ticket_type},
		"team": {"agent_group": team},
		"priority": {"priority": "High"},
	}[exclusion]
	update_settings(
		excluded_ticket_types=[ticket_type] if exclusion == "ticket_type" else [],
		excluded_teams=[team] if exclusion == "team" else [],
		excluded_priorities=["High"] if exclusion == "priority" else [],
	)
	ticket = make_ticket(**values)
	ticket.peer_visibility = "Community"
	with pytest.raises(SharingNotAllowed):
		ticket.save()
	assert frappe.db.get_value("HD Ticket", ticket.name, "peer_visibility") == "Private"


def test_default_community_applies_only_where_allowed():
	update_settings(default_visibility="Community")
	assert make_ticket(priority="Low").peer_visibility == "Community"
	assert make_ticket(priority="Urgent").peer_visibility == "Private"


def test_the_creator_may_choose_private_over_a_community_default():
	update_settings(default_visibility="Community")
	ticket = frappe.get_doc(
		{
			"doctype": "HD Ticket",
			"subject": "VPN drops",
			"raised_by": "a@example.com",
			"peer_visibility": "Private",
		}
	)
	ticket.flags.peer_visibility_chosen = True
	ticket.insert()
	assert ticket.peer_visibility == "Private"


def test_raising_a_shared_ticket_to_urgent_makes_it_private():
	ticket = make_ticket(priority="Low")
	ticket.peer_visibility = "Community"
	ticket.save()
	ticket.priority = "Urgent"
	ticket.save()  # the agent's change is not blocked
	assert frappe.db.get_value("HD Ticket", ticket.name, ["priority", "peer_visibility"]) == (
		"Urgent",
		"Private",
	)


def test_tightened_settings_withdraw_already_shared_tickets():
	ticket_type = ensure_ticket_type("Finance System")
	shared = make_ticket(ticket_type=ticket_type, priority="Low")
	shared.peer_visibility = "Community"
	shared.save()
	other = make_ticket(priority="Low")
	other.peer_visibility = "Community"
	other.save()
	modified = frappe.db.get_value("HD Ticket", shared.name, "modified")

	update_settings(excluded_ticket_types=[ticket_type])  # runs the withdrawal (synchronously in tests)

	assert frappe.db.get_value("HD Ticket", shared.name, ["peer_visibility", "modified"]) == (
		"Private",
		modified,
	)
	assert frappe.db.get_value("HD Ticket", other.name, "peer_visibility") == "Community"
	assert make_excluded_tickets_private() == 0


def test_switching_off_refuses_new_sharing():
	update_settings(enabled=0)
	ticket = make_ticket(priority="Low")
	ticket.peer_visibility = "Community"
	with pytest.raises(SharingNotAllowed, match="switched off"):
		ticket.save()
