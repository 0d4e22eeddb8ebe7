# Copyright (c) 2026, peer_support developers
# For license information, please see license.txt

from peer_support.services.write_path import AppWritten


class PeerAskSession(AppWritten):
	"""Written by the Ask page's endpoints only (peer_support.api.community): an experiment's records
	that anyone could edit would prove nothing."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		deflection: DF.Link | None
		holdout_group: DF.Literal["Suggested", "Holdout"]
		month: DF.Data
		outcome: DF.Literal["Left", "Filed", "Deflected"]
		ticket: DF.Link | None
		topic: DF.Link | None
		user: DF.Link
	# end: auto-generated types
