"""Records of the doctypes the app writes in its jobs and in agents' actions (notices, alerts, article
reviews and sources, the suggestion index), written as those write them: for the write-path tests of
both tiers, which then try every other way in."""

import frappe

from peer_support.services.search_index import entry_name
from peer_support.services.write_path import peer_writes


def insert(doctype: str, **values) -> str:
	return str(frappe.get_doc({"doctype": doctype, **values}).insert(ignore_permissions=True).name)


def app_written(ticket: str, answer: str, subscriber: str, author: str) -> dict[str, str]:
	"""One record of each, about `ticket` and its `answer`; their names by doctype."""
	with peer_writes():
		evaluation = f"write-path-{frappe.generate_hash(length=8)}"
		notice = insert("Peer Known Issue", title="VPN drops every hour", status="Investigating")
		article = insert("HD Article", title=f"Fixed by the answer to {ticket}", content="<p>Re-seat it.</p>")
		return {
			"Peer Known Issue": notice,
			"Peer Known Issue Subscriber": insert(
				"Peer Known Issue Subscriber", notice=notice, user=subscriber
			),
			"Peer Incident Alert": insert(
				"Peer Incident Alert", status="Open", subject="VPN", first_ticket=ticket
			),
			"Peer Article Source": insert(
				"Peer Article Source", article=article, ticket=ticket, answer=answer, author=author
			),
			"Peer Article Review": insert("Peer Article Review", article=article, reason="Ticket Reopened"),
			"Peer Search Entry": insert(
				"Peer Search Entry",
				name=entry_name("Evaluation", evaluation),  # served to nobody, and no job rewrites it
				source_doctype="Evaluation",
				source_name=evaluation,
			),
		}
