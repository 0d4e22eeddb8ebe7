# Copyright (c) 2026, peer_support developers
# For license information, please see license.txt
"""A published knowledge-base article sent back to review, and its one way out: `close`.

Opened only by services.knowledge_review (the triggers run in background jobs); closed only by an
agent who may edit the article, through `close` (api.knowledge.close_review, or Desk's "Mark
Reviewed" button through run_doc_method). Any other write is refused by `AppWritten`.
"""

import frappe

from peer_support.services.write_path import AppWritten


class PeerArticleReview(AppWritten):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		article: DF.Link
		article_title: DF.Data | None
		closed_by: DF.Link | None
		closed_on: DF.Datetime | None
		didnt_help: DF.Int
		helped: DF.Int
		note: DF.SmallText | None
		notified: DF.Check
		open_article: DF.Data | None
		opened_on: DF.Datetime | None
		reason: DF.Literal["Didn't Help", "Ticket Reopened", "Asked Again after Deflection"]
		status: DF.Literal["Under Review", "Reviewed"]
		ticket: DF.Link | None
	# end: auto-generated types

	@frappe.whitelist(methods=["POST"])
	def close(self, note: str | None = None) -> dict:
		"""Reviewed: the article is trusted again (an agent who may edit it)."""
		from peer_support.services import knowledge_review

		knowledge_review.close(self, note)
		return {"name": self.name, "status": self.status, "article": self.article}
