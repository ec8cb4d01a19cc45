"""`stratamem serve` costs, over real HTTP on this machine (2 cores):

* proxy overhead excluding the upstream call: the same chat request sent to
  the scripted upstream directly and through the proxy, alternately; the
  overhead is the difference of each pair (recall = one query embedding + a
  search over the user's memories, instruct, parse, store one fact with an
  fsync'd commit, strip), JSON and SSE, p50/p99;
* REST throughput: saves (embedding + fsync'd commit each) and searches per
  second with several concurrent clients.

The upstream is tests/python/openai_fake_server.py (a Python thread server on
127.0.0.1): it answers at once, and its own time is in both sides of each pair.
Prints a table and writes bench/results/serve.json. Run:
    python3 bench/serve_bench.py [--repeat 200] [--memories 200] [--clients 4]
"""
from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "python"))
from openai_fake_server import FakeOpenAIServer, Reply  # noqa: E402
from test_serve_rest import ServeProcess  # noqa: E402

TOPICS = ["Python", "Rust", "Go", "tea", "coffee", "jazz", "hiking", "chess", "Lyon", "vim",
          "dark mode", "tabs", "Postgres", "cats", "sci-fi", "cycling", "Debian", "sushi"]
REPLY = ('Sounds good, I will keep that in mind. <memory>{"memories": [{"content": '
         '"Prefers %s for side projects", "scope": "user", "importance": 0.6}]}</memory>')


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def summary(ms: list[float]) -> dict[str, float]:
    return {"p50_ms": round(pct(ms, 0.5), 3), "p99_ms": round(pct(ms, 0.99), 3),
            "mean_ms": round(statistics.fmean(ms), 3), "n": len(ms)}


def chat(client: httpx.Client, url: str, i: int, stream: bool) -> float:
    body = {"model": "fake-model", "stream": stream,
            "messages": [{"role": "system", "content": "You are helpful."},
                         {"role": "user", "content": f"Today I tried {TOPICS[i % len(TOPICS)]} again, "
                                                     f"what do you think? ({i})"}]}
    start = time.perf_counter()
    if stream:
        with client.stream("POST", url, json=body) as r:
            assert r.status_code == 200, r.read()
            for _ in r.iter_bytes():
                pass
    else:
        r = client.post(url, json=body)
        assert r.status_code == 200, r.text
    return (time.perf_counter() - start) * 1000


def proxy_overhead(proxy: ServeProcess, upstream: FakeOpenAIServer, repeat: int, stream: bool) -> dict:
    headers = {"X-Stratamem-User": "bench", "Authorization": "Bearer sk-bench"}
    diffs, direct_ms, proxied_ms = [], [], []
    with httpx.Client(headers=headers, timeout=60) as c:
        for i in range(repeat + 10):
            for _ in range(2):
                upstream.push(Reply(REPLY % TOPICS[i % len(TOPICS)]))
            d = chat(c, upstream.base_url + "/chat/completions", i, stream)
            p = chat(c, proxy.url + "/v1/chat/completions", i, stream)
            if i >= 10:  # warm-up
                direct_ms.append(d)
                proxied_ms.append(p)
                diffs.append(p - d)
    return {"overhead": summary(diffs), "direct": summary(direct_ms), "proxied": summary(proxied_ms)}


def throughput(proxy: ServeProcess, clients: int, count: int, op: str) -> dict:
    def work(k: int) -> int:
        with httpx.Client(base_url=proxy.url, headers={"X-Stratamem-User": f"tp{k % clients}"},
                          timeout=60) as c:
            done = 0
            for i in range(k, count, clients):
                if op == "save":
                    r = c.post("/v1/memories", json={"content": f"note {i}: likes {TOPICS[i % 18]} on day {i}"})
                    assert r.status_code == 201, r.text
                else:
                    r = c.post("/v1/memories/search", json={"query": f"what about {TOPICS[i % 18]} on day {i}?",
                                                            "top_k": 5})
                    assert r.status_code == 200, r.text
                done += 1
            return done

    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(clients) as pool:
        total = sum(pool.map(work, range(clients)))
    seconds = time.perf_counter() - start
    return {"ops": total, "seconds": round(seconds, 3), "ops_per_s": round(total / seconds, 1),
            "clients": clients}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=200)
    ap.add_argument("--memories", type=int, default=200)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--saves", type=int, default=400)
    ap.add_argument("--searches", type=int, default=1000)
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "serve.json"))
    args = ap.parse_args()
    load_at_start = os.getloadavg()[0]  # other work on the machine inflates every number

    with tempfile.TemporaryDirectory() as tmp, FakeOpenAIServer() as upstream, \
            ServeProcess(Path(tmp) / "bench.db", "--upstream", upstream.base_url, "--quiet") as proxy:
        with proxy.client("bench") as c:
            for i in range(args.memories):
                c.post("/v1/memories", json={"content": f"Fact {i}: enjoys {TOPICS[i % 18]} "
                                                        f"with friend number {i}", "dedup": False})
        results = {
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                        "platform": platform.platform(),
                        "load_average_at_start": round(load_at_start, 2)},
            "setup": {"memories_for_user": args.memories, "durability": "full (fsync per commit)",
                      "embedder": "native all-MiniLM-L6-v2", "server_threads": 8},
            "proxy_json": proxy_overhead(proxy, upstream, args.repeat, stream=False),
            "proxy_stream": proxy_overhead(proxy, upstream, args.repeat, stream=True),
            "rest_save": throughput(proxy, args.clients, args.saves, "save"),
            "rest_search": throughput(proxy, args.clients, args.searches, "search"),
        }
        proxy.stop()
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n")
    for name in ("proxy_json", "proxy_stream"):
        o = results[name]["overhead"]
        print(f"{name:13s} overhead p50 {o['p50_ms']:7.2f} ms  p99 {o['p99_ms']:7.2f} ms  "
              f"(direct p50 {results[name]['direct']['p50_ms']:.2f} ms)")
    for name in ("rest_save", "rest_search"):
        t = results[name]
        print(f"{name:13s} {t['ops_per_s']:8.1f} ops/s  ({t['ops']} ops, {t['clients']} clients)")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
