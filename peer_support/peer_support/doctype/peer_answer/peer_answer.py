# Copyright (c) 2026, peer_support developers
# For license information, please see license.txt

from peer_support.services.write_path import AppWritten


class PeerAnswer(AppWritten):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		accepted: DF.Check
		author: DF.Link
		body: DF.TextEditor
		endorsed_by: DF.Link | None
		endorsed_on: DF.Datetime | None
		flags_count: DF.Int
		hidden: DF.Check
		hidden_by: DF.Link | None
		hidden_reason: DF.SmallText | None
		kb_article: DF.Link | None
		resolved_ticket: DF.Check
		score: DF.Int
		ticket: DF.Link
	# end: auto-generated types

	# Frappe sanitises Text Editor fields on save; the answer rules arrive with the answers API.
	pass
