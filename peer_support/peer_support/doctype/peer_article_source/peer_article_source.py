# Copyright (c) 2026, peer_support developers
# For license information, please see license.txt

from peer_support.services.write_path import AppWritten


class PeerArticleSource(AppWritten):
	"""Written when an agent makes an article from a peer answer (api.knowledge.promote) and by the
	backfill patch; the attribution is the record of where the knowledge came from, so nobody edits it."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		answer: DF.Link | None
		article: DF.Link
		author: DF.Link | None
		ticket: DF.Link | None
	# end: auto-generated types
