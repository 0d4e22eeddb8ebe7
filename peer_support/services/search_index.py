"""The suggestion index: solved questions and published articles, their text and sentence vector.

Where it is written: background jobs after commit (a ticket solved, reopened, shared or unshared; an
answer accepted, withdrawn, endorsed or hidden; an article published, changed or unpublished),
deletion at once, and `bench --site S peer-support-search-index rebuild`. The rows live in MariaDB
(Peer Search Entry: a FULLTEXT index over title and text for the lexical side, a float16 vector for
the semantic side), so every web worker serves the same index and a rebuild survives restarts.

How it is read (`suggest`): the lexical candidates come from MariaDB's full-text search, the
semantic ones from the vectors, which each worker keeps in memory and refreshes by the rows changed
since its last read (a version number in Redis tells it to look). Both sides are limited to what the
caller may read before anything is ranked (the audience rule and sharing policy on the entry's
columns); the fused list is then checked once more against the live tickets (`access`), so a row that
changed since it was indexed is never shown.
"""

import base64
import hashlib
import pickle
import threading
import time

import frappe
import numpy as np

from peer_support import embedding, host
from peer_support.core.audience import ALL_PORTAL_USERS
from peer_support.core.retrieval import (
	STOP_WORDS,
	WORD,
	Audience,
	audience_mask,
	fuse,
	top_by_similarity,
)
from peer_support.core.text import plain_text
from peer_support.core.visibility import COMMUNITY
from peer_support.peer_support.doctype.peer_support_settings.peer_support_settings import get_settings

ENTRY = "Peer Search Entry"
FULLTEXT = "peer_support_search_ft"
VERSION_KEY = "peer_support:search_index_version"
KINDS = {"HD Ticket": "T", "HD Article": "A", "Evaluation": "E"}
SOURCES = {prefix: doctype for doctype, prefix in KINDS.items()}  # an entry name's prefix -> doctype
CONTENT_LIMIT = 6000
CANDIDATES = 30
QUERY_WORDS = 8
MATCH_BUDGET = 300
CACHED_FROM = 100
WORD_COUNT_TTL = 3600
RARE_WORD_COUNT_TTL = 60
REREAD_SECONDS = 120
# Fusion weights, chosen on the development half of the evaluation set (fixtures/retrieval_eval):
# every larger lexical weight lowered recall@5 or MRR@5 there (MariaDB's ranking is the weaker one), so the
# lexical side mostly orders what the semantic side does not find (see README, "Suggestions").
LEXICAL_WEIGHT = 0.01
SEMANTIC_WEIGHT = 1.0
# A semantic candidate less similar than this is no suggestion at all: on the evaluation set 99% of
# the questions' right answers score above 0.316, unrelated questions mostly below 0.25.
SEMANTIC_FLOOR = 0.3
# Fields of HD Ticket whose change re-indexes the ticket.
TICKET_FIELDS = (
	"subject",
	"description",
	"status",
	"customer",
	"raised_by",
	"ticket_type",
	"agent_group",
	"priority",
	"peer_visibility",
	"peer_status",
	"peer_accepted_answer",
)
ARTICLE_FIELDS = ("title", "content", "status")


def entry_name(doctype: str, name) -> str:
	return f"{KINDS[doctype]}-{name}"


# What an entry says
# ------------------


def plain(html: str | None) -> str:
	return plain_text(html)


