"""`stratamem ingest`: past conversations (OpenAI-style messages as JSON or
JSON Lines, and LoCoMo) stored turn by turn with speaker and date metadata,
through the installed console script on real files with the real model."""

from __future__ import annotations

import json
import os
import pty
import subprocess
from pathlib import Path

import pytest

from test_cli import assert_one_line_error, cli_env, console_script, run_cli, run_json

pytestmark = pytest.mark.model

FIXTURES = Path(__file__).resolve().parent / "fixtures"
LOCOMO = Path(os.environ.get("STRATAMEM_LOCOMO", "/work/shared/data/locomo/locomo10.json"))


def memories(db: Path, user: str) -> list[dict]:
    """Every memory of `user`, oldest first."""
    return sorted(run_json("list", "--user", user, "--all", db=db),
                  key=lambda r: (r["created_at"], r["metadata"].get("index", 0), r["metadata"].get("dia_id", "")))


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "ingest.db"


def test_messages_json_with_parts_tools_and_system(db: Path) -> None:
    summary = run_json("ingest", str(FIXTURES / "chat_messages.json"), "--user", "maria", "--session", "s1", db=db)
    assert summary["stored"] == 3 and summary["skipped"] == 2  # the system prompt and the tool call
    assert summary["format"] == "messages" and summary["users"] == 1 and summary["sessions"] == 1
    assert summary["turns_per_second"] > 0
    stored = {r["metadata"]["index"]: r for r in memories(db, "maria")}
    assert set(stored) == {1, 2, 4}
    assert stored[1]["content"] == "user: I'm moving to Lisbon in March and need a flat near the river."
    assert stored[1]["metadata"] == {"speaker": "user", "role": "user", "index": 1,
                                     "date": "2024-02-01T09:15:00Z", "session": "s1"}
    # Text parts joined; the image part dropped.
    assert stored[2]["content"] == ("assistant: Alcântara and Santos are close to the river.\n"
                                    "Both have good tram links.")
    # A named speaker.
    assert stored[4]["metadata"]["speaker"] == "maria" and stored[4]["content"].startswith("maria: My budget")
    assert all(r["session_id"] == "s1" and r["scope"] == "user" for r in stored.values())
    hits = run_json("search", "what pet does she have", "--user", "maria", "--top-k", "1", db=db)
    assert hits[0]["content"].endswith("I have a cat named Pixel.")


def test_messages_jsonl_and_plain_list(db: Path, tmp_path: Path) -> None:
    done = run_cli("ingest", str(FIXTURES / "chat_messages.jsonl"), "--user", "dev", db=db)
    assert done.stdout.startswith("stored 3 turns (1 users, 1 sessions, format messages) in ")
    assert done.stdout.rstrip().endswith("turns/s)")
    assert "\r" not in done.stderr  # no progress bar when stderr is not a terminal
    stored = memories(db, "dev")
    assert [r["metadata"]["date"] for r in stored] == ["2024-03-10T14:00:00Z", "2024-03-10T14:00:05Z",
                                                      "2024-03-10T14:01:30Z"]
    assert stored[1]["content"] == "assistant: Noted: Kamal deploys to two Hetzner servers."
    assert all(r["session_id"] is None for r in stored)

    plain = tmp_path / "list.json"
    plain.write_text(json.dumps([{"role": "user", "content": "I play the oboe"},
                                 {"role": "assistant", "content": "Lovely instrument"}]), encoding="utf-8")
    assert run_json("ingest", str(plain), "--user", "oboe", "--format", "messages", db=db)["stored"] == 2
    assert {r["metadata"]["speaker"] for r in memories(db, "oboe")} == {"user", "assistant"}


def test_messages_at_session_scope(db: Path) -> None:
    run_cli("ingest", str(FIXTURES / "chat_messages.jsonl"), "--user", "dev", "--session", "ops",
            "--scope", "session", db=db)
    assert len(run_json("list", "--user", "dev", "--session", "ops", db=db)) == 3
    assert run_json("list", "--user", "dev", "--session", "other", db=db) == []
    missing = run_cli("ingest", str(FIXTURES / "chat_messages.jsonl"), "--user", "dev", "--scope", "session",
                      db=db, expect=None)
    assert_one_line_error(missing, 2, "session")


def test_locomo_fixture(db: Path) -> None:
    summary = run_json("ingest", str(FIXTURES / "locomo_small.json"), db=db)
    assert summary == {**summary, "stored": 7, "users": 2, "sessions": 3, "format": "locomo", "skipped": 0}
    ana_ben = memories(db, "conv-t1")
    assert len(ana_ben) == 5 and len(memories(db, "conv-t2")) == 2
    by_dia = {r["metadata"]["dia_id"]: r for r in ana_ben}
    first = by_dia["D1:1"]
    assert first["content"] == "Ana: Hi Ben! I just adopted a greyhound called Comet."
    assert first["metadata"] == {"speaker": "Ana", "dia_id": "D1:1", "session": "session_1",
                                 "date": "1:56 pm on 8 May, 2023", "sample_id": "conv-t1"}
    assert first["session_id"] == "session_1" and first["user_id"] == "conv-t1"
    assert by_dia["D1:2"]["content"] == ("Ben: Congrats! Look at my new bike. "
                                         "[image: a photo of a red road bike leaning on a fence]")
    assert by_dia["D2:1"]["metadata"]["date"] == "10:02 am on 21 May, 2023"
    assert by_dia["D2:1"]["session_id"] == "session_2"
    again = run_json("ingest", str(FIXTURES / "locomo_small.json"), "--dedup", db=db)
    assert again["stored"] == 0 and again["already_stored"] == 7
    assert run_json("stats", db=db)["total"] == 7
    hits = run_json("search", "What is the name of Ana's dog?", "--user", "conv-t1", "--top-k", "2", db=db)
    assert any(h["metadata"]["dia_id"] == "D1:1" for h in hits)
    only_ben = run_json("search", "sport", "--user", "conv-t1", "--filter", "speaker=Ben", db=db)
    assert only_ben and all(h["metadata"]["speaker"] == "Ben" for h in only_ben)


