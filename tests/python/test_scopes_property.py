"""Scope visibility and user isolation as properties (hypothesis).

The rule is re-implemented here from the spec, independently of the engine:
a search from (u, s?, a?, t?) sees u's user-level memories, session-level ones
of (u, s), agent-level ones of (u, s, a) and turn-level ones of (u, s, t);
never another user's. The graph reads (entities, relations, neighbours,
export, graph-expanded search) follow the same rule. One store serves every
example; each example gets its own user-id namespace so examples cannot see
each other.
"""

from __future__ import annotations

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stratamem import NotFoundError

USERS = ["u1", "u2"]
SESSIONS = ["s1", "s2"]
AGENTS = ["a1", "a2"]
TURNS = ["t1", "t2"]
WORDS = ["apple", "river", "engine", "violet", "castle", "thunder", "pepper", "orbit"]


def maybe(values):
    return st.none() | st.sampled_from(values)


@st.composite
def saves(draw):
    scope = draw(st.sampled_from(["user", "session", "agent", "turn"]))
    ctx = {
        "user_id": draw(st.sampled_from(USERS)),
        # Ids a level does not need may still be given (they are provenance).
        "session_id": draw(st.sampled_from(SESSIONS)) if scope != "user" else draw(maybe(SESSIONS)),
        "agent_id": draw(st.sampled_from(AGENTS)) if scope == "agent" else draw(maybe(AGENTS)),
        "turn_id": draw(st.sampled_from(TURNS)) if scope == "turn" else draw(maybe(TURNS)),
    }
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3))
    return scope, ctx, " ".join(words)


views = st.fixed_dictionaries({
    "user_id": st.sampled_from(USERS),
    "session_id": maybe(SESSIONS),
    "agent_id": maybe(AGENTS),
    "turn_id": maybe(TURNS),
})


def visible(scope: str, owner: dict, viewer: dict) -> bool:
    if owner["user_id"] != viewer["user_id"]:
        return False
    same_session = viewer["session_id"] is not None and owner["session_id"] == viewer["session_id"]
    if scope == "user":
        return True
    if scope == "session":
        return same_session
    if scope == "agent":
        return same_session and viewer["agent_id"] is not None and owner["agent_id"] == viewer["agent_id"]
    if scope == "turn":
        return same_session and viewer["turn_id"] is not None and owner["turn_id"] == viewer["turn_id"]
    raise AssertionError(scope)


def namespaced(ctx: dict, ns: str) -> dict:
    return {**ctx, "user_id": f"{ns}-{ctx['user_id']}"}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(saves(), min_size=1, max_size=10),
       queries=st.lists(st.tuples(views, st.sampled_from(WORDS)), min_size=1, max_size=5))
def test_search_and_get_all_follow_the_visibility_rule(shared_mem, batch, queries):
    ns = uuid.uuid4().hex[:10]
    ids = shared_mem.save_many(
        [{"content": text, "scope": scope, **namespaced(ctx, ns)} for scope, ctx, text in batch])
    saved = {mid: (scope, ctx) for mid, (scope, ctx, _) in zip(ids, batch)}

    for viewer, word in queries:
        want = {mid for mid, (scope, owner) in saved.items() if visible(scope, owner, viewer)}
        ctx = namespaced(viewer, ns)

        listed = shared_mem.get_all(**ctx)
        assert {r.id for r in listed} == want
        assert all(r.user_id == ctx["user_id"] for r in listed)

        # An exact vector scan over the visible set returns all of it when top_k allows.
        hits = shared_mem.search(word, **ctx, top_k=len(saved) + 1, mode="vector")
        assert {h.id for h in hits} == want

        hybrid = shared_mem.search(word, **ctx, top_k=len(saved) + 1)
        assert {h.id for h in hybrid} <= want
        assert all(h.user_id == ctx["user_id"] for h in hybrid)


NAMES = ["Alice", "Berlin", "Acme", "Oslo"]


@st.composite
def graph_saves(draw):
    scope, ctx, text = draw(saves())
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=2, unique=True))
    # Mid-sentence, so the extractor takes every name; sometimes a relation too.
    related = draw(st.booleans()) and len(names) == 2
    return scope, ctx, f"{text} with {' and '.join(names)}", names, related


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batch=st.lists(graph_saves(), min_size=1, max_size=8),
       viewers=st.lists(views, min_size=1, max_size=4))
def test_every_graph_read_follows_the_visibility_rule(shared_mem, batch, viewers):
    """entities(), relations(), neighbors(), graph() and graph-expanded search
    see exactly what a search from the same context may see."""
    ns = uuid.uuid4().hex[:10]
    items = []
    for scope, ctx, text, names, related in batch:
        item = {"content": text, "scope": scope, "dedup": False, **namespaced(ctx, ns)}
        if related:
            item["relationships"] = [(names[0], "knows", names[1])]
        items.append(item)
    ids = shared_mem.save_many(items)
    saved = {mid: (scope, ctx, names, related)
             for mid, (scope, ctx, _, names, related) in zip(ids, batch)}

    for viewer in viewers:
        ctx = namespaced(viewer, ns)
        seen = {mid for mid, (scope, owner, _, _) in saved.items() if visible(scope, owner, viewer)}
        want_keys = {n.lower() for mid in seen for n in saved[mid][2]}
        want_rels = {mid for mid in seen if saved[mid][3]}

        assert {e.key for e in shared_mem.entities(**ctx, limit=10000)} == want_keys
        rels = shared_mem.relations(**ctx, limit=10000)
        assert {r.memory_id for r in rels} == want_rels
        exported = shared_mem.graph(**ctx)
        assert {e["key"] for e in exported["entities"]} == want_keys
        assert {r["memory_id"] for r in exported["relations"]} == want_rels
        for name in NAMES:
            if name.lower() not in want_keys:
                with pytest.raises(NotFoundError):
                    shared_mem.neighbors(name, **ctx)
                continue
            for n in shared_mem.neighbors(name, **ctx, limit=100):
                assert n.entity.key in want_keys
                assert set(n.memory_ids) <= seen
        hits = shared_mem.search(" ".join(NAMES), **ctx, top_k=len(saved) + 1, include_graph=True)
        assert {h.id for h in hits} <= seen
        assert all(h.graph_score == 0 or h.id in seen for h in hits)


