from datetime import datetime, timedelta

from peer_support.core.peer_window import (
	ShareOverride,
	WindowState,
	desk_time_saved,
	is_due,
	monthly,
	next_priority,
	solved_inside,
	window_deadline,
	window_share,
)

T0 = datetime(2026, 10, 5, 9, 0)
RANKS = {"Urgent": 100, "High": 200, "Medium": 300, "Low": 400}


def test_the_window_is_a_share_of_the_budget_from_sharing_to_the_first_response_deadline():
	# 8 h budget, half of it for colleagues: 4 h
	assert window_deadline(T0, T0 + timedelta(hours=8), 50) == T0 + timedelta(hours=4)
	assert window_deadline(T0, T0 + timedelta(hours=8), 25) == T0 + timedelta(hours=2)
	assert window_deadline(T0, T0 + timedelta(hours=8), 100) == T0 + timedelta(hours=8)
	# shared late: only what is left of the budget is shared
	shared = T0 + timedelta(hours=6)
	assert window_deadline(shared, T0 + timedelta(hours=8), 50) == T0 + timedelta(hours=7)


def test_no_window_without_a_deadline_after_a_passed_deadline_or_with_a_zero_share():
	assert window_deadline(T0, None, 50) is None
	assert window_deadline(None, T0, 50) is None
	assert window_deadline(T0, T0 - timedelta(minutes=1), 50) is None
	assert window_deadline(T0, T0, 50) is None
	assert window_deadline(T0, T0 + timedelta(hours=8), 0) is None
	# out-of-range shares are clamped to 0-100
	assert window_deadline(T0, T0 + timedelta(hours=8), 150) == T0 + timedelta(hours=8)
	assert window_deadline(T0, T0 + timedelta(hours=8), -5) is None


def test_the_most_specific_override_wins():
	overrides = [
		ShareOverride(30, priority="High"),
		ShareOverride(70, ticket_type="Printers"),
		ShareOverride(90, ticket_type="Printers", priority="Low"),
		ShareOverride(10, ticket_type="Printers"),  # same specificity as 70, listed later: loses
	]
	assert window_share(50, overrides, "Printers", "Low") == 90
	assert window_share(50, overrides, "Printers", "High") == 70
	assert window_share(50, overrides, "Email", "High") == 30
	assert window_share(50, overrides, "Email", "Low") == 50
	assert window_share(50, [], None, None) == 50
	# a row naming neither type nor priority matches nothing (it would shadow the default)
	assert window_share(50, [ShareOverride(5)], "Email", "Low") == 50


def state(**values):
	base = {
		"deadline": T0,
		"solved": False,
		"done": False,
		"agent_responded": False,
		"escalated": False,
	}
	return WindowState(**(base | values))


def test_due_once_after_the_window_while_nobody_handled_the_ticket():
	assert not is_due(state(), T0 - timedelta(seconds=1))
	assert is_due(state(), T0)
	assert is_due(state(), T0 + timedelta(days=3))
	assert not is_due(state(escalated=True), T0 + timedelta(hours=1))
	assert not is_due(state(solved=True), T0 + timedelta(hours=1))
	assert not is_due(state(done=True), T0 + timedelta(hours=1))
	assert not is_due(state(agent_responded=True), T0 + timedelta(hours=1))
	assert not is_due(state(deadline=None), T0 + timedelta(hours=1))


def test_desk_time_saved_is_the_first_response_budget_left_at_the_peer_solution():
	response_by = T0 + timedelta(hours=8)
	assert desk_time_saved(response_by, T0 + timedelta(hours=3)) == timedelta(hours=5)
	assert desk_time_saved(response_by, response_by) == timedelta(0)
	assert desk_time_saved(response_by, response_by + timedelta(hours=1)) == timedelta(0)
	assert desk_time_saved(None, T0) == timedelta(0)
	assert solved_inside(T0, T0) and not solved_inside(T0, T0 + timedelta(seconds=1))
	assert not solved_inside(None, T0) and not solved_inside(T0, None)


def test_a_priority_step_goes_one_level_more_urgent():
	assert next_priority("Low", RANKS) == "Medium"
	assert next_priority("High", RANKS) == "Urgent"
	assert next_priority("Urgent", RANKS) is None
	assert next_priority("Unknown", RANKS) is None
	assert next_priority(None, RANKS) is None
	assert next_priority("Low", {"Low": 400, "P1": 10, "P2": 50}) == "P2"


def test_the_monthly_report_equals_hand_computed_numbers():
	def ticket(shared_on, budget_h, accepted_after_h=None, escalated=False, share=50):
		response_by = shared_on + timedelta(hours=budget_h)
		return {
			"shared_on": shared_on,
			"response_by": response_by,
			"deadline": window_deadline(shared_on, response_by, share),
			"accepted_on": shared_on + timedelta(hours=accepted_after_h)
			if accepted_after_h is not None
			else None,
			"escalated_on": shared_on + timedelta(hours=budget_h / 2) if escalated else None,
		}

	tickets = [
		ticket(T0, 8, accepted_after_h=1),  # inside (window 4 h): 7 h saved
		ticket(T0, 8, accepted_after_h=3.5),  # inside: 4.5 h saved
		ticket(T0, 8, accepted_after_h=5),  # after the window: not counted, no time saved
		ticket(T0, 8, escalated=True),
		ticket(T0, 0),  # no budget: no window, left out
		ticket(datetime(2026, 11, 2), 4, accepted_after_h=1),  # window 2 h: inside, 3 h saved
	]
	assert monthly(tickets) == [
		{
			"month": "2026-10",
			"with_window": 4,
			"solved_inside": 2,
			"escalated": 1,
			"solved_inside_share": 50.0,
			"desk_hours_saved": 11.5,
		},
		{
			"month": "2026-11",
			"with_window": 1,
			"solved_inside": 1,
			"escalated": 0,
			"solved_inside_share": 100.0,
			"desk_hours_saved": 3.0,
		},
	]
