"""Plain text of the rich text that answers, tickets and articles hold (Helpdesk's editors write
HTML): for excerpts and for the suggestion index. Block elements end a word, inline ones do not, so
"<h2>The question</h2><p>The photos…" reads "The question The photos…" and "<b>Out</b>look" stays
"Outlook"."""

import html
import re

BLOCK = re.compile(
	r"</?(?:p|div|br|hr|h[1-6]|li|ul|ol|tr|td|th|table|blockquote|pre|section|article|figure|figcaption)"
	r"\b[^>]*>",
	re.IGNORECASE,
)
DROPPED = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
TAG = re.compile(r"<[^>]*>")


def plain_text(markup: str | None) -> str:
	"""The words of `markup` with single spaces between them: tags gone, entities read."""
	text = DROPPED.sub(" ", markup or "")
	text = TAG.sub("", BLOCK.sub(" ", text))
	return " ".join(html.unescape(text).split())


def excerpt(markup: str | None, length: int = 300) -> str:
	"""The start of the plain text, cut to `length` characters with an ellipsis."""
	text = plain_text(markup)
	return text if len(text) <= length else text[: length - 1] + "…"