def ticket_entry(name) -> dict | None:
	"""The entry of a ticket, or None when it is not (or no longer) indexed: a ticket is indexed when
	it is solved (Helpdesk's done statuses, or an accepted peer answer) or has an endorsed answer."""
	ticket = frappe.db.get_value(
		"HD Ticket", name, ["name", "description", "owner", *TICKET_FIELDS], as_dict=True
	)
	if not ticket:
		return None
	Answer = frappe.qb.DocType("Peer Answer")
	answers = (
		frappe.qb.from_(Answer)
		.select(Answer.name, Answer.body, Answer.endorsed_by)
		.where(Answer.ticket == ticket.name)
		.where(Answer.hidden == 0)
		.where((Answer.name == (ticket.peer_accepted_answer or "")) | Answer.endorsed_by.isnotnull())
		.run(as_dict=True)
	)
	accepted = ticket.peer_status == "Accepted" and bool(ticket.peer_accepted_answer)
	solved = accepted or host.is_done(ticket)
	if not (solved or answers):
		return None
	body = " ".join(
		plain(a.body) for a in sorted(answers, key=lambda a: a.name != ticket.peer_accepted_answer)
	)
	return {
		"name": entry_name("HD Ticket", ticket.name),
		"source_doctype": "HD Ticket",
		"source_name": str(ticket.name),
		"title": (ticket.subject or "")[:140],
		"content": " ".join(filter(None, (ticket.subject, plain(ticket.description), body)))[:CONTENT_LIMIT],
		"community": int(accepted and ticket.peer_visibility == COMMUNITY),
		"solved": int(solved),
		"customer": ticket.customer,
		"requester": ticket.raised_by,
		"ticket_type": ticket.ticket_type,
		"agent_group": ticket.agent_group,
		"priority": ticket.priority,
		# the evaluation's best: the question with its answers (README, "Suggestions")
		"embed": question_text(ticket.subject, f"{plain(ticket.description)} {body}"),
	}


def article_entry(name) -> dict | None:
	article = frappe.db.get_value("HD Article", name, ["name", *ARTICLE_FIELDS], as_dict=True)
	if not article or article.status != host.ARTICLE_PUBLISHED:
		return None
	text = plain(article.content)
	return {
		"name": entry_name("HD Article", article.name),
		"source_doctype": "HD Article",
		"source_name": article.name,
		"title": (article.title or "")[:140],
		"content": f"{article.title or ''} {text}"[:CONTENT_LIMIT],
		"community": 1,
		"solved": 1,
		"embed": question_text(article.title, text),
	}


def question_text(title: str | None, text: str | None) -> str:
	"""What is embedded: the title and the start of the text (the model reads MAX_TOKENS pieces)."""
	return f"{(title or '').strip()}. {' '.join((text or '').split())}"[:1500]


# Writes
# ------

COLUMNS = (
	"name",
	"source_doctype",
	"source_name",
	"title",
	"content",
	"active",
	"community",
	"solved",
	"customer",
	"requester",
	"ticket_type",
	"agent_group",
	"priority",
	"vector",
	"text_hash",
)


def encode_vector(vector: np.ndarray) -> str:
	return base64.b64encode(vector.astype("<f2").tobytes()).decode()


def decode_vector(text: str | None) -> np.ndarray | None:
	if not text:
		return None
	return np.frombuffer(base64.b64decode(text), "<f2").astype(np.float32)


def text_hash(text: str) -> str:
	return hashlib.sha1(text.encode()).hexdigest()


def write(entries: list[dict], encoder: embedding.Encoder | None = None, seen: dict | None = None) -> int:
	"""Upsert entries (one statement per batch) with their vectors. A text indexed before with the same
	hash keeps its vector, and so does a text in `seen` (hash -> vector, filled as it goes: a rebuild
	embeds each distinct text once). Returns how many texts were embedded."""
	if not entries:
		return 0
	stored = {
		row.name: row
		for row in frappe.get_all(
			ENTRY,
			filters={"name": ["in", [e["name"] for e in entries]]},
			fields=["name", "text_hash", "vector"],
		)
	}
	seen = {} if seen is None else seen
	todo = []
	for e in entries:
		e["text_hash"] = text_hash(e["embed"])
		before = stored.get(e["name"])
		e["vector"] = (
			before.vector if before and before.text_hash == e["text_hash"] else seen.get(e["text_hash"])
		)
		if e["vector"] is None:
			todo.append(e)
	texts = list({e["text_hash"]: e["embed"] for e in todo}.items())
	if texts:
		encoder = encoder or model(wait=True)
		if encoder is not None:
			for (digest, _), vector in zip(texts, encoder.encode([t for _, t in texts]), strict=True):
				seen[digest] = encode_vector(vector)
			for e in todo:
				e["vector"] = seen[e["text_hash"]]
	now = frappe.utils.now()
	rows = [
		[e.get(c) if c != "active" else 1 for c in COLUMNS] + [now, now, "Administrator", "Administrator"]
		for e in entries
	]
	columns = [*COLUMNS, "creation", "modified", "owner", "modified_by"]
	placeholders = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(rows))
	updates = ", ".join(f"`{c}` = VALUES(`{c}`)" for c in columns if c not in ("name", "creation", "owner"))
	frappe.db.sql(
		f"INSERT INTO `tab{ENTRY}` ({', '.join(f'`{c}`' for c in columns)}) VALUES {placeholders} "
		f"ON DUPLICATE KEY UPDATE {updates}",
		[value for row in rows for value in row],
	)
	changed()
	return len(texts) if encoder is not None else 0


