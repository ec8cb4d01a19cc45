"""with_memory() streaming and async: SSE streams split at every byte
position across the tag, AsyncOpenAI, and the Groq / Azure SDKs, all over HTTP
to the scripted local server."""

from __future__ import annotations

import asyncio
import json

import groq
import openai
import pytest
from openai import AsyncOpenAI, AzureOpenAI, OpenAI

from conftest import fresh_user
from stratamem import with_memory
from stratamem.wrap import AsyncMemoryClient
from openai_fake_server import FakeOpenAIServer, Reply

ANSWER = "Use Python.\n\n"
BLOCK = '<memory>{"memories": [{"content": "Prefers Python", "importance": 0.8}]}</memory>'
REPLY = ANSWER + BLOCK


@pytest.fixture(scope="module")
def fake():
    with FakeOpenAIServer() as s:
        yield s


def sync_client(fake, mem, **kw):
    return with_memory(OpenAI(base_url=fake.base_url, api_key="t", max_retries=0), fresh_user(),
                       memory=mem, **kw)


def async_client(fake, mem, **kw):
    return with_memory(AsyncOpenAI(base_url=fake.base_url, api_key="t", max_retries=0),
                       fresh_user(), memory=mem, **kw)


def create_stream(client, text="hi", **kw):
    return client.chat.completions.create(
        model="gpt-4o", stream=True, messages=[{"role": "user", "content": text}], **kw)


def collect(stream):
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    return chunks, text


def test_sse_split_at_every_byte_position(fake, shared_mem):
    client = sync_client(fake, shared_mem)
    for cut in range(len(REPLY) + 1):
        fake.push(Reply(REPLY, pieces=[p for p in (REPLY[:cut], REPLY[cut:]) if p]))
        chunks, text = collect(create_stream(client))
        assert text == "Use Python.", cut
        shown = [c.choices[0].delta.content or "" for c in chunks if c.choices]
        assert not any("<" in s for s in shown), (cut, shown)  # never a partial tag
        assert all(type(c) is openai.types.chat.ChatCompletionChunk for c in chunks)
        assert [m.content for m in client.memory.get_all()] == ["Prefers Python"], cut


def test_sse_split_at_every_pair_of_positions_around_the_tags(fake, shared_mem):
    client = sync_client(fake, shared_mem)
    start = REPLY.index("<memory>") - 3
    end = len(REPLY)
    cuts = [(a, b) for a in range(start, start + 12) for b in range(end - 11, end)]
    for a, b in cuts:
        fake.push(Reply(REPLY, pieces=[REPLY[:a], REPLY[a:b], REPLY[b:]]))
        _, text = collect(create_stream(client))
        assert text == "Use Python.", (a, b)
    assert len(client.memory.get_all()) == 1


def test_usage_and_finish_reason_pass_through(fake, shared_mem):
    client = sync_client(fake, shared_mem)
    fake.push(Reply(REPLY))
    chunks, _ = collect(create_stream(client, stream_options={"include_usage": True}))
    assert chunks[-1].choices == [] and chunks[-1].usage.total_tokens == 18
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "stop"
    assert chunks[0].choices[0].delta.role == "assistant"


def test_facts_are_stored_only_when_the_stream_ends(fake, shared_mem):
    client = sync_client(fake, shared_mem)
    fake.push(Reply(REPLY, pieces=[REPLY[i:i + 3] for i in range(0, len(REPLY), 3)]))
    stream = create_stream(client)
    seen = 0
    for _ in stream:
        seen += 1
        if seen < 5:
            assert client.memory.stats()["total"] == 0
    assert client.memory.stats()["total"] == 1
    # A stream abandoned half-way stores nothing.
    other = sync_client(fake, shared_mem)
    fake.push(Reply(REPLY))
    with create_stream(other) as s:
        next(iter(s))
    assert other.memory.stats()["total"] == 0


def test_unclosed_block_and_cut_stream(fake, shared_mem):
    client = sync_client(fake, shared_mem)
    cut = 'Answer.\n<memory>{"memories": [{"content": "Kept fact"}, {"content": "Lost'
    fake.push(Reply(cut, finish_reason="length"))
    chunks, text = collect(create_stream(client))
    assert text == "Answer."
    assert chunks[-1].choices[0].finish_reason == "length"
    assert [m.content for m in client.memory.get_all()] == ["Kept fact"]
    # A stream that ends without a finish chunk while "<mem" is held back:
    # the held text is delivered in one extra chunk of the SDK's type.
    fake.push(Reply("Compare a <mem", pieces=["Compare a ", "<mem"], no_finish_chunk=True))
    chunks, text = collect(create_stream(client))
    assert text == "Compare a <mem"
    assert type(chunks[-1]) is openai.types.chat.ChatCompletionChunk


