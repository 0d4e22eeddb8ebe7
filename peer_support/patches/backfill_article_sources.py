"""Articles made from peer answers before Peer Article Source existed keep their sources too.

Until then `promote` recorded the source only as Peer Answer.kb_article (the answer -> its draft);
each such answer whose article still exists becomes a source row (article, ticket, answer, author),
so a reopened source ticket sends the article back to review like a new one. Idempotent.
"""

import frappe

from peer_support.services.knowledge_review import SOURCE
from peer_support.services.write_path import peer_writes


def execute():
	if not frappe.db.table_exists(SOURCE) or not frappe.db.table_exists("HD Article"):
		return
	answers = frappe.get_all(
		"Peer Answer",
		filters={"kb_article": ["is", "set"]},
		fields=["name", "ticket", "author", "kb_article"],
	)
	existing = {(row.article, row.answer) for row in frappe.get_all(SOURCE, fields=["article", "answer"])}
	articles = set(
		frappe.get_all(
			"HD Article", filters={"name": ["in", [a.kb_article for a in answers] or [""]]}, pluck="name"
		)
	)
	for answer in answers:
		if answer.kb_article not in articles or (answer.kb_article, answer.name) in existing:
			continue
		doc = frappe.get_doc(
			{
				"doctype": SOURCE,
				"article": answer.kb_article,
				"ticket": answer.ticket,
				"answer": answer.name,
				"author": answer.author,
			}
		)
		with peer_writes():  # a migration, from the CLI
			doc.insert(ignore_permissions=True)