def deactivate(names: list[str]) -> None:
	"""Take entries out of the index (kept as inactive rows, so workers see them go)."""
	if names and frappe.db.exists(ENTRY, {"name": ["in", names], "active": 1}):
		frappe.db.sql(
			f"UPDATE `tab{ENTRY}` SET active = 0, vector = NULL, text_hash = NULL, modified = %s "
			"WHERE name IN %s AND active = 1",
			(frappe.utils.now(), tuple(names)),
		)
		changed()


def changed() -> None:
	"""Tell every worker, after the commit, that rows changed."""
	if frappe.flags.in_test or frappe.db.transaction_writes == 0:
		frappe.cache.set_value(VERSION_KEY, time.time())
	else:
		frappe.db.after_commit.add(lambda: frappe.cache.set_value(VERSION_KEY, time.time()))


def index(doctype: str, name) -> None:
	"""The job: (re)index one ticket or article, or take it out."""
	entry = ticket_entry(name) if doctype == "HD Ticket" else article_entry(name)
	if entry:
		write([entry])
	else:
		deactivate([entry_name(doctype, name)])


def queue(doctype: str, name) -> None:
	"""Index a ticket or article in a job after the commit (one queued job per record)."""
	frappe.enqueue(
		"peer_support.services.search_index.index",
		doctype=doctype,
		name=str(name),
		queue="short",
		job_id=f"peer-support-index::{frappe.local.site}::{doctype}::{name}",
		deduplicate=True,
		enqueue_after_commit=True,
		now=frappe.flags.in_test,
	)


# Doc events
# ----------


def on_ticket_update(doc, method=None) -> None:
	"""A ticket that is, was or may become a suggestion is indexed again when a field it shows changed
	(a new open ticket is not: it is nobody's answer yet)."""
	before = doc.get_doc_before_save()
	if before is not None and all(before.get(f) == doc.get(f) for f in TICKET_FIELDS):
		return
	if any(t is not None and (host.is_done(t) or t.get("peer_status") == "Accepted") for t in (doc, before)):
		queue("HD Ticket", doc.name)
	elif frappe.db.exists(ENTRY, entry_name("HD Ticket", doc.name)):
		queue("HD Ticket", doc.name)


def on_ticket_trash(doc, method=None) -> None:
	deactivate([entry_name("HD Ticket", doc.name)])


def on_article_update(doc, method=None) -> None:
	before = doc.get_doc_before_save()
	if before is None or any(before.get(f) != doc.get(f) for f in ARTICLE_FIELDS):
		queue("HD Article", doc.name)


def on_article_trash(doc, method=None) -> None:
	deactivate([entry_name("HD Article", doc.name)])


# Rebuild
# -------


def indexable_tickets() -> list[str]:
	Ticket = frappe.qb.DocType("HD Ticket")
	Answer = frappe.qb.DocType("Peer Answer")
	endorsed = frappe.qb.from_(Answer).select(Answer.ticket).where(Answer.endorsed_by.isnotnull()).distinct()
	return [
		str(n)
		for n in (
			frappe.qb.from_(Ticket)
			.select(Ticket.name)
			.where(
				Ticket.status.isin(list(host.done_statuses()))
				| (Ticket.peer_status == "Accepted")
				| Ticket.name.isin(endorsed)
			)
			.orderby(Ticket.name)
			.run(pluck=True)
		)
	]


