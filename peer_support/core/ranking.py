"""The order of peer answers on a ticket: accepted first, then verified by IT, then votes, then oldest."""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class RankedAnswer:
	name: str
	accepted: bool
	endorsed: bool
	score: int
	created: datetime


def rank_key(answer: RankedAnswer) -> tuple:
	return (not answer.accepted, not answer.endorsed, -answer.score, answer.created, answer.name)


def rank(answers: list[RankedAnswer]) -> list[str]:
	"""Names of the answers in display order."""
	return [answer.name for answer in sorted(answers, key=rank_key)]
