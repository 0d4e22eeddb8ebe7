"""The peer window: how long colleagues have on a shared ticket before the service desk steps in.

A shared ticket gives colleagues a share of its first-response budget: the time from sharing (or
creation, when it was shared from the start) to Helpdesk's own first-response deadline
(`response_by`, set by its SLA). The desk's clock is never moved: the window only decides when this
app tells the agents "nobody solved it, it is yours now". Plain Python, so the rules are checked
without a site.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from peer_support.core.metrics import month_of


@dataclass(frozen=True)
class ShareOverride:
	"""A share for tickets of one type and/or priority (an empty field matches every value)."""

	share: float
	ticket_type: str | None = None
	priority: str | None = None

	def matches(self, ticket_type: str | None, priority: str | None) -> bool:
		return (not self.ticket_type or self.ticket_type == ticket_type) and (
			not self.priority or self.priority == priority
		)

	def specificity(self) -> int:
		"""Type and priority beats type alone, which beats priority alone: the type says most about
		whether colleagues can help (a printer, yes; a payroll error, no)."""
		return 2 * bool(self.ticket_type) + bool(self.priority)


def window_share(
	default: float, overrides: list[ShareOverride], ticket_type: str | None, priority: str | None
) -> float:
	"""The share (percent, 0-100) of the first-response budget that colleagues get for this ticket.

	The most specific matching override wins; among equally specific ones, the first listed."""
	matching = [o for o in overrides if (o.ticket_type or o.priority) and o.matches(ticket_type, priority)]
	if not matching:
		return clamp(default)
	best = max(o.specificity() for o in matching)
	return clamp(next(o.share for o in matching if o.specificity() == best))


def clamp(share: float | None) -> float:
	return min(max(float(share or 0), 0.0), 100.0)


def window_deadline(start: datetime | None, response_by: datetime | None, share: float) -> datetime | None:
	"""When the peer window ends: `start` plus `share` percent of the budget up to `response_by`.

	None when there is no window: no first-response deadline (no SLA applies), a deadline already
	passed when the ticket was shared (no budget left to give), or a share of 0 (switched off)."""
	if not start or not response_by or response_by <= start or clamp(share) <= 0:
		return None
	return start + (response_by - start) * (clamp(share) / 100)


@dataclass(frozen=True)
class WindowState:
	"""What the escalation job needs to know of one ticket."""

	deadline: datetime | None
	solved: bool  # an accepted answer, or an answer verified by IT
	done: bool  # resolved or closed in Helpdesk's terms
	agent_responded: bool  # Helpdesk recorded the desk's first response: the desk is on it already
	escalated: bool


def is_due(state: WindowState, now: datetime) -> bool:
	"""Escalate now? Once, after the window passed, while nobody (peer or agent) has handled the ticket."""
	return bool(
		state.deadline
		and now >= state.deadline
		and not (state.solved or state.done or state.agent_responded or state.escalated)
	)


def solved_inside(deadline: datetime | None, solved_at: datetime | None) -> bool:
	return bool(deadline and solved_at and solved_at <= deadline)


def desk_time_saved(response_by: datetime | None, solved_at: datetime | None) -> timedelta:
	"""The first-response budget the desk did not need: from the peer solution to the desk's deadline."""
	if not response_by or not solved_at or solved_at >= response_by:
		return timedelta(0)
	return response_by - solved_at


def next_priority(current: str | None, ranks: dict[str, int]) -> str | None:
	"""One step more urgent, by Helpdesk's HD Ticket Priority.integer_value (smaller is more urgent:
	Urgent 100, High 200, Medium 300, Low 400); None when already the most urgent or unknown."""
	if current not in ranks:
		return None
	more_urgent = [(rank, name) for name, rank in ranks.items() if rank < ranks[current]]
	return max(more_urgent)[1] if more_urgent else None


def monthly(tickets: list[dict]) -> list[dict]:
	"""The Peer Window report: one row per month in which tickets were shared.

	tickets: shared_on, deadline, response_by, accepted_on, escalated_on (datetimes or None)
	"""
	rows: dict[str, dict] = defaultdict(
		lambda: {"with_window": 0, "solved_inside": 0, "escalated": 0, "_saved": timedelta(0)}
	)
	for ticket in tickets:
		if not ticket.get("deadline"):
			continue
		row = rows[month_of(ticket["shared_on"])]
		row["with_window"] += 1
		row["escalated"] += bool(ticket.get("escalated_on"))
		if solved_inside(ticket["deadline"], ticket.get("accepted_on")):
			row["solved_inside"] += 1
			row["_saved"] += desk_time_saved(ticket.get("response_by"), ticket.get("accepted_on"))
	result = []
	for month, row in sorted(rows.items()):
		saved = row.pop("_saved")
		result.append(
			{
				"month": month,
				**row,
				"solved_inside_share": round(100 * row["solved_inside"] / row["with_window"], 1),
				"desk_hours_saved": round(saved.total_seconds() / 3600, 2),
			}
		)
	return result
