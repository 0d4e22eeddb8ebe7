"""peer_support.embedding: the NumPy forward pass and WordPiece tokenizer give what Hugging Face's
transformers (with PyTorch) gives for the same model files (tests/unit/data/minilm_reference.json)."""

import json
from pathlib import Path

import numpy as np
import pytest

from peer_support import embedding

REFERENCE = json.loads((Path(__file__).parent / "data" / "minilm_reference.json").read_text())


@pytest.fixture(scope="module")
def encoder():
	return embedding.Encoder().load()


def test_the_model_ships_in_the_package():
	folder = embedding.model_dir()
	assert (folder / "model.safetensors").stat().st_size > 80_000_000
	assert (folder / "vocab.txt").is_file()


def test_word_pieces_match_the_reference_tokenizer(encoder):
	for sentence, ids in zip(REFERENCE["sentences"], REFERENCE["input_ids"], strict=True):
		assert encoder.tokenizer.encode(sentence, 128) == ids, sentence


def test_vectors_match_the_reference_model(encoder):
	vectors = encoder.encode(REFERENCE["sentences"])
	reference = np.array(REFERENCE["vectors"], np.float32)
	assert vectors.shape == (len(REFERENCE["sentences"]), embedding.DIMENSIONS)
	assert np.abs(vectors - reference).max() < 1e-4
	assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_paraphrases_are_closer_than_unrelated_questions(encoder):
	outlook, mail_client, printer = encoder.encode(REFERENCE["sentences"][:3])
	assert outlook @ mail_client > 0.5 > 0.1 > outlook @ printer


def test_a_batch_gives_what_each_text_gives_alone(encoder):
	texts = ["short", "a much longer question about the vpn dropping every ten minutes at home"]
	together = encoder.encode(texts)
	alone = np.vstack([encoder.encode([t]) for t in texts])
	assert np.abs(together - alone).max() < 1e-5


def test_truncation_and_empty_input(encoder):
	assert encoder.encode([]).shape == (0, embedding.DIMENSIONS)
	ids = encoder.tokenizer.encode("word " * 500, 16)
	assert len(ids) == 16 and ids[0] == encoder.tokenizer.cls and ids[-1] == encoder.tokenizer.sep
	assert encoder.encode([""]).shape == (1, embedding.DIMENSIONS)


def test_safetensors_reader_maps_without_copying():
	tensors = embedding.read_safetensors(embedding.model_dir() / "model.safetensors")
	word = tensors["embeddings.word_embeddings.weight"]
	assert word.shape == (30522, embedding.DIMENSIONS) and word.dtype == np.float32
	assert isinstance(word.base, np.memmap) or isinstance(word, np.memmap) or not word.flags.owndata
