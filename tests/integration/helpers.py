"""Records the in-site tests build for themselves."""

import frappe


def make_ticket(subject: str = "Printer on floor 3 prints blank pages", **values) -> "frappe.model.document.Document":
	ticket = frappe.get_doc(
		{
			"doctype": "HD Ticket",
			"subject": subject,
			"description": f"<p>{subject}</p>",
			"raised_by": values.pop("raised_by", "jeff.requester@example.com"),
			**values,
		}
	)
	ticket.insert()
	return ticket.reload()  # Helpdesk updates the ticket after insert (its first communication)


def ensure(doctype: str, name: str, **values) -> str:
	"""A master record (ticket type, team, priority) the test needs; created if missing."""
	if not frappe.db.exists(doctype, name):
		frappe.get_doc({"doctype": doctype, "name": name, **values}).insert()
	return name


def ensure_team(name: str) -> str:
	return ensure("HD Team", name, team_name=name)


def ensure_ticket_type(name: str) -> str:
	return ensure("HD Ticket Type", name)


def update_settings(**values) -> None:
	settings = frappe.get_single("Peer Support Settings")
	for field, value in values.items():
		if field.startswith("excluded_"):
			settings.set(field, [])
			child_field = {"excluded_ticket_types": "ticket_type", "excluded_teams": "team",
			               "excluded_priorities": "priority"}[field]
			for item in value:
				settings.append(field, {child_field: item})
		else:
			settings.set(field, value)
	settings.save()