def rebuild(batch: int = 64, progress=None) -> dict:
	"""Index every solved ticket and published article again; entries of anything else go inactive.
	`progress(done, total)` is called after each batch. Unchanged texts keep their vectors."""
	encoder = model(wait=True)
	sources = [("HD Ticket", n) for n in indexable_tickets()] + [
		("HD Article", n)
		for n in frappe.get_all("HD Article", {"status": host.ARTICLE_PUBLISHED}, pluck="name")
	]
	kept, embedded, seen = set(), 0, {}
	started = time.monotonic()
	for start in range(0, len(sources), batch):
		entries = []
		for doctype, name in sources[start : start + batch]:
			entry = ticket_entry(name) if doctype == "HD Ticket" else article_entry(name)
			if entry:
				entries.append(entry)
				kept.add(entry["name"])
		embedded += write(entries, encoder, seen)
		frappe.db.commit()  # (a long command: each batch is kept)
		if progress:
			progress(min(start + batch, len(sources)), len(sources))
	stale = [
		n
		for n in frappe.get_all(
			ENTRY, filters={"active": 1, "source_doctype": ["!=", "Evaluation"]}, pluck="name"
		)
		if n not in kept
	]
	for start in range(0, len(stale), 1000):
		deactivate(stale[start : start + 1000])
	frappe.db.commit()
	return {
		"indexed": len(kept),
		"embedded": embedded,
		"removed": len(stale),
		"semantic": encoder is not None,
		"seconds": round(time.monotonic() - started, 1),
	}


def queue_rebuild() -> None:
	"""Index what the site already has (after install, or when the index is empty after migrate)."""
	frappe.enqueue(
		"peer_support.services.search_index.rebuild",
		queue="long",
		timeout=4 * 3600,
		job_id=f"peer-support-search-rebuild::{frappe.local.site}",
		deduplicate=True,
		enqueue_after_commit=True,
	)


def ensure_fulltext() -> None:
	"""The FULLTEXT index of the lexical side (made at install and migrate; dropped with the table)."""
	if frappe.db.db_type == "mariadb" and not frappe.db.has_index(f"tab{ENTRY}", FULLTEXT):
		frappe.db.sql_ddl(f"ALTER TABLE `tab{ENTRY}` ADD FULLTEXT INDEX `{FULLTEXT}` (`title`, `content`)")


# The model, warm in every process
# --------------------------------

_encoder: embedding.Encoder | None = None
_loading = threading.Event()
_loaded = threading.Event()
_missing = False


def _load() -> None:
	global _encoder, _missing
	try:
		_encoder = embedding.shared().load()
	except embedding.ModelMissing:
		_missing = True
	finally:
		_loaded.set()


def warm() -> None:
	"""before_request: the first request of a worker starts loading the model in a thread of its own
	and goes on; until it is loaded (about a second) suggestions are lexical only. The first request
	for a site also starts reading that site's vectors in a thread (seconds at 100k entries)."""
	if not _loading.is_set():
		_loading.set()
		threading.Thread(target=_load, name="peer-support-model", daemon=True).start()
	site = getattr(frappe.local, "site", None)
	if site and site not in _vectors and getattr(frappe.local, "request", None) is not None:
		_vectors[site] = Vectors()
		_vectors[site].loading.set()
		threading.Thread(
			target=_read_vectors,
			args=(site, frappe.local.sites_path),
			name="peer-support-vectors",
			daemon=True,
		).start()


def _read_vectors(site: str, sites_path: str) -> None:
	"""A thread of its own, with its own connection: the site's vectors into this worker's memory."""
	try:
		frappe.init(site=site, sites_path=sites_path)
		frappe.connect()
		_vectors[site].refresh()
	except Exception:
		_vectors.pop(site, None)  # the next request reads them itself
	finally:
		frappe.destroy()
		if site in _vectors:
			_vectors[site].loading.clear()


def model(wait: bool = False) -> embedding.Encoder | None:
	"""The loaded encoder, or None while it loads (or when the model package is not installed)."""
	if _loaded.is_set():
		return _encoder
	if not wait:
		warm()
		return None
	warm()
	_loaded.wait()
	return _encoder


def model_missing() -> bool:
	model(wait=True)
	return _missing


# The vectors, in every worker
# ----------------------------

CODED = ("customer", "requester", "ticket_type", "agent_group", "priority")


_UNREAD = object()  # a Vectors that has read nothing yet


