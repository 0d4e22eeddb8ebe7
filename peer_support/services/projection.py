"""What leaves the server about peer answers: the fields listed here, for the caller at hand.

Portal users never receive a Peer Answer document, only these projections: no e-mail addresses,
and the moderation state (hidden, reason, flags, KB article) for agents only.
"""

import frappe
from frappe import _
from frappe.query_builder import DocType

from peer_support.core.ranking import RankedAnswer, rank
from peer_support.services.access import ANSWER_FIELDS
from peer_support.services.rows import param, statement

# The columns the community page shows of an answer: what access reads, less what only the rules need.
ANSWER_LIST_FIELDS = [f for f in ANSWER_FIELDS if f not in ("ticket", "resolved_ticket")]


def answers_of(ticket: str, me) -> list[dict]:
	"""Peer answers in display order; hidden ones only for agents. One statement, whatever the count:
	each answer with its author's and endorser's names and the caller's vote on it."""

	def build(agent: bool):
		Answer, Vote = DocType("Peer Answer"), DocType("Peer Answer Vote")
		Author, Endorser = DocType("User").as_("author_user"), DocType("User").as_("endorser_user")
		query = (
			frappe.qb.from_(Answer)
			.left_join(Author)
			.on(Author.name == Answer.author)
			.left_join(Endorser)
			.on(Endorser.name == Answer.endorsed_by)
			# the (answer, voter) key
			.left_join(Vote)
			.on((Vote.answer == Answer.name) & (Vote.voter == param("me")))
			.select(
				*(Answer[f] for f in ANSWER_LIST_FIELDS),
				Author.full_name.as_("author_name"),
				Endorser.full_name.as_("endorser_name"),
				Vote.value.as_("my_vote"),
			)
			.where(Answer.ticket == param("ticket"))
		)
		return query if agent else query.where(Answer.hidden == 0)

	sql = statement(("answers_of", me.is_agent), lambda: build(me.is_agent))
	rows = frappe.db.sql(sql, {"ticket": str(ticket), "me": me.user}, as_dict=True)
	by_name = {row.name: row for row in rows}
	order = rank(
		[RankedAnswer(r.name, bool(r.accepted), bool(r.endorsed_by), r.score or 0, r.creation) for r in rows]
	)
	return [
		answer_projection(row, me, {row.author: row.author_name, row.endorsed_by: row.endorser_name})
		| {"my_vote": row.my_vote or 0}
		for row in map(by_name.get, order)
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
