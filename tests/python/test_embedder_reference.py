"""The native encoder against independent references, through the real built
``stratamem._core``:

* token ids identical to the ``tokenizers`` package (tokenizer.json, truncation
  256, no padding) on 200+ generated sentences and on every Unicode code point;
* embeddings with cosine >= 0.999 to a NumPy forward pass written here from the
  safetensors weights (float64, erf GELU), for mean and CLS pooling.
"""

from __future__ import annotations

import json
import math
import os
import random
from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import load_file
from tokenizers import Tokenizer

from stratamem import _core
from stratamem.errors import EmbedderError, InvalidInputError

pytestmark = pytest.mark.model

MAX_TOKENS = 256

# --- the sentences -----------------------------------------------------------------

WORDS = ("memory store agent session user project search vector model token cache "
         "database python rust fast slow prefer dark mode morning evening").split()
PIECES = {
    "accents": ["Café", "crème brûlée", "naïve", "résumé", "Ångström", "İstanbul", "straße",
                "Ελληνικά", "Σίσυφος", "façade", "Øresund", "ĳ ǅ ﬁ", "e\u0301 a\u0308"],
    "cjk": ["你好世界", "日本語のテキスト", "한국어 문장", "中文English混合", "𠀀𠀁", "豈更車", "漢字"],
    "emoji": ["🙂", "😀🎉", "👍🏽", "👨‍👩‍👧", "❤️", "🥲", "🫠", "🇫🇷"],
    "code": ["def f(x): return x**2", "for (i = 0; i < n; ++i) {}", "SELECT * FROM t;",
             "a->b != c && d || !e", "<div class=\"x\">", "$HOME/.config", "x[i][j] += 1"],
    "urls": ["https://example.com/a/b?c=d&e=f#g", "http://127.0.0.1:8080/v1/embeddings",
             "user@example.org", "ftp://files.example.net/~me/", "C:\\Users\\me"],
    "numbers": ["3.14159", "1,000,000", "-42", "1e-9", "0x1F", "2024-01-15T10:30:00Z", "½ ² Ⅻ ①"],
    "punct": ["!!!", "???", "...", "---", "«»", "¿¡", "“”‘’", "@#$%^&*()", "~`|\\"],
    "scripts": ["Привет", "مرحبا", "שלום", "नमस्ते", "สวัสดี", "ሰላም", "Ꭰ", "𝐁𝐨𝐥𝐝", "𐐀"],
    "control": ["a\u0000b", "\u0001\u0002", "tab\there", "new\nline", "\r\n", "\u200b\u200d",
                "\ufeff", "\ufffd", "\ue000", "\u0085", "\u00a0", "\u3000", "\u2028"],
    "special": ["[CLS]", "[SEP]", "[MASK]", "[PAD]", "[UNK]", "[mask]", "[ MASK ]"],
}


def sentences() -> list[str]:
    rng = random.Random(20261101)
    out = ["", " ", "  ", "\t\n", ".", "!?", "a", "I", "Project uses uv, not pip",
           "x" * 150, "memory " * 300, "長" * 400, "🙂" * 300,
           " ".join(rng.choice(WORDS) for _ in range(600))]
    kinds = list(PIECES)
    for i in range(220):
        parts = []
        for _ in range(rng.randint(1, 8)):
            if rng.random() < 0.4:
                parts.append(rng.choice(WORDS).capitalize() if rng.random() < 0.3 else rng.choice(WORDS))
            else:
                parts.append(rng.choice(PIECES[kinds[(i + len(parts)) % len(kinds)]]))
        sep = rng.choice([" ", " ", "", ", ", "\n"])
        out.append(sep.join(parts))
    for i in range(8):  # over-long mixtures
        out.append(" ".join(rng.choice(sum(PIECES.values(), [])) for _ in range(200 + 40 * i)))
    return out


SENTENCES = sentences()


# --- references --------------------------------------------------------------------

