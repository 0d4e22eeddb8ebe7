"""Knowledge that decays: when a knowledge-base article goes back to review.

An article that once worked can stop working (a new driver, a changed sign-in, a moved server). Its
readers say so before anyone else: they mark it "didn't help", a ticket it solved comes back
(reopened), or an asker who said it solved their question files the question anyway. Any of these
sends a published article back to review; an agent closes the review when the article is right again.
Plain Python: the rules are checked without a site.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

# Why an article went back to review (Peer Article Review.reason).
DIDNT_HELP = "Didn't Help"
REOPENED = "Ticket Reopened"
CAME_BACK = "Asked Again after Deflection"
REASONS = (DIDNT_HELP, REOPENED, CAME_BACK)

# Peer Article Review.status
UNDER_REVIEW = "Under Review"
REVIEWED = "Reviewed"


@dataclass(frozen=True)
class FeedbackRule:
	"""How many "didn't help" marks send an article back: at least `threshold` of them (0: never), and
	at least `share` percent of the article's marks (so 3 dislikes among 200 likes do not)."""

	threshold: int
	share: float = 50.0


def feedback_due(rule: FeedbackRule, didnt_help: int, helped: int) -> bool:
	"""Do these marks (counted since the article's last review) send it back to review?"""
	if rule.threshold <= 0 or didnt_help < rule.threshold:
		return False
	total = didnt_help + helped
	share = min(max(float(rule.share or 0), 0.0), 100.0)
	return 100 * didnt_help >= share * total


def reopened(was_done: bool, is_done: bool) -> bool:
	"""A ticket that was resolved or closed and is open again (Helpdesk's reopen, in either version)."""
	return was_done and not is_done


def came_back(deflected_at: datetime | None, filed_at: datetime | None, days: int) -> bool:
	"""An asker said the article solved it, then filed a ticket within `days` days (0: not counted)."""
	if days <= 0 or not deflected_at or not filed_at or filed_at < deflected_at:
		return False
	return filed_at - deflected_at <= timedelta(days=days)


def may_open(published: bool, under_review: bool) -> bool:
	"""Only a published article goes *back* to review (a draft is being reviewed by the desk already),
	and one review at a time: a second trigger while it is under review changes nothing."""
	return published and not under_review


def people_to_tell(article_author: str | None, source_authors: Iterable[str | None]) -> list[str]:
	"""The article's author (the agent who wrote or promoted it) and the colleagues whose answers it
	is made of, once each."""
	people = {article_author, *source_authors}
	return sorted(p for p in people if p and p not in ("Guest", "Administrator"))


def linked_articles(html: str | None, route_prefixes: Iterable[str]) -> list[str]:
	"""Article names linked in a reply (`<prefix><name>` in an href or the text), in order, once each."""
	found: dict[str, None] = {}
	for prefix in route_prefixes:
		for match in re.finditer(re.escape(prefix) + r"([A-Za-z0-9_-]+)", html or ""):
			found.setdefault(match.group(1), None)
	return list(found)
