# Copyright (c) 2026, peer_support developers
# For license information, please see license.txt

import frappe
from frappe.model.document import Document

from peer_support.core.knowledge_review import FeedbackRule
from peer_support.core.peer_window import ShareOverride, window_share
from peer_support.core.reputation import Rules
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
		from peer_support.peer_support.doctype.peer_support_window_share.peer_support_window_share import (
			PeerSupportWindowShare,
		)

		accepted_points: DF.Int
		anonymise_requester: DF.Check
		audience: DF.Literal["Same Customer", "All Portal Users"]
		daily_vote_cap: DF.Int
		default_visibility: DF.Literal["Private", "Community"]
		desk_contact_cost: DF.Float
		downvote_points: DF.Int
		endorsed_points: DF.Int
		enabled: DF.Check
		excluded_priorities: DF.TableMultiSelect[PeerSupportExcludedPriority]
		excluded_teams: DF.TableMultiSelect[PeerSupportExcludedTeam]
		excluded_ticket_types: DF.TableMultiSelect[PeerSupportExcludedTicketType]
		experts_to_notify: DF.Int
		flag_threshold: DF.Int
		hidden_points: DF.Int
		holdout_share: DF.Percent
		incident_marks_threshold: DF.Int
		incident_similarity: DF.Float
		incident_tickets_threshold: DF.Int
		incident_window_minutes: DF.Int
		new_user_days: DF.Int
		on_accept: DF.Literal["Resolve the Ticket", "Ask the Agent to Confirm"]
		peer_window_overrides: DF.Table[PeerSupportWindowShare]
		peer_window_share: DF.Percent
		peer_window_step_priority: DF.Check
		private_tickets_stay_private: DF.Check
		promoted_points: DF.Int
		review_came_back_days: DF.Int
		review_didnt_help_share: DF.Percent
		review_didnt_help_threshold: DF.Int
		review_on_reopen: DF.Check
		self_help_cost: DF.Float
		serial_threshold: DF.Int
		serial_window_hours: DF.Int
		upvote_points: DF.Int
	# end: auto-generated types

	def on_update(self):
		# Newer Frappe 15 releases refresh the cached document only at commit; the withdrawal below (run
		# at once in tests) and anything else in this request must read the settings just saved.
		frappe.clear_document_cache(self.doctype, self.name)
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

	def reputation_rules(self) -> Rules:
		return Rules(
			upvote=self.upvote_points,
			downvote=self.downvote_points,
			accepted=self.accepted_points,
			endorsed=self.endorsed_points,
			hidden=self.hidden_points,
			daily_vote_cap=self.daily_vote_cap,
			new_user_days=self.new_user_days,
			serial_window_hours=self.serial_window_hours or 24,
			serial_threshold=self.serial_threshold,
			promoted=self.promoted_points,
		)

	def window_share_for(self, ticket_type: str | None, priority: str | None) -> float:
		"""The share (percent) of a ticket's first-response budget that colleagues get."""
		overrides = [
			ShareOverride(share=row.share, ticket_type=row.ticket_type, priority=row.priority)
			for row in self.peer_window_overrides
		]
		return window_share(self.peer_window_share, overrides, ticket_type, priority)

	def feedback_rule(self) -> FeedbackRule:
		"""When "didn't help" marks send an article back to review."""
		return FeedbackRule(
			threshold=self.review_didnt_help_threshold or 0, share=self.review_didnt_help_share or 0
		)


def get_settings() -> PeerSupportSettings:
	return frappe.get_cached_doc("Peer Support Settings")
