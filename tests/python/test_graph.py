"""The graph through the Python API, on real files with the real model:
inline and extracted entities, relations with world time, the graph reads
and their exports, graph expansion in search, and typed errors."""

from __future__ import annotations

import json
import time
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

import pytest

import stratamem
from stratamem import InvalidInputError, InvalidTypeError, Memory, NotFoundError, SyncMemory

from conftest import run


def test_extract_entities_previews_what_save_finds():
    found = {e.key: e for e in stratamem.extract_entities(
        "Caroline: my cousin Anjali flew to Toronto on 8 May 2023 and paid $120.")}
    assert found["caroline"].type == "person" and found["caroline"].subject
    assert found["anjali"].type == "person"
    assert found["toronto"].type == "name"
    assert found["2023-05-08"].type == "date"
    assert found["$120"].type == "quantity"


def test_inline_entities_and_relationships_in_the_reference_shapes(mem):
    mem.save("Alice joined Acme last spring", user_id="u",
             entities=[{"name": "Alice Smith", "type": "person"}, {"name": "Acme", "type": "organization"}],
             relationships=[{"source": "Alice Smith", "type": "works at", "target": "Acme"},
                            {"source": "Alice Smith", "relationship": "lives in", "destination": "Berlin"},
                            ("Acme", "based_in", "Berlin")])
    entities = {e.key: e for e in mem.entities(user_id="u")}
    assert entities["acme"].type == "organization"
    assert entities["alice smith"].type == "person"
    # "Alice" in the text is the first name of the one Alice, not a second entity
    # (one mention per memory and entity: the inline spelling is the one kept) ...
    assert "alice" not in entities and entities["alice smith"].aliases == ()
    # ... and another memory naming her so makes "Alice" an alias.
    mem.save("Alice moved to Berlin in May", user_id="u")
    entities = {e.key: e for e in mem.entities(user_id="u")}
    assert "alice" not in entities and entities["alice smith"].aliases == ("Alice",)
    rels = {(r.subject, r.predicate, r.object) for r in mem.relations(user_id="u")}
    assert rels == {("Alice Smith", "works_at", "Acme"), ("Alice Smith", "lives_in", "Berlin"),
                    ("Acme", "based_in", "Berlin")}
    assert [r.object for r in mem.relations(user_id="u", entity="Alice", predicate="works at")] == ["Acme"]


def test_bad_graph_input_is_a_typed_error_and_nothing_is_stored(mem):
    with pytest.raises(InvalidTypeError):
        mem.save("x", user_id="u", entities="Alice")
    with pytest.raises(InvalidTypeError):
        mem.save("x", user_id="u", relationships=[("Alice", "knows")])
    with pytest.raises(InvalidInputError, match=r"relationships\[0\]"):
        mem.save("x", user_id="u", relationships=[{"source": "Alice", "type": " ", "target": "Bob"}])
    with pytest.raises(InvalidInputError, match="world_to"):
        mem.save("x", user_id="u", world_from=datetime(2024, 1, 1), world_to=datetime(2023, 1, 1))
    with pytest.raises(InvalidInputError, match="item 1"):
        mem.save_many([{"content": "fine", "user_id": "u"},
                       {"content": "bad", "user_id": "u", "entities": [{"name": ""}]}])
    assert mem.get_all(user_id="u") == [] and mem.entities(user_id="u") == []


def test_supersede_closes_the_old_fact_in_world_time(mem):
    old = mem.save("Alice works at Acme", user_id="u", world_from=datetime(2020, 1, 1, tzinfo=timezone.utc),
                   relationships=[("Alice", "works_at", "Acme")])
    believed = datetime.now(timezone.utc)
    time.sleep(0.01)
    new = mem.supersede(old, "Alice works at Globex", relationships=[("Alice", "works_at", "Globex")])
    rels = {r.object: r for r in mem.relations(user_id="u")}
    assert rels["Acme"].superseded and not rels["Globex"].superseded
    assert rels["Acme"].world_from == datetime(2020, 1, 1, tzinfo=timezone.utc)  # inherited from the memory
    assert rels["Acme"].world_to is not None and rels["Acme"].world_to == rels["Globex"].world_from
    assert [r.object for r in mem.relations(user_id="u", include_superseded=False)] == ["Globex"]
    # What held in 2021; what we believed before the change (its end not yet known).
    held = mem.relations(user_id="u", valid_at=datetime(2021, 6, 1))
    assert [r.object for r in held] == ["Acme"]
    then = mem.relations(user_id="u", as_of=believed)
    assert [(r.object, r.world_to) for r in then] == [("Acme", None)]
    # Search: now the new fact; at valid_at 2021 the old one, with its world interval.
    assert mem.search("where does Alice work", user_id="u")[0].id == new
    past = mem.search("where does Alice work", user_id="u", valid_at=datetime(2021, 6, 1))
    assert past[0].id == old and past[0].world_to is not None


