"""What leaves the server about peer answers: the fields listed here, for the caller at hand.

Portal users never receive a Peer Answer document, only these projections: no e-mail addresses,
and the moderation state (hidden, reason, flags, KB article) for agents only.
"""

import frappe
from frappe import _
from frappe.query_builder import DocType

from peer_support.core.ranking import RankedAnswer, rank
from peer_support.services.access import ANSWER_FIELDS
from peer_support.services.rows import full_names

# The columns the community page shows of an answer: what access reads, less what only the rules need.
ANSWER_LIST_FIELDS = [f for f in ANSWER_FIELDS if f not in ("ticket", "resolved_ticket")]


def answers_of(ticket: str, me) -> list[dict]:
	"""Peer answers in display order; hidden ones only for agents. Three queries, whatever the count."""
	Answer, Vote = DocType("Peer Answer"), DocType("Peer Answer Vote")
	query = (
		frappe.qb.from_(Answer)
		.select(*(Answer[f] for f in ANSWER_LIST_FIELDS))
		.where(Answer.ticket == str(ticket))
	)
	if not me.is_agent:
		query = query.where(Answer.hidden == 0)
	rows = query.run(as_dict=True)
	if not rows:
		return []
	names = full_names([row.author for row in rows] + [row.endorsed_by for row in rows])
	my_votes = dict(
		frappe.qb.from_(Vote)
		.select(Vote.answer, Vote.value)
		.where(Vote.ticket == str(ticket))
		.where(Vote.voter == me.user)
		.run()
	)
	by_name = {row.name: row for row in rows}
	order = rank(
		[RankedAnswer(r.name, bool(r.accepted), bool(r.endorsed_by), r.score or 0, r.creation) for r in rows]
	)
	return [
		answer_projection(by_name[name], me, names) | {"my_vote": my_votes.get(name, 0)} for name in order
	]


def answer_projection(row, me, full_names: dict) -> dict:
	"""One peer answer as the community page shows it: no email addresses, hidden state for agents only."""
	answer = {
		"name": row.name,
		"author": full_names.get(row.author) or _("A colleague"),
		"body": row.body or "",  # sanitised when saved (Frappe cleans Text Editor fields on every save)
		"score": row.score or 0,
		"accepted": bool(row.accepted),
		"endorsed": bool(row.endorsed_by),
		"endorsed_by": full_names.get(row.endorsed_by) if row.endorsed_by else None,
		"created": str(row.creation),
		"is_mine": row.author == me.user,
	}
	if me.is_agent:
		answer["hidden"] = bool(row.hidden)
		answer["hidden_reason"] = row.get("hidden_reason") if row.hidden else None
		answer["flags"] = row.get("flags_count") or 0
		answer["kb_article"] = row.get("kb_article")
	return answer
