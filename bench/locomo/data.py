"""Load LoCoMo conversations and questions, normalising the evidence ids.

The evidence lists in locomo10.json carry a few malformed ids (see the data
README): ``'D8:6; D9:17'`` and space-joined lists, ``'D:11:26'`` (extra colon),
``'D'`` alone, ``'D30:05'`` (leading zero), and ids that point to no turn. We
split, repair what has one obvious reading and count what still does not
resolve, so every report can say how many evidence ids were skipped.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEFAULT_PATH = REPO.parent / "shared" / "data" / "locomo" / "locomo10.json"

_ID = re.compile(r"D:?(\d+):(\d+)")


@dataclass(frozen=True)
class Turn:
    dia_id: str
    speaker: str
    text: str
    caption: str          # blip_caption of a shared image, "" when none
    session: int
    date: str             # session_N_date_time, e.g. "1:56 pm on 8 May, 2023"


@dataclass(frozen=True)
class Question:
    index: int            # position in the conversation's qa list
    question: str
    category: int
    evidence: tuple[str, ...]   # normalised ids that resolve to a turn, in order
    raw_evidence: tuple[str, ...]
    unresolved: tuple[str, ...]  # raw pieces that could not be resolved


@dataclass
class Conversation:
    sample_id: str
    speakers: tuple[str, str]
    turns: list[Turn]
    questions: list[Question] = field(default_factory=list)


def data_path(arg: str | os.PathLike[str] | None = None) -> Path:
    """``arg``, else ``$STRATAMEM_LOCOMO``, else the shared default."""
    if arg:
        return Path(arg)
    env = os.environ.get("STRATAMEM_LOCOMO")
    return Path(env) if env else DEFAULT_PATH


def split_evidence(raw: str) -> list[str]:
    """Split one raw evidence entry into candidate ids (on ';', ',' and spaces)."""
    return [piece for piece in re.split(r"[;,\s]+", raw.strip()) if piece]


def normalise_id(piece: str) -> str | None:
    """``'D:11:26'`` -> ``'D11:26'``, ``'D30:05'`` -> ``'D30:5'``; None if no id."""
    m = _ID.fullmatch(piece.strip())
    if not m:
        return None
    return f"D{int(m.group(1))}:{int(m.group(2))}"


def normalise_evidence(raw: list[str], known: set[str]) -> tuple[list[str], list[str]]:
    """Return (resolved ids without duplicates, unresolved raw pieces)."""
    resolved: list[str] = []
    unresolved: list[str] = []
    for entry in raw:
        for piece in split_evidence(str(entry)):
            norm = normalise_id(piece)
            if norm is None or norm not in known:
                unresolved.append(piece)
            elif norm not in resolved:
                resolved.append(norm)
    return resolved, unresolved


def parse_conversation(obj: dict) -> Conversation:
    conv = obj["conversation"]
    turns: list[Turn] = []
    sessions = sorted(int(k.split("_")[1]) for k in conv
                      if re.fullmatch(r"session_\d+", k))
    for n in sessions:
        date = str(conv.get(f"session_{n}_date_time", ""))
        for t in conv[f"session_{n}"]:
            norm = normalise_id(t["dia_id"]) or t["dia_id"]
            turns.append(Turn(norm, t["speaker"], t["text"], t.get("blip_caption") or "",
                              n, date))
    known = {t.dia_id for t in turns}
    questions = []
    for i, qa in enumerate(obj["qa"]):
        raw = [str(e) for e in qa.get("evidence", [])]
        ev, bad = normalise_evidence(raw, known)
        questions.append(Question(i, str(qa["question"]), int(qa["category"]), tuple(ev),
                                  tuple(raw), tuple(bad)))
    return Conversation(obj["sample_id"], (conv["speaker_a"], conv["speaker_b"]),
                        turns, questions)


class MissingData(FileNotFoundError):
    """The LoCoMo file is not where it was looked for; the message says where to get it."""


def load(path: str | os.PathLike[str] | None = None) -> list[Conversation]:
    where = data_path(path)
    if not where.is_file():
        raise MissingData(
            f"no LoCoMo data at {where}: get locomo10.json (data/locomo10.json of the "
            "snap-research/locomo repository, commit 3eb6f2c; not shipped here) and put it "
            f"there, or pass --data PATH or set STRATAMEM_LOCOMO")
    with open(where, encoding="utf-8") as f:
        return [parse_conversation(obj) for obj in json.load(f)]


# How a turn becomes a memory's text. "plain": "<speaker>: <text>", and when the
# turn shared an image, " [shares an image: <caption>]" (the caption is often the
# only place the evidence's content is said). "dated": the same prefixed with the
# session's date, "[8 May, 2023] ", for temporal questions.
def turn_text(turn: Turn, *, dated: bool = False) -> str:
    text = f"{turn.speaker}: {turn.text}"
    if turn.caption:
        text += f" [shares an image: {turn.caption}]"
    if dated:
        text = f"[{session_day(turn.date)}] {text}"
    return text


def session_day(date: str) -> str:
    """'1:56 pm on 8 May, 2023' -> '8 May, 2023' (the time of day adds only noise)."""
    return date.split(" on ", 1)[1] if " on " in date else date


def turn_metadata(turn: Turn) -> dict[str, str | int]:
    return {"speaker": turn.speaker, "dia_id": turn.dia_id, "session": turn.session,
            "date": turn.date}
