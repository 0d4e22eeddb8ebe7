"""core.retrieval: BM25, weighted reciprocal-rank fusion, the audience mask, the measures."""

import numpy as np
import pytest

from peer_support.core.retrieval import (
	BM25,
	RRF_K,
	Audience,
	audience_mask,
	fuse,
	measures,
	reciprocal_rank_at,
	terms,
	top_by_similarity,
)


def test_terms_drop_stop_words_and_plural_s():
	assert terms("How do I reset my passwords on the printers?") == ["reset", "password", "printer"]
	assert terms("Access to the class") == ["access", "class"]  # "ss" stays


def test_bm25_ranks_rare_matching_words_first():
	docs = [
		"printer jammed on floor three",
		"outlook asks for password again",
		"vpn drops every ten minutes",
		"password expiry notice for vpn",
	]
	bm25 = BM25(docs)
	assert bm25.top("outlook password", 4)[0] == 1
	assert set(bm25.top("vpn", 4)) == {2, 3}
	assert bm25.top("zeppelin", 4) == []


def test_bm25_length_normalisation_prefers_the_shorter_document():
	bm25 = BM25(["password", "password and many other words about several unrelated things entirely"])
	scores = bm25.scores("password")
	assert scores[0] > scores[1] > 0


def test_fuse_adds_weighted_reciprocal_ranks():
	fused = fuse([(["a", "b", "c"], 1.0), (["c", "a"], 1.0)])
	# a: 1/61 + 1/62, c: 1/63 + 1/61, b: 1/62
	assert fused == ["a", "c", "b"]
	# a heavier second ranking wins
	assert fuse([(["a", "b"], 0.25), (["b", "a"], 1.0)])[0] == "b"
	# a weight of zero still lists the documents, after the others
	assert fuse([(["x"], 0.0), (["y"], 1.0)]) == ["y", "x"]


def test_fuse_scores_exactly():
	scores = {d: 0.0 for d in "ab"}
	for ranking, weight in ((["a", "b"], 0.5), (["b"], 1.0)):
		for rank, d in enumerate(ranking, 1):
			scores[d] += weight / (RRF_K + rank)
	assert fuse([(["a", "b"], 0.5), (["b"], 1.0)]) == sorted(scores, key=lambda d: -scores[d])


def test_top_by_similarity_respects_mask_and_floor():
	matrix = np.eye(4, dtype=np.float32)
	query = np.array([0.9, 0.8, 0.1, 0.0], np.float32)
	assert [i for i, _ in top_by_similarity(matrix, query, 2)] == [0, 1]
	mask = np.array([False, True, True, True])
	assert [i for i, _ in top_by_similarity(matrix, query, 2, mask)] == [1, 2]
	assert [i for i, _ in top_by_similarity(matrix, query, 3, mask, floor=0.5)] == [1]
	assert top_by_similarity(matrix, query, 3, np.zeros(4, bool)) == []


def columns(**values):
	return {k: np.array(v, np.int32) for k, v in values.items()}


COLUMNS = columns(
	customer=[0, 1, 0, -1],
	requester=[5, 6, 7, 8],
	ticket_type=[0, 0, 1, 2],
	agent_group=[-1, 3, -1, -1],
	priority=[0, 0, 1, 0],
)


def test_audience_mask_same_customer_or_own():
	mine = Audience(everyone=False, customers=frozenset({0}), user=8)
	assert audience_mask(COLUMNS, mine).tolist() == [True, False, True, True]
	nobody = Audience(everyone=False, user=-2)
	assert audience_mask(COLUMNS, nobody).tolist() == [False] * 4


def test_audience_mask_applies_the_sharing_policy_even_to_everyone():
	everyone = Audience(everyone=True, excluded_types=frozenset({1}), excluded_teams=frozenset({3}))
	assert audience_mask(COLUMNS, everyone).tolist() == [True, False, False, True]
	urgent = Audience(everyone=True, excluded_priorities=frozenset({1}))
	assert audience_mask(COLUMNS, urgent).tolist() == [True, True, False, True]


def test_audience_mask_within_a_pool():
	pool = np.array([True, True, False, False])
	assert audience_mask(COLUMNS, Audience(everyone=True), pool).tolist() == [True, True, False, False]
	assert pool.tolist() == [True, True, False, False]  # the pool is not changed


def test_measures():
	results = [(["a", "b"], "a"), (["b", "c", "d", "e", "f", "g"], "g"), (["x", "y"], "y")]
	m = measures(results)
	assert m["recall@1"] == pytest.approx(1 / 3)
	assert m["recall@5"] == pytest.approx(2 / 3)
	assert m["mrr@5"] == pytest.approx((1 + 0 + 0.5) / 3)
	assert reciprocal_rank_at(["a", "b", "c"], "c", 2) == 0.0