class Vectors:
	"""One site's entries in memory: their names, unit vectors and coded columns. The arrays grow by
	doubling their capacity (a new entry does not copy the matrix); `size` rows are in use."""

	def __init__(self):
		self.names: list[str] = []
		self.row: dict[str, int] = {}
		self.size = 0
		self._matrix = np.zeros((0, embedding.DIMENSIONS), np.float32)
		self._columns = {c: np.zeros(0, np.int32) for c in (*CODED, "kind")}
		self._flags = {c: np.zeros(0, bool) for c in ("active", "community", "solved")}
		self.codes: dict[str, dict[str, int]] = {c: {} for c in (*CODED, "kind")}
		self.version: object = _UNREAD
		self.until = "1900-01-01 00:00:00"
		self.lock = threading.Lock()
		self.loading = threading.Event()  # set while a thread of warm() reads them

	@property
	def matrix(self) -> np.ndarray:
		return self._matrix[: self.size]

	@property
	def columns(self) -> dict[str, np.ndarray]:
		return {c: a[: self.size] for c, a in self._columns.items()}

	@property
	def flags(self) -> dict[str, np.ndarray]:
		return {c: a[: self.size] for c, a in self._flags.items()}

	def code(self, column: str, value) -> int:
		if value in (None, ""):
			return -1
		codes = self.codes[column]
		return codes.setdefault(value, len(codes))

	def refresh(self) -> "Vectors":
		version = frappe.cache.get_value(VERSION_KEY)  # None until the first write: nothing changed
		if version == self.version:
			return self
		with self.lock:
			# Rows are stamped when written and seen when committed: a job's row stamped before the
			# last one read may commit after it, so the last REREAD_SECONDS are read again.
			since = frappe.utils.add_to_date(self.until, seconds=-REREAD_SECONDS, as_string=True)
			rows = frappe.db.sql(
				f"SELECT name, source_doctype, active, community, solved, {', '.join(CODED)}, vector, modified "
				f"FROM `tab{ENTRY}` WHERE modified >= %s ORDER BY modified",
				since if self.size else self.until,
				as_dict=True,
			)
			self.apply(rows)
			self.version = version
		return self

	def reserve(self, size: int) -> None:
		if size <= len(self._matrix):
			return
		capacity = max(size, 2 * len(self._matrix), 1024)
		matrix = np.zeros((capacity, embedding.DIMENSIONS), np.float32)
		matrix[: self.size] = self._matrix[: self.size]
		self._matrix = matrix
		for c, a in self._columns.items():
			self._columns[c] = np.concatenate([a[: self.size], np.full(capacity - self.size, -1, np.int32)])
		for c, a in self._flags.items():
			self._flags[c] = np.concatenate([a[: self.size], np.zeros(capacity - self.size, bool)])

	def apply(self, rows: list) -> None:
		new = [r.name for r in rows if r.name not in self.row]
		self.reserve(self.size + len(set(new)))
		for name in dict.fromkeys(new):
			self.row[name] = self.size
			self.names.append(name)
			self.size += 1
		for r in rows:
			i = self.row[r.name]
			vector = decode_vector(r.vector)
			active = bool(r.active) and vector is not None
			self._flags["active"][i] = active
			self._flags["community"][i] = bool(r.community)
			self._flags["solved"][i] = bool(r.solved)
			self._columns["kind"][i] = self.code("kind", r.source_doctype)
			for c in CODED:
				self._columns[c][i] = self.code(c, r.get(c))
			self._matrix[i] = vector if active else 0
			self.until = max(self.until, str(r.modified))

	def audience(self, me, everyone: bool, policy=None) -> Audience:
		def known(column, values):
			return frozenset(self.codes[column][v] for v in values if v in self.codes[column])

		return Audience(
			everyone=everyone,
			customers=known("customer", me.customers),
			user=self.codes["requester"].get(me.user, -2),
			excluded_types=known("ticket_type", policy.excluded_ticket_types) if policy else frozenset(),
			excluded_teams=known("agent_group", policy.excluded_teams) if policy else frozenset(),
			excluded_priorities=known("priority", policy.excluded_priorities) if policy else frozenset(),
		)


_vectors: dict[str, Vectors] = {}


def vectors(wait: bool = True) -> Vectors | None:
	"""This site's vectors, up to date; None (when not `wait`) while a thread is still reading them."""
	site = frappe.local.site
	if site not in _vectors:
		_vectors[site] = Vectors()
	index = _vectors[site]
	if not wait and index.loading.is_set():
		return None
	return index.refresh()


# Suggestions
# -----------


