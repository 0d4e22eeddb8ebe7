"""Retrieval scoring for "similar solved questions": plain BM25, weighted reciprocal-rank fusion of a
lexical and a semantic ranking, the audience mask over the index, and the evaluation measures.

Plain Python and NumPy (no `frappe`): the site's index, the evaluation command and the unit tests all
rank with these functions.
"""

import math
import re
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

WORD = re.compile(r"[a-z0-9][a-z0-9'+#.-]*[a-z0-9+#]|[a-z0-9]", re.UNICODE)
# The words BM25 ignores (MariaDB's full-text index has a list of its own).
STOP_WORDS = frozenset(
	"a an and are as at be but by can cannot could do does doesn't don't for from get gets got has have "
	"how i i'm in is it it's its me my no not of on or our so that the their them then there this to "
	"us was we what when where which why will with would you your".split()
)
# Reciprocal-rank fusion's constant (Cormack et al. 2009): a document at rank r adds weight / (K + r).
RRF_K = 60


def terms(text: str | None) -> list[str]:
	"""The words of a text for BM25: lower case, stop words dropped, a plural's final s dropped."""
	words = WORD.findall((text or "").lower())
	return [
		w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
		for w in words
		if w not in STOP_WORDS
	]


class BM25:
	"""Okapi BM25 (k1 = 1.2, b = 0.75, Lucene's idf) over a fixed pool of documents."""

	def __init__(self, documents: Sequence[str], k1: float = 1.2, b: float = 0.75):
		self.k1, self.b = k1, b
		self.docs = [Counter(terms(d)) for d in documents]
		self.lengths = [sum(c.values()) for c in self.docs]
		self.average = (sum(self.lengths) / len(self.docs)) if self.docs else 0.0
		frequency = Counter(word for doc in self.docs for word in doc)
		n = len(self.docs)
		self.idf = {w: math.log(1 + (n - f + 0.5) / (f + 0.5)) for w, f in frequency.items()}
		self.postings: dict[str, list[int]] = {}
		for i, doc in enumerate(self.docs):
			for word in doc:
				self.postings.setdefault(word, []).append(i)

	def scores(self, query: str) -> dict[int, float]:
		found: dict[int, float] = {}
		for word in set(terms(query)):
			idf = self.idf.get(word)
			if idf is None:
				continue
			for i in self.postings[word]:
				tf = self.docs[i][word]
				norm = self.k1 * (1 - self.b + self.b * self.lengths[i] / (self.average or 1))
				found[i] = found.get(i, 0.0) + idf * tf * (self.k1 + 1) / (tf + norm)
		return found

	def top(self, query: str, k: int = 10) -> list[int]:
		found = self.scores(query)
		return sorted(found, key=lambda i: (-found[i], i))[:k]


def fuse(rankings: Iterable[tuple[Sequence[Hashable], float]], k: int = RRF_K) -> list[Hashable]:
	"""Weighted reciprocal-rank fusion: each ranking (best first) with its weight; best fused first.
	Ties keep the order of the first ranking that holds the document."""
	score: dict[Hashable, float] = {}
	first_seen: dict[Hashable, int] = {}
	for ranking, weight in rankings:
		for rank, doc in enumerate(ranking, start=1):
			score[doc] = score.get(doc, 0.0) + weight / (k + rank)
			first_seen.setdefault(doc, len(first_seen))
	return sorted(score, key=lambda d: (-score[d], first_seen[d]))


def top_by_similarity(
	matrix: np.ndarray, query: np.ndarray, k: int, mask: np.ndarray | None = None, floor: float = -1.0
) -> list[tuple[int, float]]:
	"""The k rows of `matrix` (unit vectors) most similar to `query` among the rows `mask` allows,
	with their cosine similarity, best first; rows below `floor` are left out."""
	rows = np.flatnonzero(mask) if mask is not None else np.arange(len(matrix))
	if not len(rows) or k <= 0:
		return []
	# Few rows allowed: multiply those (a copy of them); many: multiply all in place and pick them.
	if mask is None:
		similarity = matrix @ query
	elif len(rows) * 2 < len(matrix):
		similarity = matrix[rows] @ query
	else:
		similarity = (matrix @ query)[rows]
	k = min(k, len(rows))
	best = np.argpartition(-similarity, k - 1)[:k]
	best = best[np.argsort(-similarity[best], kind="stable")]
	return [(int(rows[i]), float(similarity[i])) for i in best if similarity[i] >= floor]


@dataclass(frozen=True)
class Audience:
	"""Who is asking, in the index's codes: which rows the audience rule lets them read."""

	everyone: bool  # agents, or the audience "All Portal Users"
	customers: frozenset[int] = frozenset()  # codes of the caller's customers
	user: int = -1  # the caller's code among the index's requesters
	excluded_types: frozenset[int] = frozenset()
	excluded_teams: frozenset[int] = frozenset()
	excluded_priorities: frozenset[int] = frozenset()


def audience_mask(
	columns: dict[str, np.ndarray], audience: Audience, pool: np.ndarray | None = None
) -> np.ndarray:
	"""The rows of the index the caller may be shown, before any ranking: the feed's audience rule
	(`core.audience.may_read_community` for solved community questions) and the sharing policy.

	`columns` holds one integer code per row: customer, requester, ticket_type, agent_group, priority
	(-1: none), and `pool`, the rows to consider at all (e.g. solved community questions)."""
	mask = np.ones(len(columns["customer"]), bool) if pool is None else pool.copy()
	if not audience.everyone:
		mine = columns["requester"] == audience.user
		if audience.customers:
			mine |= np.isin(columns["customer"], list(audience.customers))
		mask &= mine
	for column, excluded in (
		("ticket_type", audience.excluded_types),
		("agent_group", audience.excluded_teams),
		("priority", audience.excluded_priorities),
	):
		if excluded:
			mask &= ~np.isin(columns[column], list(excluded))
	return mask


def recall_at(ranked: Sequence[Hashable], relevant: Hashable, k: int) -> float:
	return 1.0 if relevant in ranked[:k] else 0.0


def reciprocal_rank_at(ranked: Sequence[Hashable], relevant: Hashable, k: int) -> float:
	for rank, doc in enumerate(ranked[:k], start=1):
		if doc == relevant:
			return 1.0 / rank
	return 0.0


def measures(results: Iterable[tuple[Sequence[Hashable], Hashable]]) -> dict[str, float]:
	"""recall@1, recall@5 and MRR@5 over (ranking, the one relevant document) pairs."""
	results = list(results)
	n = len(results) or 1
	return {
		"recall@1": sum(recall_at(r, rel, 1) for r, rel in results) / n,
		"recall@5": sum(recall_at(r, rel, 5) for r, rel in results) / n,
		"mrr@5": sum(reciprocal_rank_at(r, rel, 5) for r, rel in results) / n,
		"queries": len(results),
	}
