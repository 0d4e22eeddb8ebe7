"""May a ticket be shown to the community?

IT decides, in Peer Support Settings, which ticket types, teams and priorities are never shown
to colleagues (critical systems, urgent incidents). This module turns those settings and a
ticket's facts into a decision with a reason the glue can put into words.
"""

from dataclasses import dataclass
from enum import Enum

PRIVATE = "Private"
COMMUNITY = "Community"
VISIBILITIES = (PRIVATE, COMMUNITY)


class Refusal(str, Enum):
	"""Why a ticket may not be community-visible; the glue turns it into a translated message."""

	DISABLED = "disabled"
	EXCLUDED_TICKET_TYPE = "excluded_ticket_type"
	EXCLUDED_TEAM = "excluded_team"
	EXCLUDED_PRIORITY = "excluded_priority"


@dataclass(frozen=True)
class SharingPolicy:
	"""The part of Peer Support Settings that gates sharing."""

	enabled: bool = True
	excluded_ticket_types: frozenset[str] = frozenset()
	excluded_teams: frozenset[str] = frozenset()
	excluded_priorities: frozenset[str] = frozenset()


@dataclass(frozen=True)
class TicketFacts:
	"""What the policy needs to know about a ticket (HD Ticket's ticket_type, agent_group, priority)."""

	ticket_type: str | None = None
	team: str | None = None
	priority: str | None = None


@dataclass(frozen=True)
class Decision:
	allowed: bool
	refusal: Refusal | None = None
	value: str | None = None  # the excluded type, team or priority that decided a refusal

	def __bool__(self) -> bool:
		return self.allowed


ALLOWED = Decision(allowed=True)


def can_share(ticket: TicketFacts, policy: SharingPolicy) -> Decision:
	"""Decide whether the ticket may be community-visible under the policy.

	Exclusions are checked in a fixed order (type, team, priority) so that the reason given
	is stable; any single exclusion is enough to keep the ticket private.
	"""
	if not policy.enabled:
		return Decision(False, Refusal.DISABLED)
	checks = (
		(ticket.ticket_type, policy.excluded_ticket_types, Refusal.EXCLUDED_TICKET_TYPE),
		(ticket.team, policy.excluded_teams, Refusal.EXCLUDED_TEAM),
		(ticket.priority, policy.excluded_priorities, Refusal.EXCLUDED_PRIORITY),
	)
	for value, excluded, refusal in checks:
		if value and value in excluded:
			return Decision(False, refusal, value)
	return ALLOWED


def initial_visibility(default: str, decision: Decision) -> str:
	"""The visibility a new ticket starts with when its creator did not choose one.

	The settings' default applies only where the policy allows sharing; otherwise it starts private.
	"""
	return COMMUNITY if default == COMMUNITY and decision.allowed else PRIVATE