def lexical(text: str, where: str, values: dict, limit: int = CANDIDATES) -> list[str]:
	"""Entry names by MariaDB's full-text relevance over title and text (natural language mode).

	The cost of InnoDB's full-text search grows with the rows its words match, and a word in every
	other question ("help", "tried") matches tens of thousands at 100k tickets. So the search takes
	the typed words rarest first while together they match at most MATCH_BUDGET entries (the rarest
	always); how many entries hold a word is counted by the same index and kept in Redis (word_counts)."""
	if frappe.db.db_type != "mariadb":
		return []
	words = search_words(fulltext_words(text))
	if not words:
		return []
	return frappe.db.sql(lexical_sql(where, limit), {"text": " ".join(words), **values}, pluck=True)


def lexical_sql(where: str, limit: int = CANDIDATES) -> str:
	"""The full-text search; `where` is this module's own condition (values are placeholders)."""
	return (
		f"SELECT name FROM `tab{ENTRY}` WHERE MATCH (title, content) AGAINST (%(text)s IN NATURAL LANGUAGE MODE) "
		f"AND active = 1 AND {where} "
		f"ORDER BY MATCH (title, content) AGAINST (%(text)s IN NATURAL LANGUAGE MODE) DESC LIMIT {int(limit)}"
	)


def fulltext_words(text: str) -> list[str]:
	"""The words InnoDB's full-text index holds (3 or more letters, as written, lower case), not stop
	words, at most QUERY_WORDS of them."""
	words = (w.strip(".'-+#") for w in WORD.findall((text or "").lower()))
	return list(dict.fromkeys(w for w in words if len(w) >= 3 and w not in STOP_WORDS))[:QUERY_WORDS]


def search_words(words: list[str]) -> list[str]:
	"""The words to search for: rarest first, while they match at most MATCH_BUDGET entries."""
	counts = word_counts(words)
	chosen, matched = [], 0
	for word in sorted((w for w in words if counts[w]), key=counts.get):
		if chosen and matched + counts[word] > MATCH_BUDGET:
			break
		chosen.append(word)
		matched += counts[word]
	return chosen


def word_counts(words: list[str]) -> dict[str, int]:
	"""How many entries hold each word, by the full-text index, or from Redis: common words' counts for
	WORD_COUNT_TTL seconds, rarer words' until the index next changes (their key holds its version:
	a word new to the index is searched at once), at most RARE_WORD_COUNT_TTL. One round trip for all."""
	if not words:
		return {}
	version = frappe.cache.get_value(VERSION_KEY)
	keys = {w: (f"peer_support:search_word:{w}", f"peer_support:search_word:{version}:{w}") for w in words}
	cached = frappe.cache.mget([frappe.cache.make_key(key) for pair in keys.values() for key in pair])
	counts = {}
	for word, common, rare in zip(keys, cached[::2], cached[1::2], strict=True):
		value = common if common is not None else rare  # as Frappe's set_value pickles them
		counts[word] = pickle.loads(value) if value is not None else None
	missing = [w for w, count in counts.items() if count is None]
	if missing:
		# One statement, one placeholder per word; only the placeholders are repeated into the SQL.
		count = (
			f"(SELECT COUNT(*) FROM `tab{ENTRY}` "
			"WHERE MATCH (title, content) AGAINST (%s IN NATURAL LANGUAGE MODE))"
		)
		found = frappe.db.sql("SELECT " + ", ".join([count] * len(missing)), missing)[0]
		for word, number in zip(missing, found, strict=True):
			counts[word] = int(number)
			common, rare = keys[word]
			if number >= CACHED_FROM:
				frappe.cache.set_value(common, int(number), expires_in_sec=WORD_COUNT_TTL)
			else:
				frappe.cache.set_value(rare, int(number), expires_in_sec=RARE_WORD_COUNT_TTL)
	return counts


def query_vector(text: str) -> np.ndarray | None:
	"""The query's sentence vector (about 5 ms for a subject on two cores), or None while the model loads.

	In the caller's thread: computed in a thread of its own beside the SQL, it was slower (a median of
	17.5 ms against 14.6 ms for the Ask page's call at 10k tickets), since the two threads take the GIL
	from each other at every small NumPy step and OpenBLAS's threads want both cores."""
	# A web request does not wait for the model (lexical only for the second it loads); jobs,
	# commands and tests do.
	encoder = model(wait=not getattr(frappe.local, "request", None))
	if encoder is None or not text.strip():
		return None
	return encoder.encode([text], max_tokens=embedding.QUERY_TOKENS)[0]


