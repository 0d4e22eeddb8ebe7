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
