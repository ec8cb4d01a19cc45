"""bge-small-en-v1.5 and e5-small-v2 in the native encoder, against onnxruntime
running the original fp32 ONNX graphs of the registry artifacts:

* cosine >= 0.9999 on a few hundred sentences, as queries and as passages;
* the prefixes are applied exactly once, and only the kind's own;
* pooling per model (bge CLS, e5 mean), truncation at the model's 512 tokens;
* int8 stays close to float32.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest
from tokenizers import Tokenizer

from stratamem import _core, models

from model_jars import BGE, E5, extract_onnx, jar_path
from test_embedder_reference import SENTENCES

pytestmark = pytest.mark.model

QUERY, PASSAGE = _core.EmbedKind.QUERY, _core.EmbedKind.PASSAGE
# Every kind of input, plus plain English memories and questions.
TEXTS = SENTENCES[:150] + SENTENCES[-10:] + [
    "The user prefers dark mode and vim keybindings.",
    "What editor settings does the user like?",
    "Caroline went to the LGBTQ support group on 7 May 2023.",
    "When did Caroline go to the support group?",
] * 10


class OnnxReference:
    """onnxruntime on the jar's graph: one sentence at a time, no padding."""

    def __init__(self, onnx: Path, tokenizer: Path, pooling: str) -> None:
        self.session = ort.InferenceSession(str(onnx), providers=["CPUExecutionProvider"])
        self.tok = Tokenizer.from_file(str(tokenizer))
        self.tok.enable_truncation(512)
        self.tok.no_padding()
        self.pooling = pooling

    def embed(self, texts: list[str]) -> np.ndarray:
        out = []
        for t in texts:
            ids = np.array([self.tok.encode(t).ids], dtype=np.int64)
            hidden = self.session.run(None, {"input_ids": ids, "attention_mask": np.ones_like(ids),
                                             "token_type_ids": np.zeros_like(ids)})[0][0]
            v = hidden[0] if self.pooling == "cls" else hidden.mean(0)
            out.append(v / np.linalg.norm(v))
        return np.stack(out)


def cosines(a, b) -> np.ndarray:
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return (a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("models")
    for name in (BGE, E5):
        jar_path(name)
        models.pull(name, store_dir=root, repository_url=f"file://{root}/none")
    return root


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("onnx")
    return {name: OnnxReference(*extract_onnx(name, root / name.split("/")[1]), pooling)
            for name, pooling in ((BGE, "cls"), (E5, "mean"))}


def native(store: Path, name: str, **kw) -> _core.Embedder:
    return _core.Embedder(model_dir=models.resolve(name, store_dir=store).dir, **kw)


@pytest.mark.parametrize("name,query_prefix,passage_prefix", [
    (E5, "query: ", "passage: "),
    (BGE, "Represent this sentence for searching relevant passages: ", ""),
])
def test_native_matches_onnxruntime(store: Path, reference, name: str, query_prefix: str,
                                    passage_prefix: str) -> None:
    embedder = native(store, name, batch_size=16)
    assert embedder.dimension == 384
    assert embedder.model_id == name.split("/")[1]
    ref = reference[name]
    for kind, prefix in ((PASSAGE, passage_prefix), (QUERY, query_prefix)):
        ours = embedder.embed(TEXTS, kind)
        theirs = ref.embed([prefix + t for t in TEXTS])
        cos = cosines(ours, theirs)
        assert cos.min() >= 0.9999, f"{name} {kind}: cosine {cos.min():.6f} for {TEXTS[int(cos.argmin())]!r}"


def test_prefixes_are_applied_exactly_once(store: Path, reference) -> None:
    texts = TEXTS[-4:]
    e5 = native(store, E5)
    plain = native(store, E5, query_prefix="", passage_prefix="")
    # The engine's "query: " + text is the text embedded with no prefix at all.
    assert np.allclose(e5.embed(texts, QUERY), plain.embed(["query: " + t for t in texts]), atol=1e-6)
    assert np.allclose(e5.embed(texts, PASSAGE), plain.embed(["passage: " + t for t in texts]), atol=1e-6)
    twice = reference[E5].embed(["query: query: " + t for t in texts])
    assert cosines(e5.embed(texts, QUERY), twice).max() < 0.9999
    # Queries and passages of the same text differ; a prefix override applies to its kind only.
    assert cosines(e5.embed(texts, QUERY), e5.embed(texts, PASSAGE)).max() < 0.999
    custom = native(store, E5, query_prefix="search: ")
    assert np.allclose(custom.embed(texts, QUERY), plain.embed(["search: " + t for t in texts]), atol=1e-6)
    assert np.allclose(custom.embed(texts, PASSAGE), e5.embed(texts, PASSAGE), atol=1e-6)


def test_pooling_follows_the_model(store: Path, reference) -> None:
    """bge's vectors are its CLS token's, not the mean of its tokens."""
    texts = TEXTS[-4:]
    ours = native(store, BGE, query_prefix="", passage_prefix="").embed(texts)
    ref = reference[BGE]
    assert cosines(ours, ref.embed(texts)).min() >= 0.9999
    ref.pooling = "mean"
    try:
        assert cosines(ours, ref.embed(texts)).max() < 0.99
    finally:
        ref.pooling = "cls"


def test_truncation_at_the_models_512_tokens(store: Path, reference) -> None:
    long = " ".join(["memory consolidation across agent sessions"] * 120)  # ~600 tokens
    e5 = native(store, E5)
    ours = e5.embed([long])
    assert cosines(ours, reference[E5].embed(["passage: " + long])).min() >= 0.9999
    short = native(store, E5, max_tokens=256).embed([long])
    assert cosines(ours, short).max() < 0.99999, "max_tokens must change what is embedded"


@pytest.mark.parametrize("name", [BGE, E5])
def test_int8_stays_close_to_float32(store: Path, name: str) -> None:
    f32 = native(store, name)
    i8 = native(store, name, precision="int8")
    assert i8.model_id == name.split("/")[1] + "-int8"
    sample = TEXTS[:40] + TEXTS[-8:]  # every kind of input; the reference test has them all
    cos = cosines(f32.embed(sample, QUERY), i8.embed(sample, QUERY))
    assert cos.min() >= 0.97 and np.median(cos) >= 0.99, (cos.min(), np.median(cos))