# --- random operation sequences against a plain model, every read path -------------------------

def soak() -> bool:
    import os
    return os.environ.get("STRATAMEM_SOAK") == "1"


class Model:
    """The scope rules as a dictionary: id -> (scope, owner ids, content, live)."""

    def __init__(self) -> None:
        self.rows: dict[str, tuple[str, dict, str]] = {}
        self.retired: dict[str, str] = {}  # superseded memory id -> its user (kept as history)

    def visible_ids(self, viewer: dict) -> set[str]:
        return {mid for mid, (scope, owner, _) in self.rows.items() if visible(scope, owner, viewer)}


def random_ctx(rng, scope: str) -> dict:
    return {
        "user_id": rng.choice(USERS),
        "session_id": rng.choice(SESSIONS) if scope != "user" or rng.random() < 0.3 else None,
        "agent_id": rng.choice(AGENTS) if scope == "agent" or rng.random() < 0.2 else None,
        "turn_id": rng.choice(TURNS) if scope == "turn" or rng.random() < 0.2 else None,
    }


def random_viewer(rng) -> dict:
    return {"user_id": rng.choice(USERS), "session_id": rng.choice([None, *SESSIONS]),
            "agent_id": rng.choice([None, *AGENTS]), "turn_id": rng.choice([None, *TURNS])}


def check_reads(m, model: Model, viewer: dict, word: str, ns: str) -> int:
    """Every read path from `viewer` against the model; returns reads done."""
    want = model.visible_ids(viewer)
    ctx = namespaced(viewer, ns)
    assert {r.id for r in m.get_all(**ctx)} == want
    n = max(1, len(model.rows))
    assert {h.id for h in m.search(word, **ctx, top_k=n, mode="vector")} == want
    for mode in ("text", "hybrid"):
        hits = m.search(word, **ctx, top_k=n, mode=mode)
        assert {h.id for h in hits} <= want and all(h.user_id == ctx["user_id"] for h in hits)
    assert m.stats(**ctx)["total"] == len(want)
    for mid in list(want)[:2]:
        record = m.get(mid)
        assert record.user_id == ctx["user_id"] and record.content == model.rows[mid][2]
        assert all(v.user_id == ctx["user_id"] for v in m.history(mid))
    return 6


def test_random_operations_never_leak_across_users_or_scopes(tmp_path):
    """A few thousand random saves, updates, supersedes, deletes and clears
    (100,000+ under `make soak`), each followed by reads on every path."""
    import random

    from stratamem import NotFoundError, SyncMemory

    rng = random.Random(20261209)
    ops_wanted = 100_000 if soak() else 3_000
    done_ops = reads = 0
    with SyncMemory(db_path=str(tmp_path / "ops.db"), embedder_backend="hash", vector_dimension=64) as m:
        while done_ops < ops_wanted:
            ns = uuid.uuid4().hex[:8]  # a fresh world every 200 operations keeps each search small
            model = Model()
            for _ in range(200):
                op = rng.random()
                if op < 0.45 or not model.rows:
                    scope = rng.choice(["user", "session", "agent", "turn"])
                    ctx = random_ctx(rng, scope)
                    text = " ".join(rng.sample(WORDS, rng.randint(1, 3))) + f" {rng.randrange(10**6)}"
                    mid = m.save(text, scope=scope, dedup=False, **namespaced(ctx, ns))
                    model.rows[mid] = (scope, ctx, text)
                elif op < 0.6:
                    mid = rng.choice(list(model.rows))
                    text = " ".join(rng.sample(WORDS, 2)) + f" v{rng.randrange(10**6)}"
                    m.update(mid, text)
                    scope, ctx, _ = model.rows[mid]
                    model.rows[mid] = (scope, ctx, text)
                elif op < 0.7:
                    old = rng.choice(list(model.rows))
                    scope, ctx, _ = model.rows.pop(old)
                    model.retired[old] = ctx["user_id"]
                    text = " ".join(rng.sample(WORDS, 2)) + f" s{rng.randrange(10**6)}"
                    new = m.supersede(old, text, **namespaced(ctx, ns), scope=scope)
                    model.rows[str(new)] = (scope, ctx, text)
                elif op < 0.8:
                    mid = rng.choice(list(model.rows))
                    m.delete(mid)
                    del model.rows[mid]
                    with pytest.raises(NotFoundError):
                        m.get(mid)
                elif op < 0.83:
                    viewer = {"user_id": rng.choice(USERS), "session_id": None, "agent_id": None, "turn_id": None}
                    gone = {mid for mid, (_, owner, _) in model.rows.items() if owner["user_id"] == viewer["user_id"]}
                    retired = {mid for mid, user in model.retired.items() if user == viewer["user_id"]}
                    assert m.clear(**namespaced(viewer, ns)) == len(gone) + len(retired)  # memories, not versions
                    for mid in gone:
                        del model.rows[mid]
                    for mid in retired:
                        del model.retired[mid]
                else:
                    reads += check_reads(m, model, random_viewer(rng), rng.choice(WORDS), ns)
                done_ops += 1
            reads += check_reads(m, model, random_viewer(rng), rng.choice(WORDS), ns)
    print(f"\nproperty test: {done_ops} operations, {reads} reads checked against the model")
