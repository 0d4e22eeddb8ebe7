"""What peer support is worth, per month and topic: the numbers behind the reports (no frappe).

Rows come in as plain dicts from the glue; every figure here is computed from them, so the
reports can be checked against hand-computed values.
"""

from collections import defaultdict
from datetime import datetime
from statistics import median

NO_TOPIC = "(no topic)"


def month_of(moment: datetime) -> str:
	return moment.strftime("%Y-%m")


def hours_between(start: datetime | None, end: datetime | None) -> float | None:
	if not start or not end or end < start:
		return None
	return (end - start).total_seconds() / 3600


def median_or_none(values: list[float]) -> float | None:
	return round(median(values), 2) if values else None


def overview(
	tickets: list[dict], first_peer_answers: dict, deflections: list[dict], answers: list[dict]
) -> list[dict]:
	"""One row per (month, topic).

	tickets: name, created, topic, shared (bool), peer_resolved (bool), first_responded_on
	first_peer_answers: ticket name -> time of its first peer answer
	deflections: created, topic
	answers: created, topic, endorsed (bool), hidden (bool)
	"""
	rows: dict[tuple[str, str], dict] = defaultdict(
		lambda: {
			"tickets": 0,
			"shared": 0,
			"peer_resolved": 0,
			"deflections": 0,
			"endorsed": 0,
			"hidden": 0,
			"_peer_hours": [],
			"_agent_hours": [],
		}
	)
	for ticket in tickets:
		row = rows[(month_of(ticket["created"]), ticket.get("topic") or NO_TOPIC)]
		row["tickets"] += 1
		row["shared"] += bool(ticket.get("shared"))
		row["peer_resolved"] += bool(ticket.get("peer_resolved"))
		peer = hours_between(ticket["created"], first_peer_answers.get(ticket["name"]))
		agent = hours_between(ticket["created"], ticket.get("first_responded_on"))
		if peer is not None:
			row["_peer_hours"].append(peer)
		if agent is not None:
			row["_agent_hours"].append(agent)
	for deflection in deflections:
		rows[(month_of(deflection["created"]), deflection.get("topic") or NO_TOPIC)]["deflections"] += 1
	for answer in answers:
		row = rows[(month_of(answer["created"]), answer.get("topic") or NO_TOPIC)]
		row["endorsed"] += bool(answer.get("endorsed"))
		row["hidden"] += bool(answer.get("hidden"))
	result = []
	for (month, topic), row in sorted(rows.items()):
		peer_hours, agent_hours = row.pop("_peer_hours"), row.pop("_agent_hours")
		result.append(
			{
				"month": month,
				"topic": topic,
				**row,
				"peer_resolved_share": round(100 * row["peer_resolved"] / row["tickets"], 1)
				if row["tickets"]
				else 0.0,
				"median_hours_to_peer_answer": median_or_none(peer_hours),
				"median_hours_to_agent_response": median_or_none(agent_hours),
			}
		)
	return result


def totals(rows: list[dict]) -> dict:
	"""The report's summary across all rows (medians are not summable, so they are left out)."""
	keys = ("tickets", "shared", "peer_resolved", "deflections", "endorsed", "hidden")
	summed = {key: sum(row[key] for row in rows) for key in keys}
	summed["peer_resolved_share"] = (
		round(100 * summed["peer_resolved"] / summed["tickets"], 1) if summed["tickets"] else 0.0
	)
	return summed
