"""Honest deflection: what suggestions on the Ask page really save, measured against a holdout.

"This solved it" clicks flatter: people click them and file a ticket anyway, or would never have
filed one. So a stable random share of askers asks without suggestions, and the report compares
how often Ask sessions end in a filed ticket with and without them. Plain Python: the assignment,
the interval and the pricing are checked by hand-computed values.
"""

import hashlib
import math
from collections import defaultdict
from dataclasses import dataclass

HOLDOUT = "Holdout"
SUGGESTED = "Suggested"
FILED = "Filed"
DEFLECTED = "Deflected"
LEFT = "Left"
OUTCOMES = (LEFT, FILED, DEFLECTED)
BUCKETS = 10000
Z95 = 1.959963984540054  # the 97.5th percentile of the standard normal distribution


def bucket(user: str, month: str) -> int:
	"""A stable pseudo-random number in [0, 10000) per user and month (YYYY-MM)."""
	digest = hashlib.sha1(f"{user}{month}".encode()).hexdigest()
	return int(digest, 16) % BUCKETS


def in_holdout(user: str, month: str, share: float) -> bool:
	"""Is this asker held out (no suggestions) this month? `share` in percent (0-100).

	Stable for the month, so one person never sees suggestions on one ask and not on the next; drawn
	again each month, so nobody is held out for ever."""
	share = min(max(float(share or 0), 0.0), 100.0)
	return bucket(user, month) < share / 100 * BUCKETS


def group_of(user: str, month: str, share: float) -> str:
	return HOLDOUT if in_holdout(user, month, share) else SUGGESTED


def next_outcome(current: str, new: str) -> str:
	"""How a session ends: a filed ticket is the honest outcome and wins over a "this solved it" click
	before it; a click counts only while nothing was filed."""
	if new == FILED or current == FILED:
		return FILED
	if new == DEFLECTED:
		return DEFLECTED
	return current


@dataclass(frozen=True)
class Difference:
	"""p_holdout - p_suggested (the share of sessions that filed a ticket), with its 95% interval."""

	difference: float
	low: float
	high: float
	standard_error: float


def difference_of_proportions(
	filed_holdout: int, sessions_holdout: int, filed_suggested: int, sessions_suggested: int, z: float = Z95
) -> Difference | None:
	"""Wald interval for the difference of two independent proportions (normal approximation):
	se = sqrt(p1(1-p1)/n1 + p2(1-p2)/n2). None when a group has no sessions."""
	if sessions_holdout <= 0 or sessions_suggested <= 0:
		return None
	p1 = filed_holdout / sessions_holdout
	p2 = filed_suggested / sessions_suggested
	se = math.sqrt(p1 * (1 - p1) / sessions_holdout + p2 * (1 - p2) / sessions_suggested)
	diff = p1 - p2
	return Difference(difference=diff, low=diff - z * se, high=diff + z * se, standard_error=se)


def saving(difference: float, sessions_suggested: int, self_help_cost: float, desk_cost: float) -> float:
	"""What the suggestions saved: tickets avoided (the drop in the filing share times the sessions that
	saw suggestions), each a desk contact replaced by self-help (MetricNet: ~$22 vs ~$2)."""
	return difference * sessions_suggested * (desk_cost - self_help_cost)


def compare(sessions: list[dict], self_help_cost: float, desk_cost: float) -> list[dict]:
	"""The Deflection Holdout report: one row per (month, topic).

	sessions: month, topic, group (Holdout / Suggested), outcome (Left / Filed / Deflected)
	"""
	counts: dict[tuple[str, str], dict] = defaultdict(lambda: defaultdict(int))
	for session in sessions:
		key = (session["month"], session.get("topic") or "(no topic)")
		group = "holdout" if session["group"] == HOLDOUT else "suggested"
		counts[key][f"{group}_sessions"] += 1
		if session["outcome"] == FILED:
			counts[key][f"{group}_filed"] += 1
		elif session["outcome"] == DEFLECTED:
			counts[key][f"{group}_deflected"] += 1
	return [row(month, topic, c, self_help_cost, desk_cost) for (month, topic), c in sorted(counts.items())]


def row(month: str, topic: str, c: dict, self_help_cost: float, desk_cost: float) -> dict:
	n1, x1, n2, x2 = c["holdout_sessions"], c["holdout_filed"], c["suggested_sessions"], c["suggested_filed"]
	diff = difference_of_proportions(x1, n1, x2, n2)

	def percent(value):
		return None if value is None else round(100 * value, 1)

	def price(value):
		return None if diff is None else round(saving(value, n2, self_help_cost, desk_cost), 2)

	return {
		"month": month,
		"topic": topic,
		"holdout_sessions": n1,
		"holdout_filed": x1,
		"holdout_filed_share": percent(x1 / n1) if n1 else None,
		"suggested_sessions": n2,
		"suggested_filed": x2,
		"suggested_filed_share": percent(x2 / n2) if n2 else None,
		"difference": percent(diff.difference) if diff else None,
		"difference_low": percent(diff.low) if diff else None,
		"difference_high": percent(diff.high) if diff else None,
		"saving": price(diff.difference) if diff else None,
		"saving_low": price(diff.low) if diff else None,
		"saving_high": price(diff.high) if diff else None,
		"self_reported_deflections": c["suggested_deflected"],
	}
