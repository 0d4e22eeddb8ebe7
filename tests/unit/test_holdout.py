import math

import pytest

from peer_support.core.holdout import (
	DEFLECTED,
	FILED,
	HOLDOUT,
	LEFT,
	SUGGESTED,
	bucket,
	compare,
	difference_of_proportions,
	group_of,
	in_holdout,
	saving,
)


def test_the_bucket_is_sha1_of_user_and_month_mod_10000():
	# pinned: changing the rule mid-month would move askers between groups
	assert bucket("jeff@acme.test", "2026-10") == 3045
	assert bucket("jeff@acme.test", "2026-11") == 157
	assert in_holdout("jeff@acme.test", "2026-11", 10)  # 157 < 1000
	assert not in_holdout("jeff@acme.test", "2026-10", 10)  # 3045 >= 1000
	assert in_holdout("jeff@acme.test", "2026-10", 40)  # 3045 < 4000
	assert group_of("jeff@acme.test", "2026-11", 10) == HOLDOUT
	assert group_of("jeff@acme.test", "2026-10", 10) == SUGGESTED


def test_the_assignment_is_stable_and_about_the_share():
	users = [f"user{i}@example.org" for i in range(5000)]
	first = [in_holdout(u, "2026-10", 10) for u in users]
	assert first == [in_holdout(u, "2026-10", 10) for u in users]
	assert 0.08 < sum(first) / len(users) < 0.12
	# drawn again next month: not the same people
	nxt = [in_holdout(u, "2026-11", 10) for u in users]
	assert first != nxt
	assert not any(in_holdout(u, "2026-10", 0) for u in users[:200])
	assert all(in_holdout(u, "2026-10", 100) for u in users[:200])


def test_the_interval_equals_the_hand_computed_wald_interval():
	# 30 of 100 held-out sessions filed a ticket, 20 of 200 with suggestions
	# se = sqrt(.3*.7/100 + .1*.9/200) = sqrt(.00255) = 0.0504975
	d = difference_of_proportions(30, 100, 20, 200)
	assert d.difference == pytest.approx(0.2)
	assert d.standard_error == pytest.approx(0.0504975, abs=1e-6)
	assert d.low == pytest.approx(0.2 - 1.959964 * 0.0504975, abs=1e-5)  # 0.10103
	assert d.high == pytest.approx(0.29897, abs=1e-5)
	assert difference_of_proportions(1, 0, 1, 10) is None
	assert difference_of_proportions(1, 10, 0, 0) is None
	# no variance in either group: the interval is a point
	same = difference_of_proportions(10, 10, 0, 10)
	assert (same.difference, same.low, same.high) == (1.0, 1.0, 1.0)


def test_the_saving_prices_tickets_avoided():
	# 0.2 fewer tickets per session over 200 sessions: 40 tickets, each $22 - $2
	assert saving(0.2, 200, 2, 22) == pytest.approx(800)
	assert saving(-0.1, 100, 2, 22) == pytest.approx(-200)


def test_the_report_rows_per_month_and_topic():
	def sessions(n, group, outcome, month="2026-10", topic="Printers"):
		return [{"month": month, "topic": topic, "group": group, "outcome": outcome}] * n

	data = (
		sessions(3, HOLDOUT, FILED)
		+ sessions(7, HOLDOUT, LEFT)
		+ sessions(2, SUGGESTED, FILED)
		+ sessions(5, SUGGESTED, DEFLECTED)
		+ sessions(13, SUGGESTED, LEFT)
		+ sessions(4, SUGGESTED, FILED, topic=None)
	)
	rows = compare(data, 2, 22)
	assert [(r["month"], r["topic"]) for r in rows] == [("2026-10", "(no topic)"), ("2026-10", "Printers")]
	no_topic, printers = rows
	assert no_topic["holdout_sessions"] == 0 and no_topic["difference"] is None and no_topic["saving"] is None
	assert no_topic["suggested_filed_share"] == 100.0
	# holdout 3/10 = 30 %, suggested 2/20 = 10 %: 20 points; se = sqrt(.021 + .0045) = 0.159687
	se = math.sqrt(0.3 * 0.7 / 10 + 0.1 * 0.9 / 20)
	assert printers["holdout_filed_share"] == 30.0 and printers["suggested_filed_share"] == 10.0
	assert printers["difference"] == 20.0
	assert printers["difference_low"] == round(100 * (0.2 - 1.959964 * se), 1) == -11.3
	assert printers["difference_high"] == 51.3
	assert printers["saving"] == 80.0  # 0.2 * 20 sessions * $20
	assert printers["saving_low"] == round((0.2 - 1.959963984540054 * se) * 20 * 20, 2)
	assert printers["self_reported_deflections"] == 5


def test_a_filed_ticket_is_the_outcome_whatever_was_clicked_before():
	from peer_support.core.holdout import next_outcome

	assert next_outcome(LEFT, DEFLECTED) == DEFLECTED
	assert next_outcome(LEFT, FILED) == FILED
	assert next_outcome(DEFLECTED, FILED) == FILED
	assert next_outcome(FILED, DEFLECTED) == FILED
	assert next_outcome(DEFLECTED, LEFT) == DEFLECTED
