"""`stratamem mcp`: the installed console script as an MCP server over stdio,
driven by the official MCP Python SDK (`mcp`: stdio_client + ClientSession) on
real store files with the real bundled model; and a raw-protocol test that
writes JSON-RPC lines to the process itself."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
from contextlib import asynccontextmanager
from pathlib import Path

import jsonschema
import pytest
from mcp import ClientSession, StdioServerParameters, stdio_client
from mcp.shared.exceptions import MCPError

from test_cli import console_script

pytestmark = pytest.mark.model

TOOLS = {"memory_save", "memory_search", "memory_update", "memory_forget", "memory_list", "memory_related"}


def server_env() -> dict[str, str]:
    """The environment without the user's STRATAMEM_* settings (the shim finds
    the bundled model itself), except a development binary override."""
    return {k: v for k, v in os.environ.items() if not k.startswith("STRATAMEM_") or k == "STRATAMEM_CLI_BINARY"}


def server_args(db: Path, user: str, agent: str, *extra: str) -> list[str]:
    return ["mcp", "--db", str(db), "--user", user, "--agent", agent, *extra]


@asynccontextmanager
async def connect(db: Path, user: str = "alice", agent: str = "claude-code", *extra: str):
    """An initialized ClientSession to a fresh `stratamem mcp` process."""
    params = StdioServerParameters(command=console_script(), args=server_args(db, user, agent, *extra),
                                   env=server_env())
    with open(os.devnull, "w") as errlog:
        async with stdio_client(params, errlog=errlog) as (read, write):
            async with ClientSession(read, write) as session:
                await session.initialize()
                yield session


async def call(session: ClientSession, name: str, **arguments):
    """Calls a tool that must succeed; returns its structuredContent."""
    result = await session.call_tool(name, arguments)
    assert not result.is_error, result.content
    # The text block carries the same result as JSON, for clients that read only text.
    assert json.loads(result.content[0].text) == result.structured_content
    return result.structured_content


def run(coro):
    return asyncio.run(coro)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "agents.db"


def test_initialize_and_tool_schemas(db: Path) -> None:
    async def body():
        async with connect(db) as session:
            init = session.initialize_result
            assert init.protocol_version == "2025-11-25"
            assert init.server_info.name == "stratamem"
            assert init.capabilities.tools is not None
            assert "memory_search" in init.instructions
            listed = await session.list_tools()
            return listed.tools

    tools = run(body())
    assert {t.name for t in tools} == TOOLS
    for tool in tools:
        for schema in (tool.input_schema, tool.output_schema):
            jsonschema.Draft202012Validator.check_schema(schema)
            assert schema["type"] == "object"
        assert tool.input_schema["additionalProperties"] is False
        # Every argument is described, and every tool says when to call it.
        for name, prop in tool.input_schema["properties"].items():
            assert prop.get("description"), (tool.name, name)
        assert "Call it" in tool.description, tool.name
    by_name = {t.name: t for t in tools}
    assert by_name["memory_search"].annotations.read_only_hint is True
    assert by_name["memory_forget"].annotations.destructive_hint is True


def test_save_search_update_forget_list_round_trip(db: Path) -> None:
    async def body():
        async with connect(db, "alice", "claude-code", "--session", "s1") as s:
            saved = await call(s, "memory_save", content="The project uses uv, not pip, for Python packages",
                               importance=0.9, metadata={"topic": "tooling"})
            mid = saved["id"]
            assert saved["merged"] is False
            memory = saved["memory"]
            assert memory["scope"] == "user" and memory["source_agent"] == "claude-code"
            assert memory["metadata"] == {"topic": "tooling"} and memory["importance"] == 0.9
            session_fact = await call(s, "memory_save", content="This session is about the login bug",
                                      scope="session")
            assert session_fact["memory"]["scope"] == "session" and session_fact["memory"]["session_id"] == "s1"

            found = await call(s, "memory_search", query="which package manager?", top_k=1)
            assert [r["memory"]["id"] for r in found["results"]] == [mid]
            assert 0 < found["results"][0]["score"] <= 1
            only_session = await call(s, "memory_search", query="package manager login", scope=["session"])
            assert {r["memory"]["id"] for r in only_session["results"]} == {session_fact["id"]}

            updated = await call(s, "memory_update", id=mid, content="The project uses uv and ruff")
            assert updated["id"] == mid and updated["memory"]["version"] == 2 and updated["superseded"] is None
            assert updated["memory"]["importance"] == 0.9  # kept
            found = await call(s, "memory_search", query="uv ruff", top_k=5)
            contents = [r["memory"]["content"] for r in found["results"]]
            assert "The project uses uv and ruff" in contents
            assert "The project uses uv, not pip, for Python packages" not in contents

            replaced = await call(s, "memory_update", id=mid, content="The project moved to pixi", supersede=True)
            new_id = replaced["id"]
            assert new_id != mid and replaced["superseded"] == mid
            stale = await s.call_tool("memory_update", {"id": mid, "content": "again"})
            assert stale.is_error and "superseded" in stale.content[0].text

            listed = await call(s, "memory_list", limit=10)
            assert listed["count"] == 2
            assert {m["id"] for m in listed["memories"]} == {new_id, session_fact["id"]}
            assert listed["memories"][0]["id"] == session_fact["id"] or listed["memories"][0]["id"] == new_id
            user_only = await call(s, "memory_list", scope=["user"])
            assert [m["id"] for m in user_only["memories"]] == [new_id]

            assert await call(s, "memory_forget", id=new_id) == {"deleted": new_id}
            gone = await s.call_tool("memory_forget", {"id": new_id})
            assert gone.is_error and "no memory" in gone.content[0].text
            listed = await call(s, "memory_list")
            assert [m["id"] for m in listed["memories"]] == [session_fact["id"]]

    run(body())


def test_tool_errors_and_protocol_errors(db: Path) -> None:
    async def body():
        async with connect(db) as s:  # no --session
            bad_cases = [
                ("memory_save", {}, "missing content"),
                ("memory_save", {"content": ""}, "must not be empty"),
                ("memory_save", {"content": "x", "importance": 2}, "at most 1"),
                ("memory_save", {"content": "x", "colour": "red"}, "colour: unknown field"),
                ("memory_save", {"content": "x", "scope": "galaxy"}, "must be one of"),
                ("memory_save", {"content": "fact", "scope": "session"}, "without --session"),
                ("memory_search", {"query": "x", "top_k": 0}, "at least 1"),
                ("memory_search", {"query": "x", "top_k": 2.5}, "must be integer"),
                ("memory_search", {"query": 7}, "must be string"),
                ("memory_list", {"scope": ["user", "user"]}, "unique"),
                ("memory_update", {"id": "0190", "content": "x"}, "no memory"),
            ]
            for name, args, needle in bad_cases:
                result = await s.call_tool(name, args)
                assert result.is_error, (name, args)
                assert result.structured_content is None
                assert needle in result.content[0].text, (name, args, result.content[0].text)
            with pytest.raises(MCPError) as unknown:
                await s.call_tool("memory_teleport", {})
            assert unknown.value.code == -32602
            # The server is still healthy after all that.
            assert (await call(s, "memory_list"))["count"] == 0

    run(body())


def test_fact_saved_by_one_agent_is_found_by_another_with_provenance(db: Path) -> None:
    async def body():
        async with connect(db, "alice", "claude") as claude:
            saved = await call(claude, "memory_save", content="Alice prefers tabs over spaces in Go code")
        async with connect(db, "alice", "codex") as codex:
            found = await call(codex, "memory_search", query="indentation preference", top_k=3)
            assert found["results"][0]["memory"]["id"] == saved["id"]
            assert found["results"][0]["memory"]["source_agent"] == "claude"
            # The same fact stated by codex merges into one memory with both sources.
            again = await call(codex, "memory_save", content="Alice prefers tabs over spaces in Go code")
            assert again["merged"] is True and again["id"] == saved["id"]
            assert again["memory"]["sources"] == ["claude", "codex"]
            assert again["memory"]["seen_count"] == 2

    run(body())


def test_two_servers_write_concurrently_without_lost_writes(db: Path) -> None:
    facts_per_agent = 12

    async def writer(agent: str) -> list[str]:
        async with connect(db, "team", agent) as s:
            ids = []
            for i in range(facts_per_agent):
                saved = await call(s, "memory_save", content=f"{agent} observation number {i}: build step {i * 7}")
                assert saved["merged"] is False
                ids.append(saved["id"])
            return ids

    async def body():
        # Both processes open the store first, then write at the same time.
        ids_a, ids_b = await asyncio.gather(writer("claude-code"), writer("gemini-cli"))
        async with connect(db, "team", "codex") as reader:
            listed = await call(reader, "memory_list", limit=200)
            found = await call(reader, "memory_search", query="gemini-cli observation number 5", top_k=1)
        return ids_a, ids_b, listed, found

    ids_a, ids_b, listed, found = run(body())
    assert len(set(ids_a + ids_b)) == 2 * facts_per_agent
    assert {m["id"] for m in listed["memories"]} == set(ids_a + ids_b)
    by_id = {m["id"]: m for m in listed["memories"]}
    assert all(by_id[i]["source_agent"] == "claude-code" for i in ids_a)
    assert all(by_id[i]["source_agent"] == "gemini-cli" for i in ids_b)
    assert found["results"][0]["memory"]["id"] == ids_b[5]
    check = subprocess.run([console_script(), "stats", "--db", str(db), "--json"], capture_output=True, text=True,
                           env=server_env(), timeout=120)
    assert check.returncode == 0, check.stderr
    assert json.loads(check.stdout)["total"] == 2 * facts_per_agent


def test_another_users_memory_is_unreachable(db: Path) -> None:
    async def body():
        async with connect(db, "bob", "claude-code") as bob:
            secret = await call(bob, "memory_save", content="Bob's staging password hint is the cat's name")
        async with connect(db, "alice", "claude-code") as alice:
            assert (await call(alice, "memory_search", query="staging password hint"))["results"] == []
            assert (await call(alice, "memory_list"))["count"] == 0
            for name, args in [("memory_update", {"id": secret["id"], "content": "hijacked"}),
                               ("memory_update", {"id": secret["id"], "content": "hijacked", "supersede": True}),
                               ("memory_forget", {"id": secret["id"]})]:
                result = await alice.call_tool(name, args)
                assert result.is_error
                # The same answer as for an id that never existed.
                assert result.content[0].text == f"NotFound: no memory with id '{secret['id']}'"
        async with connect(db, "bob", "codex") as bob:
            listed = await call(bob, "memory_list")
            assert [(m["id"], m["content"], m["version"]) for m in listed["memories"]] == [
                (secret["id"], "Bob's staging password hint is the cat's name", 1)]

    run(body())


def test_save_with_entities_and_related_memories_stay_with_their_user(db: Path) -> None:
    async def body():
        async with connect(db, "alice", "claude-code") as alice:
            saved = await call(alice, "memory_save", content="The api service caches sessions in Redis",
                               entities=["api service", {"name": "Redis", "type": "tool"}],
                               relationships=[["api service", "depends on", "Redis"]])
            await call(alice, "memory_save", content="Redis runs on the box named Hal")
            bad = await alice.call_tool("memory_save", {"content": "Never lost?",
                                                         "relationships": [["only", "two"]]})
            assert bad.is_error and "relationships[0]" in bad.content[0].text
            assert (await call(alice, "memory_list"))["count"] == 2  # the bad save stored nothing
            by_name = await call(alice, "memory_related", entity="api service")
            assert [e["name"] for e in by_name["entities"]] == ["api service"]
            assert [(r["subject"], r["predicate"], r["object"]) for r in by_name["relations"]] == [
                ("api service", "depends_on", "Redis")]
            assert "Redis" in [n["entity"]["name"] for n in by_name["neighbors"]]
            assert saved["id"] in [m["id"] for m in by_name["memories"]]
            by_id = await call(alice, "memory_related", id=saved["id"], hops=1)
            assert {e["name"]: e["type"] for e in by_id["entities"]}["Redis"] == "tool"  # inline type kept
            assert by_id["memories"][0]["id"] == saved["id"]
            neither = await alice.call_tool("memory_related", {})
            assert neither.is_error
        async with connect(db, "bob", "claude-code") as bob:
            assert (await bob.call_tool("memory_related", {"entity": "Redis"})).is_error
            result = await bob.call_tool("memory_related", {"id": saved["id"]})
            assert result.content[0].text == f"NotFound: no memory with id '{saved['id']}'"

    run(body())


# --- the raw protocol, line by line -------------------------------------------------------------------


class RawServer:
    """A `stratamem mcp` process spoken to in JSON-RPC lines."""

    def __init__(self, db: Path, *extra: str) -> None:
        self.proc = subprocess.Popen([console_script(), *server_args(db, "alice", "raw"), *extra],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, env=server_env())

    def send(self, line: str | dict | list) -> None:
        self.proc.stdin.write((line if isinstance(line, str) else json.dumps(line)) + "\n")
        self.proc.stdin.flush()

    def recv(self):
        line = self.proc.stdout.readline()
        assert line.endswith("\n"), (line, self.proc.stderr.read() if self.proc.poll() is not None else "")
        return json.loads(line)

    def ask(self, message):
        self.send(message)
        return self.recv()

    def close(self) -> tuple[str, str, int]:
        out, err = self.proc.communicate(timeout=60)
        return out, err, self.proc.returncode


def request(id_, method, params=None):
    message = {"jsonrpc": "2.0", "id": id_, "method": method}
    if params is not None:
        message["params"] = params
    return message


def initialize(version: str) -> dict:
    return request(0, "initialize", {"protocolVersion": version, "capabilities": {},
                                     "clientInfo": {"name": "raw-test", "version": "1"}})


def test_raw_protocol_lines(db: Path) -> None:
    server = RawServer(db)
    try:
        # Before initialize: ping works, anything else is refused; batches too.
        assert server.ask(request("p0", "ping")) == {"jsonrpc": "2.0", "id": "p0", "result": {}}
        early = server.ask(request(1, "tools/list"))
        assert early["id"] == 1 and early["error"]["code"] == -32600
        assert server.ask([request(2, "ping")])["error"]["code"] == -32600
        # An unknown version is answered with the newest one we speak.
        init = server.ask(initialize("1999-01-01"))
        assert init["result"]["protocolVersion"] == "2025-11-25"
        server.send({"jsonrpc": "2.0", "method": "notifications/initialized"})  # no answer
        assert server.ask(initialize("2025-06-18"))["error"]["code"] == -32600  # only once

        assert server.ask(request(3, "ping")) == {"jsonrpc": "2.0", "id": 3, "result": {}}
        assert server.ask(request(4, "resources/list"))["error"]["code"] == -32601
        assert server.ask(request(5, "no/such/method"))["error"] == {"code": -32601,
                                                                     "message": "method not found: no/such/method"}
        assert server.ask('{"jsonrpc": "2.0", "id": 6, "method": ')["error"]["code"] == -32700
        parse = server.ask("not json at all")
        assert parse["id"] is None and parse["error"]["code"] == -32700
        assert server.ask(json.dumps([]))["error"]["code"] == -32600
        # 2025-11-25 has no batches.
        batch = server.ask([request(7, "ping"), request(8, "ping")])
        assert batch["id"] is None and batch["error"]["code"] == -32600
        assert server.ask({"jsonrpc": "1.0", "id": 9, "method": "ping"}) == {
            "jsonrpc": "2.0", "id": 9, "error": {"code": -32600, "message": "\"jsonrpc\" must be \"2.0\""}}
        assert server.ask({"jsonrpc": "2.0", "id": None, "method": "ping"})["error"]["code"] == -32600
        assert server.ask(request(10, "tools/call", {"arguments": {}}))["error"]["code"] == -32602
        assert server.ask(request(11, "tools/call", {"name": "memory_list", "arguments": [1]}))["error"]["code"] == -32602
        assert server.ask(request(12, "tools/list", {"cursor": "x"}))["error"]["code"] == -32602
        # Notifications and stray responses are never answered: the next answer is the ping's.
        server.send({"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 3}})
        server.send({"jsonrpc": "2.0", "method": "notifications/whatever"})
        server.send({"jsonrpc": "2.0", "id": 99, "result": {}})
        server.send("")
        # A string id is echoed as a string, a line with a newline inside a string stays one line.
        saved = server.ask(request("s-1", "tools/call", {"name": "memory_save",
                                                         "arguments": {"content": "line one\nline two ü"}}))
        assert saved["id"] == "s-1" and saved["result"]["structuredContent"]["memory"]["content"] == "line one\nline two ü"
        tools = server.ask(request(13, "tools/list"))["result"]["tools"]
        assert {t["name"] for t in tools} == TOOLS and all("outputSchema" in t for t in tools)
    finally:
        out, err, code = server.close()
    assert out == "" and code == 0
    # Logs went to stderr, never stdout.
    assert "initialized by raw-test" in err


def test_raw_protocol_2025_03_26_batches_and_old_results(db: Path) -> None:
    server = RawServer(db)
    try:
        assert server.ask(initialize("2025-03-26"))["result"]["protocolVersion"] == "2025-03-26"
        server.send({"jsonrpc": "2.0", "method": "notifications/initialized"})
        answers = server.ask([request(1, "ping"), {"jsonrpc": "2.0", "method": "notifications/initialized"},
                              request(2, "nope"), "junk",
                              request(3, "tools/call", {"name": "memory_list", "arguments": {}}),
                              initialize("2025-03-26")])
        assert [a["id"] for a in answers] == [1, 2, None, 3, 0]
        assert answers[0]["result"] == {} and answers[1]["error"]["code"] == -32601
        assert answers[2]["error"]["code"] == -32600 and answers[4]["error"]["code"] == -32600
        # Revisions before 2025-06-18 know no structuredContent or outputSchema: text only.
        assert "structuredContent" not in answers[3]["result"]
        assert json.loads(answers[3]["result"]["content"][0]["text"]) == {"memories": [], "count": 0}
        tools = server.ask(request(4, "tools/list"))["result"]["tools"]
        assert all("outputSchema" not in t and "inputSchema" in t for t in tools)
        # A batch of notifications only gets no answer at all: the next line answered is the ping.
        server.send([{"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 1}}])
        assert server.ask(request(5, "ping"))["id"] == 5
    finally:
        out, err, code = server.close()
    assert out == "" and code == 0


def test_missing_user_is_a_usage_error(db: Path) -> None:
    done = subprocess.run([console_script(), "mcp", "--db", str(db)], capture_output=True, text=True,
                          env=server_env(), timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 2 and done.stdout == ""
    assert "mcp needs --user" in done.stderr
    assert not db.exists()
    # STRATAMEM_USER works in place of --user; end of input ends the server cleanly.
    done = subprocess.run([console_script(), "mcp", "--db", str(db)], capture_output=True, text=True,
                          env={**server_env(), "STRATAMEM_USER": "carol"}, timeout=60, stdin=subprocess.DEVNULL)
    assert done.returncode == 0 and done.stdout == "", done.stderr
    assert "serving user 'carol'" in done.stderr
