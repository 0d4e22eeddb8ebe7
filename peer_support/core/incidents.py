"""Emerging incidents: when many people report one problem at once, and what a known-issue notice is.

Two signals, both counted inside a window (settings): "I have this too" marks on one ticket, and new
tickets of one topic that say the same thing (their subjects' sentence vectors, or their words where
the model is not installed). Tickets are grouped by topic and similarity; a group whose most-marked
ticket or whose count of new tickets reaches its threshold is a candidate incident, and the agents are
told "possible incident: N people, M tickets" once per group, again only when it has grown
materially (doubled), and never while a known-issue notice covers one of its tickets.

Plain Python and NumPy (no `frappe`): the detection job, the Ask page's notice matching and the unit
tests use these functions.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from peer_support.core.audience import Viewer
from peer_support.core.retrieval import terms

INVESTIGATING = "Investigating"
IDENTIFIED = "Identified"
MONITORING = "Monitoring"
RESOLVED = "Resolved"
STATUSES = (INVESTIGATING, IDENTIFIED, MONITORING, RESOLVED)
ACTIVE_STATUSES = (INVESTIGATING, IDENTIFIED, MONITORING)

# An alert is raised again for the same group only when its people or its tickets have doubled.
GROWTH = 2.0
# A notice is offered on the Ask page when the typed text is at least this close to it.
NOTICE_MATCH_FLOOR = 0.45
NOTICE_WORD_FLOOR = 0.3
NO_TOPIC = ""


@dataclass(frozen=True)
class Thresholds:
	marks: int = 5  # "I have this too" marks on one ticket inside the window
	tickets: int = 5  # similar new tickets of one topic inside the window
	similarity: float = 0.6  # cosine of two subjects that say the same thing

	@property
	def enabled(self) -> bool:
		return self.marks > 0 or self.tickets > 0


@dataclass(frozen=True)
class Unit:
	"""A ticket the window saw: created inside it (`new`), or marked inside it (`markers`)."""

	name: str
	topic: str | None
	requester: str | None
	subject: str = ""
	new: bool = False
	markers: frozenset[str] = frozenset()
	created: datetime | None = None


@dataclass(frozen=True)
class Cluster:
	"""A group of tickets of one topic that say the same thing (or one much-marked ticket)."""

	topic: str | None
	tickets: tuple[str, ...]
	people: frozenset[str]
	new_tickets: int
	most_marks: int
	marks: int
	subject: str

	def crosses(self, thresholds: Thresholds) -> bool:
		return bool(
			(thresholds.marks > 0 and self.most_marks >= thresholds.marks)
			or (thresholds.tickets > 0 and self.new_tickets >= thresholds.tickets)
		)


@dataclass(frozen=True)
class PastAlert:
	"""An alert raised before for a group: the tickets and the counts the agents were told."""

	name: str
	tickets: frozenset[str]
	people: int
	tickets_count: int
	covered: bool = False  # a known-issue notice was published from it and is not resolved


@dataclass(frozen=True)
class Decision:
	cluster: Cluster
	alert: str | None = None  # the past alert this group is (None: a new one)
	grown: bool = False


@dataclass
class _Sets:
	parent: list[int] = field(default_factory=list)

	def find(self, i: int) -> int:
		while self.parent[i] != i:
			self.parent[i] = self.parent[self.parent[i]]
			i = self.parent[i]
		return i

	def join(self, a: int, b: int) -> None:
		a, b = self.find(a), self.find(b)
		if a != b:
			self.parent[max(a, b)] = min(a, b)


def word_set(text: str | None) -> frozenset[str]:
	return frozenset(terms(text))


def word_cosine(a: frozenset[str], b: frozenset[str]) -> float:
	"""Cosine of two sets of words (as binary vectors)."""
	if not a or not b:
		return 0.0
	return len(a & b) / (len(a) * len(b)) ** 0.5


def similar_pairs(
	subjects: Sequence[str], vectors: np.ndarray | None, threshold: float
) -> list[tuple[int, int]]:
	"""Pairs (i, j), i < j, of subjects that say the same thing: the cosine of their unit sentence
	vectors (one row per subject) at or above `threshold`, or, without vectors, their words' cosine.
	Words are compared only within pairs that share a word (an inverted index), so a topic's thousand
	new tickets cost far less than a million comparisons."""
	n = len(subjects)
	if n < 2:
		return []
	if vectors is not None and len(vectors) == n:
		similarity = vectors @ vectors.T
		rows, cols = np.nonzero(np.triu(similarity >= threshold, k=1))
		return list(zip(rows.tolist(), cols.tolist(), strict=True))
	words = [word_set(s) for s in subjects]
	postings: dict[str, list[int]] = {}
	for i, ws in enumerate(words):
		for w in ws:
			postings.setdefault(w, []).append(i)
	pairs = set()
	for i, ws in enumerate(words):
		candidates = {j for w in ws for j in postings[w] if j > i}
		pairs.update((i, j) for j in candidates if word_cosine(ws, words[j]) >= threshold)
	return sorted(pairs)


def clusters(
	units: Iterable[Unit], threshold: float, vectors: dict[str, np.ndarray] | None = None
) -> list[Cluster]:
	"""Group the window's tickets by topic and similarity (single link: A like B and B like C put A, B
	and C together). `vectors`: ticket name -> unit sentence vector of its subject, where known; a topic
	is compared by vectors when every ticket of it has one, else by words."""
	by_topic: dict[str, list[Unit]] = {}
	for unit in units:
		by_topic.setdefault(unit.topic or NO_TOPIC, []).append(unit)
	found = []
	for topic, members in sorted(by_topic.items()):
		members.sort(key=lambda u: (u.created or datetime.min, u.name))
		matrix = None
		if vectors and all(u.name in vectors for u in members):
			matrix = np.stack([vectors[u.name] for u in members]).astype(np.float32)
		sets = _Sets(list(range(len(members))))
		for i, j in similar_pairs([u.subject for u in members], matrix, threshold):
			sets.join(i, j)
		groups: dict[int, list[Unit]] = {}
		for i, unit in enumerate(members):
			groups.setdefault(sets.find(i), []).append(unit)
		for group in groups.values():
			found.append(make_cluster(topic or None, group))
	return found


def make_cluster(topic: str | None, group: Sequence[Unit]) -> Cluster:
	people = set()
	for unit in group:
		people.update(unit.markers)
		if unit.requester and (unit.new or unit.markers):
			people.add(unit.requester)
	# The group's subject: its most marked ticket's, else its first new ticket's.
	lead = max(group, key=lambda u: (len(u.markers), u.new))
	return Cluster(
		topic=topic,
		tickets=tuple(u.name for u in group),
		people=frozenset(people),
		new_tickets=sum(u.new for u in group),
		most_marks=max(len(u.markers) for u in group),
		marks=sum(len(u.markers) for u in group),
		subject=lead.subject,
	)


def decide(
	found: Iterable[Cluster],
	past: Iterable[PastAlert],
	noticed: frozenset[str],
	thresholds: Thresholds,
	growth: float = GROWTH,
) -> list[Decision]:
	"""Which groups the agents are told about now.

	A group that crosses a threshold is told once: a past alert sharing a ticket with it is the same
	group, told again only when its people or its tickets reached `growth` times what was told, and
	never while a known-issue notice is live for it (one of its tickets is linked to an unresolved
	notice, in `noticed`, or the past alert's notice is unresolved)."""
	past = list(past)
	decisions = []
	for cluster in found:
		if not cluster.crosses(thresholds):
			continue
		if noticed & set(cluster.tickets):
			continue
		tickets = set(cluster.tickets)
		same = max(past, key=lambda a: len(a.tickets & tickets), default=None)
		if same is None or not (same.tickets & tickets):
			decisions.append(Decision(cluster))
			continue
		if same.covered:
			continue
		if len(cluster.people) >= growth * max(same.people, 1) or len(cluster.tickets) >= growth * max(
			same.tickets_count, 1
		):
			decisions.append(Decision(cluster, alert=same.name, grown=True))
	return decisions


def alert_subject(cluster: Cluster) -> str:
	"""What the agents read: "Possible incident: N people, M tickets (topic): subject"."""
	people = len(cluster.people)
	tickets = len(cluster.tickets)
	head = "Possible incident: {} {}, {} {}".format(
		people, "person" if people == 1 else "people", tickets, "ticket" if tickets == 1 else "tickets"
	)
	return (
		head
		+ (f" ({cluster.topic})" if cluster.topic else "")
		+ (f": {cluster.subject}" if cluster.subject else "")
	)


# Known-issue notices
# -------------------


def may_read_notice(viewer: Viewer, customers: frozenset[str], published: bool = True) -> bool:
	"""A notice is for the service desk and for its audience: the portal users of its customers, or, with
	no customer listed, every portal user. The desk's own notes (linked tickets, alerts) are never in
	what a portal user reads of it."""
	if viewer.is_guest:
		return False
	if viewer.is_agent:
		return True
	if not published:
		return False
	return not customers or bool(customers & viewer.customers)


def is_active(status: str | None) -> bool:
	return status in ACTIVE_STATUSES


def notice_score(
	query: str,
	notice_text: str,
	query_vector: np.ndarray | None = None,
	notice_vector: np.ndarray | None = None,
) -> float:
	"""How close the typed question is to a notice: the cosine of their sentence vectors when both are
	known, else of their words."""
	if query_vector is not None and notice_vector is not None:
		return float(np.dot(query_vector, notice_vector))
	return word_cosine(word_set(query), word_set(notice_text))


def matching_notices(
	query: str,
	notices: Sequence[tuple[str, str, np.ndarray | None]],
	query_vector: np.ndarray | None = None,
	limit: int = 3,
) -> list[str]:
	"""The notices (name, text, vector) the typed question matches, best first."""
	scored = []
	for name, text, vector in notices:
		semantic = query_vector is not None and vector is not None
		score = notice_score(query, text, query_vector if semantic else None, vector if semantic else None)
		words = word_cosine(word_set(query), word_set(text))
		if (semantic and score >= NOTICE_MATCH_FLOOR) or words >= NOTICE_WORD_FLOOR:
			scored.append((max(score, words), name))
	scored.sort(key=lambda item: -item[0])
	return [name for _, name in scored[:limit]]


def to_tell_on_resolve(
	subscribers: Iterable[str], affected: Iterable[str], requesters: Iterable[str], told_before: bool
) -> list[str]:
	"""Who hears that a notice is resolved: its subscribers, everyone who said "I have this too" on a
	linked ticket, and every linked ticket's requester; nobody when they were told already (once)."""
	if told_before:
		return []
	return sorted({u for u in (*subscribers, *affected, *requesters) if u and u != "Guest"})
