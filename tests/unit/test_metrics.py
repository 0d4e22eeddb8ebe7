from datetime import datetime, timedelta

from peer_support.core.metrics import NO_TOPIC, overview, totals

T0 = datetime(2026, 10, 5, 9, 0)


def ticket(name, topic="Printers", shared=True, peer_resolved=False, agent_after_h=None, created=T0):
	return {
		"name": name,
		"created": created,
		"topic": topic,
		"shared": shared,
		"peer_resolved": peer_resolved,
		"first_responded_on": created + timedelta(hours=agent_after_h) if agent_after_h is not None else None,
	}


def test_overview_counts_shares_and_medians_per_month_and_topic():
	tickets = [
		ticket("1", peer_resolved=True, agent_after_h=4),
		ticket("2", agent_after_h=2),
		ticket("3", shared=False, agent_after_h=9),
		ticket("4", topic=None, created=datetime(2026, 11, 1)),
	]
	first_peer = {"1": T0 + timedelta(hours=1), "2": T0 + timedelta(hours=3)}
	deflections = [{"created": T0, "topic": "Printers"}, {"created": datetime(2026, 11, 2), "topic": None}]
	answers = [
		{"created": T0, "topic": "Printers", "endorsed": True, "hidden": False},
		{"created": T0, "topic": "Printers", "endorsed": False, "hidden": True},
	]
	rows = overview(tickets, first_peer, deflections, answers)
	october = rows[0]
	assert (october["month"], october["topic"]) == ("2026-10", "Printers")
	assert october["tickets"] == 3 and october["shared"] == 2 and october["peer_resolved"] == 1
	assert october["peer_resolved_share"] == 33.3
	assert october["median_hours_to_peer_answer"] == 2.0  # 1 h and 3 h
	assert october["median_hours_to_agent_response"] == 4.0  # 2, 4 and 9 h
	assert october["deflections"] == 1 and october["endorsed"] == 1 and october["hidden"] == 1
	november = rows[1]
	assert (november["month"], november["topic"], november["tickets"], november["deflections"]) == (
		"2026-11",
		NO_TOPIC,
		1,
		1,
	)
	assert november["median_hours_to_peer_answer"] is None
	assert totals(rows) == {
		"tickets": 4,
		"shared": 3,
		"peer_resolved": 1,
		"deflections": 2,
		"endorsed": 1,
		"hidden": 1,
		"peer_resolved_share": 25.0,
	}


def test_an_answer_before_the_ticket_is_ignored_not_negative():
	rows = overview([ticket("1")], {"1": T0 - timedelta(hours=1)}, [], [])
	assert rows[0]["median_hours_to_peer_answer"] is None