@pytest.fixture(scope="module")
def reference_tokenizer(model_dir: str) -> Tokenizer:
    tok = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
    tok.enable_truncation(MAX_TOKENS)
    tok.no_padding()
    return tok


def _erf(x: np.ndarray) -> np.ndarray:
    """Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): vectorised, and a different
    formula from the engine's, so the reference stays independent."""
    t = 1.0 / (1.0 + 0.3275911 * np.abs(x))
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return np.sign(x) * (1.0 - poly * np.exp(-x * x))


class NumpyBert:
    """A BERT forward pass in NumPy, straight from the HF definition. Matrix
    products in float32 (what the weights are; float64 made this test minutes
    long), everything else in float64."""

    def __init__(self, model_dir: str) -> None:
        self.cfg = json.loads(Path(model_dir, "config.json").read_text())
        self.w = load_file(os.path.join(model_dir, "model.safetensors"))
        # Linear weights pre-transposed once: x @ w_t is a plain contiguous product.
        self.w_t = {k: np.ascontiguousarray(v.T) for k, v in self.w.items() if v.ndim == 2}

    def _ln(self, x: np.ndarray, name: str) -> np.ndarray:
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return ((x - mean) / np.sqrt(var + self.cfg["layer_norm_eps"]) * self.w[name + ".weight"]
                + self.w[name + ".bias"])

    def _linear(self, x: np.ndarray, name: str) -> np.ndarray:
        y = x.astype(np.float32) @ self.w_t[name + ".weight"]
        return y.astype(np.float64) + self.w[name + ".bias"]

    def hidden_states(self, ids: list[int]) -> np.ndarray:
        h = self.cfg["hidden_size"]
        heads = self.cfg["num_attention_heads"]
        d = h // heads
        x = (self.w["embeddings.word_embeddings.weight"][ids].astype(np.float64)
             + self.w["embeddings.position_embeddings.weight"][: len(ids)]
             + self.w["embeddings.token_type_embeddings.weight"][0])
        x = self._ln(x, "embeddings.LayerNorm")
        for i in range(self.cfg["num_hidden_layers"]):
            p = f"encoder.layer.{i}."
            q, k, v = (self._linear(x, p + "attention.self." + n).reshape(-1, heads, d).transpose(1, 0, 2)
                       for n in ("query", "key", "value"))
            s = q @ k.transpose(0, 2, 1) / math.sqrt(d)
            s = np.exp(s - s.max(-1, keepdims=True))
            s /= s.sum(-1, keepdims=True)
            ctx = (s @ v).transpose(1, 0, 2).reshape(-1, h)
            x = self._ln(self._linear(ctx, p + "attention.output.dense") + x,
                         p + "attention.output.LayerNorm")
            inter = self._linear(x, p + "intermediate.dense")
            inter = 0.5 * inter * (1.0 + _erf(inter / math.sqrt(2.0)))
            x = self._ln(self._linear(inter, p + "output.dense") + x, p + "output.LayerNorm")
        return x

    def embed(self, ids: list[int], pooling: str = "mean") -> np.ndarray:
        x = self.hidden_states(ids)
        v = x[0] if pooling == "cls" else x.mean(0)
        return v / np.linalg.norm(v)


@pytest.fixture(scope="module")
def numpy_bert(model_dir: str) -> NumpyBert:
    return NumpyBert(model_dir)


@pytest.fixture(scope="module")
def native_tokenizer(model_dir: str):
    return _core.NativeTokenizer(model_dir, MAX_TOKENS)


# --- tokenizer ------------------------------------------------------------------------

def test_the_sentences_are_varied(reference_tokenizer: Tokenizer) -> None:
    assert len(SENTENCES) >= 200
    lengths = [len(reference_tokenizer.encode(s).ids) for s in SENTENCES]
    assert sum(n == MAX_TOKENS for n in lengths) >= 8, "some inputs must be over-long"
    assert sum(n == 2 for n in lengths) >= 3, "some inputs must be empty-ish"
    assert any(100 in reference_tokenizer.encode(s).ids for s in SENTENCES), "no [UNK] exercised"