def test_locomo_user_override_and_conversation_filter(db: Path) -> None:
    summary = run_json("ingest", str(FIXTURES / "locomo_small.json"), "--conversation", "conv-t2",
                       "--user", "me", db=db)
    assert summary["stored"] == 2 and summary["users"] == 1
    assert {r["metadata"]["sample_id"] for r in memories(db, "me")} == {"conv-t2"}
    assert run_json("list", "--user", "conv-t1", "--all", db=db) == []


def test_progress_bar_on_a_terminal(db: Path) -> None:
    leader, follower = pty.openpty()
    try:
        done = subprocess.run([console_script(), "ingest", str(FIXTURES / "locomo_small.json"), "--db", str(db),
                               "--batch-size", "2"],
                              stdout=subprocess.PIPE, stderr=follower, env=cli_env(), timeout=300)
        os.close(follower)
        follower = -1
        drawn = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the terminal's other end is closed
                break
            if not chunk:
                break
            drawn += chunk
    finally:
        if follower >= 0:
            os.close(follower)
        os.close(leader)
    assert done.returncode == 0
    assert b"ingest [" in drawn and b"/7 " in drawn and b"\r" in drawn
    assert done.stdout.decode().startswith("stored 7 turns")


def test_bad_conversation_files(db: Path, tmp_path: Path) -> None:
    messages = FIXTURES / "chat_messages.json"
    assert_one_line_error(run_cli("ingest", str(messages), db=db, expect=None), 2, "--user")
    assert_one_line_error(run_cli("ingest", str(tmp_path / "absent.json"), "--user", "u", db=db, expect=None), 6)
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"role": "user", "content": "fine"}\n{"role": \n', encoding="utf-8")
    assert_one_line_error(run_cli("ingest", str(broken), "--user", "u", db=db, expect=None), 3, "line 2")
    no_role = tmp_path / "no_role.json"
    no_role.write_text(json.dumps({"messages": [{"content": "who said this?"}]}), encoding="utf-8")
    assert_one_line_error(run_cli("ingest", str(no_role), "--user", "u", db=db, expect=None), 3, "role")
    assert_one_line_error(run_cli("ingest", str(messages), "--user", "u", "--format", "locomo", db=db, expect=None), 3)
    assert not db.exists()  # nothing was opened or created for a file that does not parse


def test_rejected_turns_are_skipped_not_fatal(db: Path, tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    turns = [{"role": "user", "content": "short and fine"}, {"role": "user", "content": "y" * 40000},
             {"role": "assistant", "content": "also fine"}]
    path.write_text(json.dumps(turns), encoding="utf-8")
    done = run_cli("ingest", str(path), "--user", "big", "--json", db=db)
    summary = json.loads(done.stdout)
    assert summary["stored"] == 2 and summary["rejected"] == 1
    assert "stratamem: warning: skipped a turn" in done.stderr
    assert sorted(r["content"] for r in memories(db, "big")) == ["assistant: also fine", "user: short and fine"]


@pytest.mark.slow
@pytest.mark.skipif(not LOCOMO.exists(), reason=f"LoCoMo data not found at {LOCOMO} (set STRATAMEM_LOCOMO)")
def test_real_locomo_one_conversation(db: Path) -> None:
    data = json.loads(LOCOMO.read_text(encoding="utf-8"))
    sample = data[0]
    conversation = sample["conversation"]
    sessions = [k for k, v in conversation.items() if k.startswith("session_") and isinstance(v, list)]
    expected = sum(len(conversation[k]) for k in sessions)
    summary = run_json("ingest", str(LOCOMO), "--conversation", sample["sample_id"], db=db)
    assert summary["stored"] == expected and summary["sessions"] == len(sessions) and summary["users"] == 1
    stats = run_json("stats", "--user", sample["sample_id"], db=db)
    assert stats["total"] == expected
    # Metadata of a known turn.
    turn = conversation["session_1"][0]
    hits = run_json("search", turn["text"], "--user", sample["sample_id"], "--mode", "text",
                    "--filter", f"dia_id={turn['dia_id']}", db=db)
    assert [h["metadata"] for h in hits] == [{"speaker": turn["speaker"], "dia_id": turn["dia_id"],
                                              "session": "session_1", "sample_id": sample["sample_id"],
                                              "date": conversation["session_1_date_time"]}]
    # Retrieval works on the real data: the evidence of most answerable questions is
    # in the top 10 (measured 36 of the first 60 questions: 0.6; the floor is loose).
    questions = [q for q in sample["qa"] if q.get("category") in (1, 2, 3, 4) and q.get("evidence")][:30]
    found = 0
    for qa in questions:
        hits = run_json("search", qa["question"], "--user", sample["sample_id"], "--top-k", "10", db=db)
        found += bool({e.strip() for e in qa["evidence"]} & {h["metadata"]["dia_id"] for h in hits})
    assert found / len(questions) >= 0.4, f"hit@10 {found}/{len(questions)}"
