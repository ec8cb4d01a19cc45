// Save and search latency of the embedded store, including embedding, at
// several store sizes. Prints a Markdown table and writes a JSON results file.
//
//   store_bench --model-dir DIR [--sizes 10000,100000] [--ops 200] [--out FILE]
//
// For each size N two layouts are built with real embeddings (SaveBatch):
//   one-user: a single user holds all N memories (worst case for the scan)
//   spread:   N memories over N/100 users (a typical user sees ~100)
// and measured: single Save (fsync'd commit), hybrid Search (top 10), open time.
// Filling embeds each distinct base sentence once (9,600 at most) and stores it
// with SaveWithVector under its unique noted text, so building 100k memories
// takes seconds, not minutes; every measured Save and Search embeds for real.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "stratamem/stratamem.h"

using namespace stratamem;
using Clock = std::chrono::steady_clock;

namespace {

const char* kSubjects[] = {"I", "My sister", "The team", "Our client", "My manager", "Bob", "Alice", "The new hire"};
const char* kVerbs[] = {"prefers", "dislikes", "started using", "switched to", "recommends", "is learning",
                        "wrote a report on", "asked about", "deployed", "benchmarked"};
const char* kObjects[] = {"Python for backend work", "Rust for the parser", "uv instead of pip",
                          "PostgreSQL with pgvector", "a standing desk", "green tea in the morning",
                          "the Berlin office", "Kubernetes on bare metal", "vim keybindings",
                          "weekly planning on Mondays", "hiking in the Alps", "a sourdough starter",
                          "TypeScript for the dashboard", "dark mode everywhere", "Neo4j for the graph"};
const char* kTails[] = {"last week", "since March", "for the migration", "because it is faster",
                        "after the outage", "on Fridays", "for the demo", "at the offsite"};
const char* kQueries[] = {"what language for the backend", "package manager", "which database",
                          "morning drink", "where is the office", "editor preferences", "weekend hobbies",
                          "frontend framework", "deployment platform", "planning meetings"};

// One of 9,600 base sentences; `Sentence` adds a note number so every stored
// text is unique.
std::string BaseSentence(std::mt19937_64& rng) {
  auto pick = [&](auto& arr) { return arr[rng() % (sizeof(arr) / sizeof(arr[0]))]; };
  return std::string(pick(kSubjects)) + " " + pick(kVerbs) + " " + pick(kObjects) + " " + pick(kTails);
}
std::string WithNote(const std::string& base, int i) { return base + " (note " + std::to_string(i) + ")"; }
std::string Sentence(std::mt19937_64& rng, int i) { return WithNote(BaseSentence(rng), i); }

double Pct(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t idx = static_cast<size_t>(p * (v.size() - 1) + 0.5);
  return v[idx];
}

double Ms(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

long RssMiB() {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6)) / 1024;
  }
  return 0;
}

std::unique_ptr<Embedder> MakeEmbedder(const std::string& model_dir) {
  EmbedderOptions eo;
  eo.model_dir = model_dir;
  eo.num_threads = 1;
  auto e = NewEmbedder(eo);
  if (!e.ok()) {
    std::fprintf(stderr, "embedder: %s\n", e.status().ToString().c_str());
    std::exit(1);
  }
  return std::move(e).value();
}

