"""Issue 9 against the real `stratamem mcp` over stdio: no request ends the
process (wrong types in initialize, nesting past the documented depth, deep
metadata on memory_save); every request gets a JSON-RPC answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from test_mcp import RawServer, initialize, request

pytestmark = pytest.mark.model


def call(id_, tool, arguments):
    return request(id_, "tools/call", {"name": tool, "arguments": arguments})


def test_wrong_types_and_deep_nesting_never_end_the_server(tmp_path: Path) -> None:
    server = RawServer(tmp_path / "m.db")
    try:
        init = initialize("2025-06-18")
        init["params"]["clientInfo"] = {"name": 5, "version": ["x"]}
        assert server.ask(init)["result"]["protocolVersion"] == "2025-06-18"
        server.send({"jsonrpc": "2.0", "method": "notifications/initialized"})

        deep = "[" * 60000 + "]" * 60000
        r = server.ask('{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"memory_save",'
                       '"arguments":{"content":"x","metadata":{"a":' + deep + '}}}}')
        assert r["id"] == 7 and r["error"]["code"] == -32602 and "nested deeper than 32" in r["error"]["message"]
        r = server.ask("[" * 100000 + "]" * 100000)  # a batch nested past any limit
        assert r["error"]["code"] == -32602

        # Within the limit (30 levels in all, 26 of them in the metadata): stored.
        meta: object = 1
        for _ in range(26):
            meta = [meta]
        ok = server.ask(call(8, "memory_save", {"content": "kept fact", "metadata": {"a": meta}}))
        assert "isError" not in ok["result"], ok

        big = server.ask(call(9, "memory_save", {"content": "big", "metadata": {"b": "x" * 70000}}))
        assert big["result"]["isError"] is True and "metadata" in big["result"]["content"][0]["text"]
        assert server.ask(request(10, "ping")) == {"jsonrpc": "2.0", "id": 10, "result": {}}
        listed = server.ask(call(11, "memory_list", {}))
        assert [m["content"] for m in listed["result"]["structuredContent"]["memories"]] == ["kept fact"]
    finally:
        _, err, code = server.close()  # closes stdin: the server ends as at EOF
    assert code == 0, err
    assert "terminate called" not in err
