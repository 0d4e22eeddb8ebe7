"""What makes an acceptable peer answer body, before any HTML sanitising."""

import re
from enum import Enum

MAX_BODY_CHARS = 20_000
_TAGS = re.compile(r"<[^>]*>")


class BodyProblem(str, Enum):
	EMPTY = "empty"
	TOO_LONG = "too_long"


def body_problem(body: str | None) -> BodyProblem | None:
	"""None when the body may be saved; otherwise why not (empty once tags and spaces are gone, or too long)."""
	text = _TAGS.sub("", body or "").replace("&nbsp;", " ").strip()
	if not text:
		return BodyProblem.EMPTY
	if len(body) > MAX_BODY_CHARS:
		return BodyProblem.TOO_LONG
	return None


class EditRefusal(str, Enum):
	NOT_AUTHOR = "not_author"
	ACCEPTED = "accepted"


def edit_refusal(author: str, editor: str, accepted: bool) -> EditRefusal | None:
	"""Authors edit their own answers until one is accepted: the requester accepted what they read."""
	if author != editor:
		return EditRefusal.NOT_AUTHOR
	if accepted:
		return EditRefusal.ACCEPTED
	return None


def hidden_for_review(flags: int, threshold: int) -> bool:
	"""Enough colleagues flagged the answer to take it off the community page until an agent looks."""
	return threshold > 0 and flags >= threshold


def review_reason(threshold: int) -> str:
	return f"Hidden for review after {threshold} flags from colleagues"