def test_graph_expansion_ranks_the_named_speakers_turns_and_explains_why(mem):
    mem.save_many([{"content": text, "user_id": "u", "dedup": False} for text in (
        "Melanie: I finally signed up for a pottery class!",
        "Caroline: a pottery class sounds lovely, I took one in college.",
        "Caroline: the support group meets on Tuesdays.",
    )])
    hits = mem.search("What class did Melanie sign up for?", user_id="u", top_k=3, include_graph=True)
    assert hits[0].content.startswith("Melanie:")
    assert hits[0].graph_score == 1.0 and hits[0].graph_path == "Melanie (subject)"
    assert "graph 1.00 via Melanie (subject)" in hits[0].explanation
    off = mem.search("What class did Melanie sign up for?", user_id="u", top_k=3, include_graph=False)
    assert all(h.graph_score == 0 and h.graph_path is None for h in off)
    with pytest.raises(InvalidTypeError):
        mem.search("x", user_id="u", include_graph="yes")


def test_store_default_decides_when_a_search_does_not(config):
    with SyncMemory(config) as mem:  # off by default
        mem.save("Melanie: I signed up for a pottery class", user_id="u")
        assert mem.search("Melanie", user_id="u")[0].graph_score == 0
        assert mem.search("Melanie", user_id="u", include_graph=True)[0].graph_score == 1.0
    with SyncMemory(config.replace(include_graph=True)) as mem:
        assert mem.search("Melanie", user_id="u")[0].graph_score == 1.0
        assert mem.search("Melanie", user_id="u", include_graph=False)[0].graph_score == 0


def test_neighbors_and_the_three_export_formats(mem):
    mem.save("Dana manages the platform team", user_id="u", relationships=[("Alice", "reports_to", "Dana")])
    mem.save("Dana is moving to Porto next spring", user_id="u")
    near = mem.neighbors("Alice", user_id="u")
    assert near[0].entity.name == "Dana" and near[0].hops == 1 and "-[reports_to]->" in near[0].path
    assert any(n.entity.key == "porto" and n.hops == 2 for n in near)
    with pytest.raises(NotFoundError):
        mem.neighbors("Nobody", user_id="u")
    g = mem.graph(user_id="u")
    assert {e["key"] for e in g["entities"]} >= {"alice", "dana", "porto"}
    assert [r["predicate"] for r in g["relations"]] == ["reports_to"]
    root = ET.fromstring(mem.graph(user_id="u", format="graphml"))
    assert root.tag.endswith("graphml")
    dot = mem.graph(user_id="u", format="dot")
    assert dot.startswith("digraph stratamem {") and 'label="reports_to"' in dot
    json.dumps(g)  # plain JSON types
    with pytest.raises(InvalidInputError):
        mem.graph(user_id="u", format="png")


def test_delete_takes_the_memorys_graph_with_it(mem):
    sid = mem.save("Ravi founded Lumio", user_id="u", relationships=[("Ravi", "founded", "Lumio")])
    mem.save("Ravi likes chess", user_id="u")
    mem.delete(sid)
    assert mem.relations(user_id="u") == []
    assert {e.key for e in mem.entities(user_id="u")} == {"ravi"}


def test_graph_reads_are_scoped_like_search(mem):
    mem.save("My friend Zoe is planning a trip to Lisbon", user_id="u", session_id="s1", scope="session")
    mem.save("My brother Tom loves Oslo", user_id="u")
    assert {e.key for e in mem.entities(user_id="u", session_id="s1")} == {"zoe", "lisbon", "tom", "oslo"}
    assert {e.key for e in mem.entities(user_id="u", session_id="s2")} == {"tom", "oslo"}
    assert mem.entities(user_id="someone-else") == []
    with pytest.raises(NotFoundError):
        mem.neighbors("Zoe", user_id="u", session_id="s2")


def test_async_graph_reads_match_sync(config):
    async def go():
        async with Memory(config) as m:
            await m.save("Nora got engaged in Lisbon", user_id="u", relationships=[("Nora", "engaged_in", "Lisbon")])
            return (await m.entities(user_id="u"), await m.relations(user_id="u"),
                    await m.neighbors("Nora", user_id="u"), await m.graph(user_id="u"))
    entities, relations, near, g = run(go())
    with SyncMemory(config) as m:
        assert m.entities(user_id="u") == entities
        assert m.relations(user_id="u") == relations
        assert m.neighbors("Nora", user_id="u") == near
        assert m.graph(user_id="u") == g