def test_stream_tool_calls_pass_through(fake, shared_mem):
    client = sync_client(fake, shared_mem)
    call = {"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}
    fake.push(Reply(None, tool_calls=[call]))
    chunks, text = collect(create_stream(client))
    calls = [c.choices[0].delta.tool_calls for c in chunks if c.choices and c.choices[0].delta.tool_calls]
    assert calls[0][0].function.name == "f" and text == ""
    assert chunks[-1].choices[0].finish_reason == "tool_calls"
    assert client.memory.stats()["total"] == 0


def test_stream_error_status_propagates(fake, shared_mem):
    client = sync_client(fake, shared_mem)
    fake.push(Reply(REPLY, status=429))
    with pytest.raises(openai.RateLimitError):
        create_stream(client)
    assert client.memory.stats()["total"] == 0


# --- async -------------------------------------------------------------------------

def test_async_create_and_stream(fake, shared_mem):
    async def main():
        client = async_client(fake, shared_mem)
        assert isinstance(client, AsyncMemoryClient)
        fake.push(REPLY)
        r = await client.chat.completions.create(
            model="m", messages=[{"role": "user", "content": "hi"}])
        assert r.choices[0].message.content == "Use Python."
        second = REPLY.replace("Prefers Python", "Likes async")
        fake.push(Reply(second, pieces=list(second)))
        stream = await client.chat.completions.create(
            model="m", stream=True, messages=[{"role": "user", "content": "Which language?"}])
        text = ""
        async for chunk in stream:
            text += chunk.choices[0].delta.content or ""
        assert text == "Use Python."
        assert "- Prefers Python" in fake.last_messages()[-1]["content"]  # recalled
        fake.push(Reply("x", status=500))
        with pytest.raises(openai.InternalServerError):
            await client.chat.completions.create(model="m", messages=[{"role": "user", "content": "y"}])
        derived = client.with_options(timeout=2)
        assert isinstance(derived, AsyncMemoryClient)
        return sorted(m.content for m in client.memory.get_all())

    assert asyncio.run(main()) == ["Likes async", "Prefers Python"]


def test_async_stream_split_at_every_byte_position(fake, shared_mem):
    async def main():
        client = async_client(fake, shared_mem)
        texts = []
        for cut in range(len(REPLY) + 1):
            fake.push(Reply(REPLY, pieces=[p for p in (REPLY[:cut], REPLY[cut:]) if p]))
            stream = await client.chat.completions.create(
                model="m", stream=True, messages=[{"role": "user", "content": "q"}])
            texts.append("".join([c.choices[0].delta.content or "" async for c in stream]))
        return client, texts

    client, texts = asyncio.run(main())
    assert set(texts) == {"Use Python."}
    assert [m.content for m in client.memory.get_all()] == ["Prefers Python"]


# --- other SDKs -------------------------------------------------------------------------

def test_groq_sync_async_and_stream(fake, shared_mem):
    client = with_memory(groq.Groq(base_url=fake.root_url, api_key="t", max_retries=0),
                         fresh_user(), memory=shared_mem)
    fake.push(REPLY)
    r = client.chat.completions.create(model="llama", messages=[{"role": "user", "content": "q"}])
    assert type(r).__module__.startswith("groq.") and r.choices[0].message.content == "Use Python."
    assert fake.requests[-1]["path"] == "/openai/v1/chat/completions"
    fake.push(Reply(REPLY, pieces=list(REPLY)))
    s = client.chat.completions.create(model="llama", stream=True,
                                       messages=[{"role": "user", "content": "q"}])
    assert "".join(c.choices[0].delta.content or "" for c in s) == "Use Python."
    fake.push(Reply("no", status=401))
    with pytest.raises(groq.AuthenticationError):
        client.chat.completions.create(model="llama", messages=[{"role": "user", "content": "q"}])

    async def main():
        aclient = with_memory(groq.AsyncGroq(base_url=fake.root_url, api_key="t", max_retries=0),
                              client.memory.user_id, memory=shared_mem)
        fake.push(REPLY.replace("Prefers Python", "Uses Groq"))
        r = await aclient.chat.completions.create(
            model="llama", messages=[{"role": "user", "content": "Which language?"}])
        assert r.choices[0].message.content == "Use Python."
        return fake.last_messages()[-1]["content"]

    assert "- Prefers Python" in asyncio.run(main())
    assert sorted(m.content for m in client.memory.search("python groq")) == [
        "Prefers Python", "Uses Groq"]


def test_azure_openai(fake, shared_mem):
    azure = AzureOpenAI(azure_endpoint=fake.root_url, api_key="t", api_version="2024-06-01",
                        max_retries=0)
    client = with_memory(azure, fresh_user(), memory=shared_mem)
    fake.push(REPLY)
    r = client.chat.completions.create(model="my-deployment",
                                       messages=[{"role": "user", "content": "q"}])
    assert r.choices[0].message.content == "Use Python."
    assert fake.requests[-1]["path"].startswith("/openai/deployments/my-deployment/chat/completions")
    assert [m.content for m in client.memory.get_all()] == ["Prefers Python"]
    body = fake.requests[-1]["body"]
    assert json.dumps(body["messages"][-1]) == json.dumps({"role": "user", "content": "q"})
