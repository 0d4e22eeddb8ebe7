"""The sharing gate: which tickets may ever be shown to the community."""

import time

import pytest

from peer_support.core.visibility import (
	COMMUNITY,
	PRIVATE,
	Refusal,
	SharingPolicy,
	TicketFacts,
	can_share,
	initial_visibility,
)

POLICY = SharingPolicy(
	excluded_ticket_types=frozenset({"Finance System"}),
	excluded_teams=frozenset({"Security"}),
	excluded_priorities=frozenset({"Urgent"}),
)


def test_an_ordinary_ticket_may_be_shared():
	decision = can_share(TicketFacts("Printers", "Service Desk", "Medium"), POLICY)
	assert decision.allowed and bool(decision)
	assert decision.refusal is None


@pytest.mark.parametrize(
	"facts, refusal, value",
	[
		(
			TicketFacts("Finance System", "Service Desk", "Low"),
			Refusal.EXCLUDED_TICKET_TYPE,
			"Finance System",
		),
		(TicketFacts("Printers", "Security", "Low"), Refusal.EXCLUDED_TEAM, "Security"),
		(TicketFacts("Printers", "Service Desk", "Urgent"), Refusal.EXCLUDED_PRIORITY, "Urgent"),
	],
)
def test_each_exclusion_keeps_a_ticket_private(facts, refusal, value):
	decision = can_share(facts, POLICY)
	assert not decision.allowed and not bool(decision)
	assert (decision.refusal, decision.value) == (refusal, value)


def test_the_first_exclusion_in_type_team_priority_order_is_the_reason():
	decision = can_share(TicketFacts("Finance System", "Security", "Urgent"), POLICY)
	assert (decision.refusal, decision.value) == (Refusal.EXCLUDED_TICKET_TYPE, "Finance System")


def test_switched_off_refuses_everything():
	decision = can_share(TicketFacts("Printers", None, "Low"), SharingPolicy(enabled=False))
	assert decision.refusal is Refusal.DISABLED


def test_missing_facts_are_not_an_exclusion():
	assert can_share(TicketFacts(None, None, None), POLICY).allowed
	assert can_share(TicketFacts("", "", ""), POLICY).allowed


def test_an_empty_policy_allows_everything():
	assert can_share(TicketFacts("Finance System", "Security", "Urgent"), SharingPolicy()).allowed


def test_new_tickets_start_private_unless_the_default_is_community_and_allowed():
	allowed = can_share(TicketFacts("Printers", None, "Low"), POLICY)
	refused = can_share(TicketFacts("Printers", None, "Urgent"), POLICY)
	assert initial_visibility(COMMUNITY, allowed) == COMMUNITY
	assert initial_visibility(COMMUNITY, refused) == PRIVATE
	assert initial_visibility(PRIVATE, allowed) == PRIVATE
	assert initial_visibility("", allowed) == PRIVATE


def test_the_decision_is_fast():
	facts = TicketFacts("Printers", "Service Desk", "Medium")
	started = time.perf_counter()
	for _ in range(10_000):
		can_share(facts, POLICY)
	assert time.perf_counter() - started < 0.5
