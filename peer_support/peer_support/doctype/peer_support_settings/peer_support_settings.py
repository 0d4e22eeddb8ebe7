# Copyright (c) 2026, peer_support developers
# For license information, please see license.txt

import frappe
from frappe.model.document import Document

from peer_support.core.visibility import SharingPolicy


class PeerSupportSettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from peer_support.peer_support.doctype.peer_support_excluded_priority.peer_support_excluded_priority import (
			PeerSupportExcludedPriority,
		)
		from peer_support.peer_support.doctype.peer_support_excluded_team.peer_support_excluded_team import (
			PeerSupportExcludedTeam,
		)
		from peer_support.peer_support.doctype.peer_support_excluded_ticket_type.peer_support_excluded_ticket_type import (
			PeerSupportExcludedTicketType,
		)

		anonymise_requester: DF.Check
		audience: DF.Literal["Same Customer", "All Portal Users"]
		default_visibility: DF.Literal["Private", "Community"]
		enabled: DF.Check
		excluded_priorities: DF.TableMultiSelect[PeerSupportExcludedPriority]
		excluded_teams: DF.TableMultiSelect[PeerSupportExcludedTeam]
		excluded_ticket_types: DF.TableMultiSelect[PeerSupportExcludedTicketType]
		private_tickets_stay_private: DF.Check
	# end: auto-generated types

	def on_update(self):
		# Tightened exclusions apply to tickets that are already shared, not only to new sharing.
		frappe.enqueue(
			"peer_support.services.visibility.make_excluded_tickets_private",
			enqueue_after_commit=True,
			now=frappe.flags.in_test,
		)

	def sharing_policy(self) -> SharingPolicy:
		return SharingPolicy(
			enabled=bool(self.enabled),
			excluded_ticket_types=frozenset(row.ticket_type for row in self.excluded_ticket_types),
			excluded_teams=frozenset(row.team for row in self.excluded_teams),
			excluded_priorities=frozenset(row.priority for row in self.excluded_priorities),
		)


def get_settings() -> PeerSupportSettings:
	return frappe.get_cached_doc("Peer Support Settings")
