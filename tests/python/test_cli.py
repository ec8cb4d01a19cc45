"""The `stratamem` command-line tool, run as the installed console script on
real store files with the real bundled model: every subcommand, the spec's two
examples, JSON output, export/import round trips, errors and exit codes, and
docs/cli.md kept equal to --help."""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from stratamem import _cli

pytestmark = pytest.mark.model

REPO = Path(__file__).resolve().parents[2]
UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$")
ISO_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
RECORD_FIELDS = {
    "id", "content", "scope", "user_id", "session_id", "agent_id", "turn_id", "source_agent",
    "importance", "created_at", "updated_at", "content_hash", "metadata",
    "version", "valid_from", "valid_to", "superseded_by", "sources", "seen_count", "last_seen_at",
    "access_count", "last_accessed_at", "world_from", "world_to",
}
SCORE_FIELDS = {"score", "relevance", "recency", "access", "explanation", "vector_score",
                "text_score", "vector_rank", "text_rank", "graph_score", "graph_path"}


def console_script() -> str:
    """The `stratamem` console script of this interpreter's environment."""
    beside = Path(sys.executable).with_name("stratamem")
    found = str(beside) if beside.exists() else shutil.which("stratamem")
    if not found:
        pytest.fail("the stratamem console script is not installed: pip install --no-build-isolation .")
    return found