nlohmann::json RunOne(const std::string& model_dir, const std::string& dir, int n, bool one_user, int ops) {
  std::string path = dir + "/bench-" + std::to_string(n) + (one_user ? "-one" : "-spread") + ".db";
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
  std::filesystem::remove(path + ".hnsw");  // a stale index sidecar would skip the build we measure
  OpenOptions o;
  o.db_path = path;
  // The timed searches cycle through a few queries: with the caches on they
  // would be answered from them. The cached path is timed by scale_bench.py.
  o.cache_enabled = false;
  int users = one_user ? 1 : std::max(1, n / 100);
  std::mt19937_64 rng(42);
  double fill_ms = 0;
  {
    OpenOptions fill = o;
    fill.durability = Durability::kNormal;  // the fill is setup, not measured
    auto store = std::move(MemoryStore::Open(fill, MakeEmbedder(model_dir))).value();
    std::map<std::string, std::vector<float>> base_vectors;
    auto t0 = Clock::now();
    for (int j = 0; j < n; ++j) {
      std::string base = BaseSentence(rng);
      auto it = base_vectors.find(base);
      if (it == base_vectors.end()) {
        std::vector<float> v;
        if (!store->embedder()->Embed(base, &v).ok()) std::exit(1);
        it = base_vectors.emplace(base, std::move(v)).first;
      }
      SaveRequest r;
      r.content = WithNote(base, j);
      r.context.user_id = "user" + std::to_string(j % users);
      r.dedup = false;  // fill rows share base vectors on purpose
      auto id = store->SaveWithVector(r, it->second);
      if (!id.ok()) {
        std::fprintf(stderr, "fill: %s\n", id.status().ToString().c_str());
        std::exit(1);
      }
      if (j % 1000 == 999) std::fprintf(stderr, "\r  filling %s n=%d: %d", one_user ? "one-user" : "spread", n, j + 1);
    }
    fill_ms = Ms(t0, Clock::now());
    std::fprintf(stderr, "\n");
  }
  auto t_open = Clock::now();
  auto store = std::move(MemoryStore::Open(o, MakeEmbedder(model_dir))).value();
  SearchRequest first;
  first.query = kQueries[0];
  first.context.user_id = "user0";
  if (!store->Search(first).ok()) std::exit(1);
  double open_first_ms = Ms(t_open, Clock::now());
  // A large user's first query starts the HNSW build in the background; time
  // it, and time the operations below only once it is done.
  double index_build_ms = 0;
  if (std::move(store->Stats({})).value().ann_source == "building") {
    while (std::move(store->Stats({})).value().ann_source == "building") {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    index_build_ms = Ms(t_open, Clock::now());
  }

  std::vector<double> save_ms, search_ms;
  for (int i = 0; i < ops; ++i) {
    SaveRequest r;
    r.content = Sentence(rng, n + i);
    r.context.user_id = "user" + std::to_string(rng() % users);
    auto t0 = Clock::now();
    auto id = store->Save(r);
    save_ms.push_back(Ms(t0, Clock::now()));
    if (!id.ok()) std::exit(1);
  }
  for (int i = 0; i < ops; ++i) {
    SearchRequest r;
    r.query = kQueries[i % (sizeof(kQueries) / sizeof(kQueries[0]))];
    r.context.user_id = "user" + std::to_string(rng() % users);
    auto t0 = Clock::now();
    auto res = store->Search(r);
    search_ms.push_back(Ms(t0, Clock::now()));
    if (!res.ok() || res->empty()) {
      std::fprintf(stderr, "search failed or empty\n");
      std::exit(1);
    }
  }
  nlohmann::json j;
  j["memories"] = n;
  j["layout"] = one_user ? "one-user" : "spread";
  j["users"] = users;
  j["visible_per_search"] = n / users;
  j["fill_seconds"] = fill_ms / 1000.0;
  j["save_p50_ms"] = Pct(save_ms, 0.5);
  j["save_p99_ms"] = Pct(save_ms, 0.99);
  j["search_p50_ms"] = Pct(search_ms, 0.5);
  j["search_p99_ms"] = Pct(search_ms, 0.99);
  j["open_and_first_query_ms"] = open_first_ms;
  j["index_build_ms"] = index_build_ms;
  j["file_mib"] = std::filesystem::file_size(path) / (1024.0 * 1024.0);
  j["rss_mib"] = RssMiB();
  store->Close();
  return j;
}

nlohmann::json EmbedLatency(const std::string& model_dir, int ops) {
  auto e = MakeEmbedder(model_dir);
  std::vector<float> v;
  std::mt19937_64 rng(7);
  std::vector<double> single;
  for (int i = 0; i < ops; ++i) {
    std::string s = Sentence(rng, i);
    auto t0 = Clock::now();
    if (!e->Embed(s, &v).ok()) std::exit(1);
    single.push_back(Ms(t0, Clock::now()));
  }
  std::vector<std::string> batch;
  for (int i = 0; i < 32; ++i) batch.push_back(Sentence(rng, i));
  std::vector<std::vector<float>> out;
  auto t0 = Clock::now();
  for (int r = 0; r < 5; ++r) e->EmbedBatch(batch, &out);
  double batch_per_sentence = Ms(t0, Clock::now()) / (5 * 32);
  return {{"single_p50_ms", Pct(single, 0.5)}, {"single_p99_ms", Pct(single, 0.99)},
          {"batch32_per_sentence_ms", batch_per_sentence}};
}

std::vector<int> ParseSizes(const std::string& s) {
  std::vector<int> out;
  size_t pos = 0;
  while (pos < s.size()) {
    size_t comma = s.find(',', pos);
    out.push_back(std::stoi(s.substr(pos, comma - pos)));
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::string model_dir, out = "bench/results/store.json", sizes = "10000,100000";
  std::string dir = std::filesystem::temp_directory_path().string();
  int ops = 200;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--model-dir") model_dir = argv[i + 1];
    else if (a == "--sizes") sizes = argv[i + 1];
    else if (a == "--ops") ops = std::stoi(argv[i + 1]);
    else if (a == "--out") out = argv[i + 1];
    else if (a == "--dir") dir = argv[i + 1];
  }
  if (model_dir.empty()) {
    if (const char* env = std::getenv("STRATAMEM_MODEL_DIR")) model_dir = env;
  }
  if (model_dir.empty()) {
    std::fprintf(stderr, "usage: store_bench --model-dir DIR [--sizes 10000,100000] [--ops 200] [--out FILE]\n");
    return 2;
  }
  nlohmann::json results;
  results["embedding"] = EmbedLatency(model_dir, ops);
  results["cores_used"] = 1;
  for (int n : ParseSizes(sizes)) {
    for (bool one_user : {true, false}) results["stores"].push_back(RunOne(model_dir, dir, n, one_user, ops));
  }
  std::printf("embedding (1 thread): single p50 %.2f ms, p99 %.2f ms; batch of 32: %.2f ms/sentence\n\n",
              results["embedding"]["single_p50_ms"].get<double>(), results["embedding"]["single_p99_ms"].get<double>(),
              results["embedding"]["batch32_per_sentence_ms"].get<double>());
  std::printf("| memories | layout | visible/search | save p50 | save p99 | search p50 | search p99 | open+first query | file | RSS |\n");
  std::printf("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (auto& j : results["stores"]) {
    std::printf("| %d | %s | %d | %.2f ms | %.2f ms | %.2f ms | %.2f ms | %.0f ms | %.1f MiB | %ld MiB |\n",
                j["memories"].get<int>(), j["layout"].get<std::string>().c_str(), j["visible_per_search"].get<int>(),
                j["save_p50_ms"].get<double>(), j["save_p99_ms"].get<double>(), j["search_p50_ms"].get<double>(),
                j["search_p99_ms"].get<double>(), j["open_and_first_query_ms"].get<double>(),
                j["file_mib"].get<double>(), j["rss_mib"].get<long>());
  }
  std::filesystem::create_directories(std::filesystem::path(out).parent_path());
  std::ofstream(out) << results.dump(2) << "\n";
  std::printf("\nwrote %s\n", out.c_str());
  return 0;
}