def semantic(text: str, mask_of, limit: int = CANDIDATES, vector=None) -> list[str]:
	vector = vector if vector is not None else query_vector(text)
	if vector is None:
		return []
	index = vectors(wait=not getattr(frappe.local, "request", None))
	if index is None:
		return []  # the worker's first seconds: lexical only
	mask = mask_of(index) & index.flags["active"]
	return [index.names[i] for i, _ in top_by_similarity(index.matrix, vector, limit, mask, SEMANTIC_FLOOR)]


def ranked(text: str, where: str, values: dict, mask_of, vector: np.ndarray | None = None) -> list[str]:
	"""Lexical and semantic candidates (each limited to what the caller may read), fused. `vector`:
	the query's vector if the caller has it already."""
	found = lexical(text, where, values)
	return fuse([(found, LEXICAL_WEIGHT), (semantic(text, mask_of, vector=vector), SEMANTIC_WEIGHT)])


def for_asker(text: str, me, vector: np.ndarray | None = None) -> list[str]:
	"""Solved community questions and published articles the asker may read, best first (entry names).
	The SQL condition and the vector mask are the same rule: `access`'s feed audience on the entry's
	copied columns, and the sharing policy."""
	settings = get_settings()
	policy = settings.sharing_policy()
	everyone = me.is_agent or settings.audience == ALL_PORTAL_USERS
	where, values = ["community = 1", "source_doctype IN ('HD Ticket', 'HD Article')"], {}
	if not everyone:
		values["me"] = me.user
		mine = "requester = %(me)s"
		if me.customers:
			values["customers"] = tuple(me.customers)
			mine += " OR customer IN %(customers)s"
		where.append(f"(source_doctype = 'HD Article' OR {mine})")
	for column, excluded in (
		("ticket_type", policy.excluded_ticket_types),
		("agent_group", policy.excluded_teams),
		("priority", policy.excluded_priorities),
	):
		if excluded:
			values[column] = tuple(excluded)
			where.append(
				f"(source_doctype = 'HD Article' OR {column} IS NULL OR {column} NOT IN %({column})s)"
			)

	def mask_of(index: Vectors):
		articles = index.columns["kind"] == index.codes["kind"].get("HD Article", -9)
		tickets = index.columns["kind"] == index.codes["kind"].get("HD Ticket", -9)
		allowed = audience_mask(
			index.columns, index.audience(me, everyone, policy), tickets & index.flags["community"]
		)
		return allowed | articles

	return ranked(text, " AND ".join(where), values, mask_of, vector)


def for_agent(text: str, exclude: str | None = None) -> list[str]:
	"""Solved tickets (any visibility) and published articles, best first, for an agent's ticket view;
	the caller checks each ticket against Helpdesk's own permission before showing it."""
	where = "solved = 1 AND source_doctype IN ('HD Ticket', 'HD Article') AND name != %(exclude)s"
	excluded = entry_name("HD Ticket", exclude) if exclude else ""

	def mask_of(index: Vectors):
		kinds = [index.codes["kind"].get(k, -9) for k in ("HD Ticket", "HD Article")]
		mask = np.isin(index.columns["kind"], kinds) & index.flags["solved"]
		if excluded in index.row:
			mask[index.row[excluded]] = False
		return mask

	return ranked(text, where, {"exclude": excluded}, mask_of)


def published_articles(names: list[str], route, limit: int) -> list[dict]:
	"""The ranked articles still published, as both suggestion places show them (`route(name)`: the
	public page for askers, Helpdesk's agent page for agents). An article under review stays among the
	suggestions (it may still help, and its readers' marks are what the review needs) and says so."""
	from peer_support.services.knowledge_review import under_review
	from peer_support.services.notify import excerpt

	if not names:
		return []
	published = {
		a.name: a
		for a in frappe.get_all(
			"HD Article",
			filters={"name": ["in", names[: 2 * limit]], "status": host.ARTICLE_PUBLISHED},
			fields=["name", "title", "content"],
		)
	}
	shown = [published[name] for name in names if name in published][:limit]
	reviewed = under_review([a.name for a in shown])
	return [
		{
			"name": a.name,
			"title": a.title,
			"excerpt": excerpt(a.content, 240),
			"route": route(a.name),
			"under_review": a.name in reviewed,
		}
		for a in shown
	]


def source(name: str) -> tuple[str, str]:
	"""(doctype, name) of an entry name."""
	kind, _, rest = name.partition("-")
	return SOURCES[kind], rest
