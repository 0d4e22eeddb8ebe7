"""The labelled evaluation of the suggestion (`bench --site S peer-support-search-index evaluate`).

The pool is every solved question of `fixtures/retrieval_eval/*.json` (the one that answers each new
question, and distractors). It is written into the site's index as rows of source type "Evaluation"
(served to nobody: every real search is limited to tickets and articles), ranked by the app's own
code (MariaDB's full-text search, the vectors, the fusion), and removed again. Plain BM25 (core) ranks
the same pool in Python. Half of the pairs (by id) chose the fusion's weights; the other half is
reported apart, as held-out.
"""

import hashlib
import json
from pathlib import Path

import frappe

from peer_support.core.retrieval import BM25, fuse, measures
from peer_support.services import search_index

EVAL_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "retrieval_eval"
PREFIX = "E-"


def load_set(folder: Path = EVAL_DIR) -> tuple[list[dict], list[dict]]:
	"""(pairs, pool): each pair a new question and the id of the solved one; the pool every solved one."""
	pairs, pool = [], []
	for path in sorted(folder.glob("*.json")):
		data = json.loads(path.read_text())
		for pair in data["pairs"]:
			pool.append({"id": pair["id"], **pair["solved"]})
			pairs.append({"id": pair["id"], "query": pair["query"], "relevant": pair["id"]})
		pool.extend(data["distractors"])
	return pairs, pool


def split(pair_id: str) -> str:
	""" "dev" or "test", stable by the pair's id."""
	return "dev" if int(hashlib.sha1(pair_id.encode()).hexdigest(), 16) % 2 == 0 else "test"


def document(item: dict) -> str:
	return " ".join(filter(None, (item["subject"], item.get("description"), item.get("answer"))))


def write_pool(pool: list[dict], progress=None) -> None:
	entries = [
		{
			"name": PREFIX + item["id"],
			"source_doctype": "Evaluation",
			"source_name": item["id"],
			"title": item["subject"][:140],
			"content": document(item)[: search_index.CONTENT_LIMIT],
			"community": 0,
			"solved": 0,
			"embed": search_index.question_text(
				item["subject"], f"{item.get('description') or ''} {item.get('answer') or ''}"
			),
		}
		for item in pool
	]
	encoder = search_index.model(wait=True)
	for start in range(0, len(entries), 64):
		search_index.write(entries[start : start + 64], encoder)
		frappe.db.commit()  # (the full-text index sees committed rows only)
		if progress:
			progress(min(start + 64, len(entries)), len(entries))


def remove_pool() -> None:
	frappe.db.delete(search_index.ENTRY, {"source_doctype": "Evaluation"})
	frappe.db.commit()
	search_index.changed()


WEIGHTS = [
	(1.0, 0.0),
	(0.0, 1.0),
	(1.0, 1.0),
	(0.5, 1.0),
	(0.25, 1.0),
	(0.1, 1.0),
	(0.05, 1.0),
	(0.02, 1.0),
	(0.01, 1.0),
]


def run(progress=None, query_fields: tuple[str, ...] = ("subject",)) -> dict:
	"""Rankings of every new question by each method; the measures per method and split."""
	pairs, pool = load_set()
	remove_pool()
	write_pool(pool, progress)
	try:
		bm25 = BM25([document(item) for item in pool])
		ids = [item["id"] for item in pool]
		where = "source_doctype = 'Evaluation'"

		def mask_of(index):
			return index.columns["kind"] == index.codes["kind"].get("Evaluation", -9)

		runs = {"plain BM25": [], "MariaDB full text": [], "semantic": [], "app (fused)": []}
		tuning = {w: [] for w in WEIGHTS}
		for pair in pairs:
			text = " ".join(pair["query"].get(f) or "" for f in query_fields)
			relevant = PREFIX + pair["relevant"]
			lexical = search_index.lexical(text, where, {})
			semantic = search_index.semantic(text, mask_of)
			group = split(pair["id"])
			runs["plain BM25"].append((group, [PREFIX + ids[i] for i in bm25.top(text, 10)], relevant))
			runs["MariaDB full text"].append((group, lexical, relevant))
			runs["semantic"].append((group, semantic, relevant))
			runs["app (fused)"].append((group, search_index.ranked(text, where, {}, mask_of), relevant))
			for lexical_weight, semantic_weight in WEIGHTS:
				fused = fuse([(lexical, lexical_weight), (semantic, semantic_weight)])
				tuning[(lexical_weight, semantic_weight)].append((group, fused, relevant))
	finally:
		remove_pool()

	def table(results):
		return {
			group: measures((ranking, relevant) for g, ranking, relevant in results if group in (g, "all"))
			for group in ("all", "dev", "test")
		}

	return {
		"pairs": len(pairs),
		"pool": len(pool),
		"query": "+".join(query_fields),
		"methods": {name: table(results) for name, results in runs.items()},
		"tuning": {f"lexical {w[0]} / semantic {w[1]}": table(r)["dev"] for w, r in tuning.items()},
	}