def test_token_ids_match_tokenizers(native_tokenizer, reference_tokenizer: Tokenizer) -> None:
    for text in SENTENCES:
        assert native_tokenizer.encode(text) == reference_tokenizer.encode(text).ids, repr(text)


@pytest.mark.slow
def test_every_code_point_matches_tokenizers(native_tokenizer, reference_tokenizer: Tokenizer) -> None:
    """Each code point alone (normalisation) and inside a word (ids): catches any
    character class, case mapping or decomposition that differs from `tokenizers`."""
    cps = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    normalizer = reference_tokenizer.normalizer
    bad = [hex(c) for c in cps if native_tokenizer.normalize(chr(c)) != normalizer.normalize_str(chr(c))]
    assert not bad, f"{len(bad)} code points normalise differently, e.g. {bad[:10]}"
    texts = ["x" + chr(c) + "ab" + chr(c) for c in cps]
    ours = native_tokenizer.encode_batch(texts)
    theirs = reference_tokenizer.encode_batch(texts)
    bad = [hex(c) for c, a, b in zip(cps, ours, theirs) if a != b.ids]
    assert not bad, f"{len(bad)} code points tokenise differently, e.g. {bad[:10]}"


# --- embeddings ---------------------------------------------------------------------

def _cosines(native: list[list[float]], refs: list[np.ndarray]) -> np.ndarray:
    a = np.asarray(native, dtype=np.float64)
    b = np.stack(refs)
    return (a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)


def test_embeddings_match_numpy_forward_pass(model_dir: str, numpy_bert: NumpyBert,
                                             reference_tokenizer: Tokenizer) -> None:
    embedder = _core.Embedder(model_dir=model_dir, batch_size=16)
    assert embedder.dimension == 384
    assert embedder.model_id == "all-MiniLM-L6-v2"
    native = embedder.embed(SENTENCES)
    refs = [numpy_bert.embed(reference_tokenizer.encode(s).ids) for s in SENTENCES]
    cos = _cosines(native, refs)
    worst = int(cos.argmin())
    assert cos.min() >= 0.999, f"cosine {cos.min():.6f} for {SENTENCES[worst]!r}"
    norms = np.linalg.norm(np.asarray(native), axis=1)
    assert np.allclose(norms, 1.0, atol=1e-5)


def test_cls_pooling_from_pooling_config(tmp_path: Path, model_dir: str, numpy_bert: NumpyBert,
                                         reference_tokenizer: Tokenizer) -> None:
    """A sentence-transformers directory whose 1_Pooling config asks for CLS (as bge does)."""
    for name in ("config.json", "tokenizer.json", "vocab.txt", "model.safetensors"):
        (tmp_path / name).symlink_to(Path(model_dir, name))
    (tmp_path / "1_Pooling").mkdir()
    (tmp_path / "1_Pooling" / "config.json").write_text(json.dumps(
        {"word_embedding_dimension": 384, "pooling_mode_cls_token": True,
         "pooling_mode_mean_tokens": False}))
    texts = SENTENCES[:40]
    native = _core.Embedder(model_dir=str(tmp_path)).embed(texts)
    refs = [numpy_bert.embed(reference_tokenizer.encode(s).ids, "cls") for s in texts]
    assert _cosines(native, refs).min() >= 0.999
    mean = _core.Embedder(model_dir=model_dir).embed(texts[8:9])
    assert float(np.dot(native[8], mean[0])) < 0.99, "CLS pooling must differ from mean pooling"


def test_embedder_errors_are_typed(tmp_path: Path) -> None:
    with pytest.raises(EmbedderError, match="config.json"):
        _core.Embedder(model_dir=str(tmp_path / "missing"))
    with pytest.raises(InvalidInputError):
        _core.Embedder(model_dir="")
    with pytest.raises(EmbedderError, match="tokenizer.json"):
        _core.NativeTokenizer(str(tmp_path))