def cli_env(**extra: str) -> dict[str, str]:
    """The environment without the user's STRATAMEM_* settings, so the shim
    resolves the bundled model itself and --db is always explicit."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("STRATAMEM_")}
    env.update(extra)
    return env


def run_cli(*args: str, db: Path | None = None, expect: int | None = 0, input: str | bytes | None = None,
            env: dict[str, str] | None = None, cmd: str | None = None) -> subprocess.CompletedProcess:
    """Runs `stratamem ARGS [--db DB]`; checks the exit code unless expect is None."""
    argv = [cmd or console_script(), *args, *(["--db", str(db)] if db is not None else [])]
    done = subprocess.run(argv, capture_output=True, input=input, text=not isinstance(input, bytes),
                          env=env if env is not None else cli_env(), timeout=300)
    if expect is not None:
        assert done.returncode == expect, (argv, done.returncode, done.stdout, done.stderr)
    return done


def run_json(*args: str, db: Path | None = None):
    return json.loads(run_cli(*args, "--json", db=db).stdout)


def assert_one_line_error(done: subprocess.CompletedProcess, code: int, *needles: str) -> None:
    """A failed command: the documented exit code, one `stratamem: error:` line."""
    assert done.returncode == code, (done.returncode, done.stdout, done.stderr)
    stderr = done.stderr.decode() if isinstance(done.stderr, bytes) else done.stderr
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("stratamem: error: "), stderr
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "cli.db"


# --- the spec's examples and each subcommand -------------------------------------------

def test_spec_examples_cross_agent(db: Path) -> None:
    added = run_cli("add", "Project uses uv", "--user", "team", "--agent", "claude", db=db)
    memory_id = added.stdout.strip()
    assert UUID_RE.match(memory_id), added.stdout
    found = run_cli("search", "package manager", "--user", "team", db=db)
    header, row = found.stdout.splitlines()[:2]
    assert header.split() == ["SCORE", "SCOPE", "AGENT", "ID", "CONTENT"]
    assert row.split()[1:4] == ["user", "claude", memory_id] and row.endswith("Project uses uv")
    # Another agent of the same user finds it and is told who wrote it.
    results = run_json("search", "package manager", "--user", "team", "--agent", "codex", db=db)
    assert [r["id"] for r in results] == [memory_id]
    assert results[0]["source_agent"] == "claude"
    assert run_json("search", "package manager", "--user", "someone-else", db=db) == []


def test_preference_recalled_in_another_session(db: Path) -> None:
    run_cli("add", "Bob prefers dark mode in every editor", "--user", "bob", "--session", "morning-session", db=db)
    run_cli("add", "Draft for the morning standup", "--scope", "session", "--user", "bob",
            "--session", "morning-session", db=db)
    afternoon = run_json("search", "UI theme preferences", "--user", "bob", "--session", "afternoon-session", db=db)
    contents = [r["content"] for r in afternoon]
    assert "Bob prefers dark mode in every editor" in contents
    assert "Draft for the morning standup" not in contents  # session-level: not a sibling's
    morning = run_json("list", "--user", "bob", "--session", "morning-session", db=db)
    assert {r["content"] for r in morning} == {"Bob prefers dark mode in every editor", "Draft for the morning standup"}


def test_add_json_record_has_every_field(db: Path) -> None:
    record = run_json("add", "Deploys run on Fridays", "--user", "ops", "--session", "s1", "--agent", "bot",
                      "--scope", "agent", "--importance", "0.8", "--metadata", '{"topic": "deploy", "n": 3}', db=db)
    assert record.pop("merged") is False
    assert set(record) == RECORD_FIELDS
    assert UUID_RE.match(record["id"])
    assert record["scope"] == "agent" and record["user_id"] == "ops" and record["session_id"] == "s1"
    assert record["agent_id"] == "bot" and record["source_agent"] == "bot" and record["turn_id"] is None
    assert record["importance"] == pytest.approx(0.8)
    assert record["metadata"] == {"topic": "deploy", "n": 3}
    assert ISO_RE.match(record["created_at"]) and record["created_at"] == record["updated_at"]
    assert re.fullmatch(r"[0-9a-f]{64}", record["content_hash"])
    assert record["version"] == 1 and record["valid_to"] is None and record["superseded_by"] is None
    assert record["sources"] == ["bot"] and record["seen_count"] == 1
    assert run_json("get", record["id"], db=db) == record


def test_add_source_agent_and_content_from_stdin(db: Path) -> None:
    done = run_cli("add", "-", "--user", "u", "--source-agent", "importer", "--json", db=db,
                   input="multi-line\ncontent from stdin\n")
    record = json.loads(done.stdout)
    assert record["content"].startswith("multi-line\ncontent from stdin")
    assert record["source_agent"] == "importer"


def test_add_merges_a_repeated_fact_unless_told_not_to(db: Path) -> None:
    first = run_cli("add", "Project uses uv, not pip", "--user", "team", "--agent", "claude", db=db).stdout.strip()
    again = run_cli("add", "Project uses uv, not pip", "--user", "team", "--agent", "codex", db=db)
    assert again.stdout.strip() == first and "merged" in again.stderr
    merged = run_json("get", first, db=db)
    assert merged["sources"] == ["claude", "codex"] and merged["seen_count"] == 2
    kept = run_json("add", "Project uses uv, not pip", "--user", "team", "--no-dedup", db=db)
    assert kept["merged"] is False and kept["id"] != first
    assert len(run_json("list", "--user", "team", db=db)) == 2


def test_get_text_and_delete(db: Path) -> None:
    memory_id = run_cli("add", "The office wifi is called Gandalf", "--user", "amy", db=db).stdout.strip()
    shown = run_cli("get", memory_id, db=db).stdout
    assert f"id:           {memory_id}" in shown and "content:      The office wifi is called Gandalf" in shown
    assert re.search(r"created:\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", shown)
    assert run_cli("delete", memory_id, db=db).stdout.strip() == f"deleted {memory_id}"
    assert_one_line_error(run_cli("get", memory_id, db=db, expect=None), 4, memory_id)
    assert_one_line_error(run_cli("delete", memory_id, db=db, expect=None), 4)


def test_list_visible_versus_all(db: Path) -> None:
    run_cli("add", "long-term fact", "--user", "kim", db=db)
    run_cli("add", "note from session one", "--scope", "session", "--user", "kim", "--session", "one", db=db)
    run_cli("add", "note from session two", "--scope", "session", "--user", "kim", "--session", "two", db=db)
    run_cli("add", "someone else's", "--user", "lee", db=db)
    visible = run_json("list", "--user", "kim", db=db)
    assert [r["content"] for r in visible] == ["long-term fact"]
    everything = run_json("list", "--user", "kim", "--all", db=db)
    assert {r["content"] for r in everything} == {"long-term fact", "note from session one", "note from session two"}
    sessions_only = run_json("list", "--user", "kim", "--all", "--scope", "session", db=db)
    assert len(sessions_only) == 2 and all(r["scope"] == "session" for r in sessions_only)
    assert len(run_json("list", "--user", "kim", "--all", "--limit", "1", db=db)) == 1
    table = run_cli("list", "--user", "kim", "--all", db=db).stdout.splitlines()
    assert table[0].split() == ["ID", "SCOPE", "SESSION", "AGENT", "CREATED", "CONTENT"] and len(table) == 4
    assert run_cli("list", "--user", "nobody", db=db).stdout.strip() == "no memories"


def test_search_options_and_scores(db: Path) -> None:
    run_cli("add", "Caroline went hiking in the Alps", "--user", "c", "--metadata", '{"speaker": "Caroline"}', db=db)
    run_cli("add", "Melanie went hiking in the Andes", "--user", "c", "--metadata", '{"speaker": "Melanie"}', db=db)
    run_cli("add", "The invoice is due on the 5th", "--user", "c", "--metadata", '{"speaker": "Melanie", "n": 5}', db=db)
    results = run_json("search", "mountain hiking trip", "--user", "c", db=db)
    assert all(set(r) == RECORD_FIELDS | SCORE_FIELDS for r in results)
    assert {r["content"] for r in results[:2]} == {"Caroline went hiking in the Alps", "Melanie went hiking in the Andes"}
    assert results[0]["vector_rank"] == 1 and results[0]["vector_score"] > 0
    assert [r["score"] for r in results] == sorted((r["score"] for r in results), reverse=True)
    filtered = run_json("search", "hiking", "--user", "c", "--filter", "speaker=Caroline", db=db)
    assert [r["content"] for r in filtered] == ["Caroline went hiking in the Alps"]
    by_number = run_json("search", "invoice", "--user", "c", "--filter", "n=5", "--filter", "speaker=Melanie", db=db)
    assert [r["content"] for r in by_number] == ["The invoice is due on the 5th"]
    assert run_json("search", "invoice", "--user", "c", "--filter", 'n="5"', db=db) == []
    text_only = run_json("search", "Andes", "--user", "c", "--mode", "text", db=db)
    assert [r["content"] for r in text_only] == ["Melanie went hiking in the Andes"]
    assert text_only[0]["text_rank"] == 1 and text_only[0]["vector_rank"] == 0
    assert len(run_json("search", "hiking", "--user", "c", "--top-k", "1", db=db)) == 1
    assert run_json("search", "hiking", "--user", "c", "--min-score", "0.99999", db=db) == []
    assert run_cli("search", "zzzz qqqq", "--user", "c", "--mode", "text", db=db).stdout.strip() == "no matching memories"


def test_clear_needs_user_and_yes(db: Path) -> None:
    run_cli("add", "keep me safe", "--user", "dan", db=db)
    run_cli("add", "session note", "--scope", "session", "--user", "dan", "--session", "s", db=db)
    refused = run_cli("clear", "--user", "dan", db=db, expect=None)
    assert_one_line_error(refused, 2, "--yes", "dan")
    assert len(run_json("list", "--user", "dan", "--all", db=db)) == 2  # nothing deleted
    assert_one_line_error(run_cli("clear", "--yes", db=db, expect=None), 2, "--user")
    assert run_json("clear", "--user", "dan", "--session", "s", "--yes", db=db) == {"deleted": 1}
    assert run_cli("clear", "--user", "dan", "--yes", db=db).stdout.startswith("deleted 1 memory (")
    assert run_json("list", "--user", "dan", "--all", db=db) == []


def test_stats_whole_store_and_per_user(db: Path) -> None:
    run_cli("add", "one", "--user", "a", db=db)
    run_cli("add", "two", "--scope", "session", "--user", "a", "--session", "s", db=db)
    run_cli("add", "three", "--user", "b", db=db)
    whole = run_json("stats", db=db)
    assert whole["total"] == 3 and whole["users"] == 2 and whole["dimension"] == 384
    assert whole["by_scope"] == {"user": 2, "session": 1, "agent": 0, "turn": 0}
    assert whole["embedder_model"] and whole["schema_version"] >= 1 and whole["db_size_bytes"] > 0
    user_a = run_json("stats", "--user", "a", "--session", "s", db=db)
    assert user_a["total"] == 2 and user_a["user_id"] == "a"
    text = run_cli("stats", db=db).stdout
    assert re.search(r"memories:\s+3", text) and "dimension 384" in text


def test_db_from_environment(tmp_path: Path) -> None:
    path = tmp_path / "from-env.db"
    run_cli("add", "stored via STRATAMEM_DB", "--user", "e", env=cli_env(STRATAMEM_DB=str(path)))
    assert path.exists()
    assert [r["content"] for r in run_json("list", "--user", "e", db=path)] == ["stored via STRATAMEM_DB"]


# --- export and import ---------------------------------------------------------------------

def _fill(db: Path) -> None:
    run_cli("add", "Project uses uv, not pip", "--user", "team", "--agent", "claude", db=db)
    run_cli("add", "Café au lait ☕ and 日本語 text", "--user", "team", "--importance", "0.9",
            "--metadata", '{"lang": ["fr", "ja"], "nested": {"x": 1.25}}', db=db)
    run_cli("add", "turn scratch", "--scope", "turn", "--user", "team", "--session", "s1", "--turn", "t7", db=db)
    run_cli("add", "agent note", "--scope", "agent", "--user", "team", "--session", "s1", "--agent", "codex", db=db)


def test_export_import_round_trip(tmp_path: Path) -> None:
    src, dst = tmp_path / "src.db", tmp_path / "dst.db"
    _fill(src)
    first = tmp_path / "first.jsonl"
    run_cli("export", "--user", "team", "--out", str(first), db=src)
    lines = first.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4
    records = [json.loads(line) for line in lines]
    assert all(set(r) == RECORD_FIELDS for r in records)
    imported = run_json("import", str(first), db=dst)
    assert imported == {"imported": 4, "skipped_existing": 0, "embedded": 4}
    second = run_cli("export", "--user", "team", db=dst).stdout  # to stdout
    assert second.splitlines() == lines  # ids, timestamps, hashes, metadata, order: all kept
    # Importing again changes nothing.
    assert run_json("import", str(first), db=dst) == {"imported": 0, "skipped_existing": 4, "embedded": 0}
    # The re-derived vectors search like the originals.
    hit = run_json("search", "package manager", "--user", "team", "--agent", "codex", "--top-k", "1", db=dst)
    assert hit[0]["content"] == "Project uses uv, not pip" and hit[0]["source_agent"] == "claude"


def test_export_whole_store(tmp_path: Path) -> None:
    src, dst = tmp_path / "src.db", tmp_path / "dst.db"
    _fill(src)
    run_cli("add", "another user's fact", "--user", "solo", db=src)
    everything = run_cli("export", db=src)
    assert "exported 5 memories to stdout" in everything.stderr
    assert {json.loads(line)["user_id"] for line in everything.stdout.splitlines()} == {"team", "solo"}
    run_cli("import", "-", db=dst, input=everything.stdout)
    assert run_cli("export", db=dst).stdout == everything.stdout


def test_export_import_with_vectors(tmp_path: Path) -> None:
    src, dst = tmp_path / "src.db", tmp_path / "dst.db"
    _fill(src)
    exported = run_cli("export", "--user", "team", "--with-vectors", db=src).stdout
    for line in exported.splitlines():
        raw = base64.b64decode(json.loads(line)["vector"])
        vector = struct.unpack(f"<{len(raw) // 4}f", raw)
        assert len(vector) == 384 and sum(x * x for x in vector) == pytest.approx(1.0, abs=1e-4)
    # Through stdin; the vectors are used, nothing is embedded.
    done = run_cli("import", "-", "--json", db=dst, input=exported)
    assert json.loads(done.stdout) == {"imported": 4, "skipped_existing": 0, "embedded": 0}
    assert run_cli("export", "--user", "team", "--with-vectors", db=dst).stdout == exported


def test_import_re_embeds_vectors_of_another_dimension(tmp_path: Path) -> None:
    src = tmp_path / "src.db"
    run_cli("add", "A fact with a foreign vector", "--user", "v", db=src)
    record = json.loads(run_cli("export", "--user", "v", db=src).stdout)
    record["vector"] = base64.b64encode(struct.pack("<3f", 1.0, 0.0, 0.0)).decode()
    path = tmp_path / "foreign.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert run_json("import", str(path), db=tmp_path / "dst.db") == {"imported": 1, "skipped_existing": 0, "embedded": 1}


def test_import_checks_the_whole_file_first(tmp_path: Path, db: Path) -> None:
    run_cli("add", "already here", "--user", "imp", db=db)
    good = json.loads(run_cli("export", "--user", "imp", db=db).stdout)
    good["id"] = "another-id"
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(good) + "\n" + '{"id": "x", "content": 5}\n', encoding="utf-8")
    assert_one_line_error(run_cli("import", str(path), db=db, expect=None), 3, "line 2", "content")
    assert [r["content"] for r in run_json("list", "--user", "imp", db=db)] == ["already here"]
    path.write_text("not json\n", encoding="utf-8")
    assert_one_line_error(run_cli("import", str(path), db=db, expect=None), 3, "line 1")
    assert_one_line_error(run_cli("import", str(tmp_path / "missing.jsonl"), db=db, expect=None), 6)


# --- bad input -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (("add", "x", "--user", "u", "--scope", "galaxy"), 2, "--scope"),
        (("add", "", "--user", "u"), 3, "empty"),
        (("add", "  \t\n ", "--user", "u"), 3, "empty"),
        (("add", "x"), 2, "--user"),
        (("add", "x", "--user", "u", "--scope", "session"), 2, "session"),
        (("add", "x", "--user", "u", "--metadata", "[1, 2]"), 3, "metadata"),
        (("add", "x", "--user", "u", "--importance", "2"), 2, "--importance"),
        (("add", "x" * (32 * 1024 + 1), "--user", "u"), 3, ""),
        (("search", "x"), 2, "--user"),
        (("search", "x", "--user", "u", "--filter", "novalue"), 2, "--filter"),
        (("search", "x", "--user", "u", "--mode", "magic"), 2, "--mode"),
        (("list",), 2, "--user"),
        (("get", "no-such-id"), 4, "no-such-id"),
        (("frobnicate",), 2, ""),
        ((), 2, "subcommand"),
    ],
)
def test_bad_input_exit_codes(db: Path, args: tuple[str, ...], code: int, needle: str) -> None:
    run_cli("add", "pre-existing memory", "--user", "u", db=db)
    before = db.read_bytes()
    done = run_cli(*args, db=db, expect=None)
    assert_one_line_error(done, code, needle)
    assert [r["content"] for r in run_json("list", "--user", "u", db=db)] == ["pre-existing memory"]
    assert len(db.read_bytes()) >= len(before) // 2  # the file is still there and sane


def test_json_errors_on_stdout(db: Path) -> None:
    run_cli("add", "x", "--user", "u", db=db)
    done = run_cli("get", "missing", "--json", db=db, expect=4)
    assert json.loads(done.stdout) == {"error": {"code": "NotFound", "exit_code": 4,
                                                 "message": "no memory with id 'missing'"}}
    usage = run_cli("clear", "--user", "u", "--json", db=db, expect=2)
    assert json.loads(usage.stdout)["error"]["code"] == "Usage"


def test_invalid_utf8_and_nul_rejected(db: Path) -> None:
    run_cli("add", "valid", "--user", "u", db=db)
    for payload in (b"bad \xff\xfe bytes", b"nul \x00 inside"):
        assert_one_line_error(run_cli("add", "-", "--user", "u", db=db, input=payload, expect=None), 3)
    assert len(run_json("list", "--user", "u", db=db)) == 1


def test_corrupted_and_foreign_files(tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(os.urandom(8192))
    text = tmp_path / "notes.db"
    text.write_text("just a text file\n")
    for path in (garbage, text):
        before = path.read_bytes()
        for args in (("list", "--user", "u"), ("add", "x", "--user", "u"), ("stats",)):
            assert_one_line_error(run_cli(*args, db=path, expect=None), 5, "not a stratamem store")
        assert path.read_bytes() == before  # nothing written over the user's file


def test_missing_store_is_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    for args in (("list", "--user", "u"), ("search", "x", "--user", "u"), ("stats",), ("get", "id")):
        assert_one_line_error(run_cli(*args, db=missing, expect=None), 6, "no store")
    assert not missing.exists()
    # A write creates the missing parent directories (docs/agents.md's `--db ~/.stratamem/...`)...
    fresh = tmp_path / "no" / "such" / "dir.db"
    run_cli("add", "x", "--user", "u", db=fresh)
    assert [r["content"] for r in run_json("list", "--user", "u", db=fresh)] == ["x"]
    # ...but not through a plain file.
    (tmp_path / "plain").write_text("not a directory")
    assert_one_line_error(run_cli("add", "x", "--user", "u", db=tmp_path / "plain" / "x.db", expect=None), 6)


def test_binary_without_model_dir_says_how_to_set_it(db: Path) -> None:
    binary = str(_cli.binary_path())
    done = run_cli("add", "x", "--user", "u", db=db, cmd=binary, env=cli_env(), expect=None)
    assert_one_line_error(done, 2, "--model-dir", "STRATAMEM_MODEL_DIR")
    assert not db.exists()


# --- help, version and docs ------------------------------------------------------------------

def test_version() -> None:
    from importlib.metadata import version

    assert run_cli("--version").stdout.strip() == version("stratamem")


def test_every_help_is_complete() -> None:
    top = run_cli("--help").stdout
    for command in _cli.COMMANDS:
        assert re.search(rf"^\s+{command}\s+\S", top, re.M), command
        text = run_cli(command, "--help").stdout
        assert text.splitlines()[0].strip(), command  # a description
        # `mcp` speaks JSON-RPC on stdout (no --json) and has no turn: it serves a whole session.
        skip = {"--turn", "--json"} if command == "mcp" else set()
        for option in ("--db", "--user", "--session", "--agent", "--turn", "--json", "--model-dir", "--embedder"):
            if option not in skip:
                assert option in text, (command, option)
        assert re.search(rf"Examples?:\n  stratamem {command}\b", text), command


def test_docs_match_help() -> None:
    text = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    start = text.index(_cli.BEGIN_MARKER) + len(_cli.BEGIN_MARKER)
    generated = text[start:text.index(_cli.END_MARKER)]
    assert generated == "\n\n" + _cli.render_help_blocks() + "\n", (
        "docs/cli.md is out of date: run python -m stratamem._cli --write-docs"
    )


def test_graph_lists_shows_and_exports(tmp_path: Path) -> None:
    db = tmp_path / "g.db"
    # Mid-sentence names: a capitalised first word alone is weak (docs/graph.md).
    run_cli("add", "The platform team is run by Dana and Alice", "--user", "team", db=db)
    run_cli("add", "Next spring Dana is moving to Porto", "--user", "team", db=db)
    run_cli("add", "Ravi likes Lisbon", "--user", "other", db=db)
    listed = {e["key"]: e for e in run_json("graph", "--user", "team", db=db)["entities"]}
    assert set(listed) == {"dana", "alice", "porto"} and listed["dana"]["memories"] == 2
    shown = run_json("graph", "Dana", "--user", "team", db=db)
    assert shown["entity"]["name"] == "Dana"
    assert {n["entity"]["key"] for n in shown["neighbors"]} == {"alice", "porto"}
    assert "Dana" in run_cli("graph", "--user", "team", db=db).stdout
    dot = run_cli("graph", "--user", "team", "--dot", db=db).stdout
    assert dot.startswith("digraph stratamem {") and "Lisbon" not in dot
    out = tmp_path / "g.graphml"
    run_cli("graph", "--user", "team", "--export", "graphml", "-o", str(out), db=db)
    assert "<graphml" in out.read_text(encoding="utf-8")
    assert_one_line_error(run_cli("graph", "Ravi", "--user", "team", db=db, expect=None), 4, "Ravi")
    assert_one_line_error(run_cli("graph", "--user", "team", "--export", "png", db=db, expect=None), 2, "--export")
