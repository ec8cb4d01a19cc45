// The HNSW index (usearch) on its own, the planner, and the store's use of
// both: filtering by scope during the walk, agreement with the exact scan,
// the `<db>.hnsw` sidecar across restarts, and recovery from a missing,
// damaged or stale sidecar (a crash between the SQLite commit and the save).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <thread>

#include "stratamem/stratamem.h"
#include "search/planner.h"
#include "test_util.h"
#include "vector/dot.h"
#include "vector/hnsw_index.h"

namespace stratamem {
namespace {

constexpr int kDim = 32;

std::vector<float> RandomUnit(std::mt19937_64& rng, int dim = kDim) {
  std::normal_distribution<float> n(0, 1);
  std::vector<float> v(static_cast<size_t>(dim));
  for (float& x : v) x = n(rng);
  L2Normalize(&v);
  return v;
}

bool EvenOnly(const void*, int64_t seq) { return seq % 2 == 0; }
bool AcceptAll(const void*, int64_t) { return true; }

TEST(HnswIndexTest, FilteredSearchReturnsOnlyAcceptedAndFindsTheExactNeighbours) {
  std::mt19937_64 rng(1);
  HnswParams p;
  p.dimension = kDim;
  auto index = HnswIndex::Create(p);
  ASSERT_TRUE(index.ok());
  std::vector<std::vector<float>> vecs;
  for (int64_t seq = 1; seq <= 3000; ++seq) {
    vecs.push_back(RandomUnit(rng));
    ASSERT_TRUE((*index)->Add(seq, vecs.back().data()).ok());
  }
  EXPECT_EQ((*index)->size(), 3000u);
  int found = 0, wanted = 0;
  for (int q = 0; q < 20; ++q) {
    auto query = RandomUnit(rng);
    std::vector<std::pair<float, int64_t>> exact;
    for (int64_t seq = 2; seq <= 3000; seq += 2) exact.push_back({Dot(query.data(), vecs[seq - 1].data(), kDim), seq});
    std::sort(exact.rbegin(), exact.rend());
    auto hits = (*index)->Search(query.data(), 10, 64, EvenOnly, nullptr);
    ASSERT_EQ(hits.size(), 10u);
    std::set<int64_t> got;
    for (auto& h : hits) {
      EXPECT_EQ(h.seq % 2, 0);
      got.insert(h.seq);
    }
    for (int i = 0; i < 10; ++i) found += got.count(exact[i].second), ++wanted;
  }
  EXPECT_GE(found, wanted * 95 / 100) << "recall@10 of the filtered walk";
}

TEST(HnswIndexTest, RemovedSeqsAreNeverReturnedAndSlotsAreReused) {
  std::mt19937_64 rng(2);
  HnswParams p;
  p.dimension = kDim;
  auto index = std::move(HnswIndex::Create(p)).value();
  std::vector<std::vector<float>> vecs;
  for (int64_t seq = 1; seq <= 500; ++seq) {
    vecs.push_back(RandomUnit(rng));
    ASSERT_TRUE(index->Add(seq, vecs.back().data()).ok());
  }
  for (int64_t seq = 1; seq <= 500; seq += 3) index->Remove(seq);
  for (int64_t seq = 1; seq <= 500; seq += 3) {
    auto hits = index->Search(vecs[seq - 1].data(), 5, 64, AcceptAll, nullptr);
    for (auto& h : hits) EXPECT_NE((h.seq - 1) % 3, 0) << h.seq;
  }
  size_t before = index->memory_bytes();
  for (int64_t seq = 1001; seq <= 1100; ++seq) ASSERT_TRUE(index->Add(seq, RandomUnit(rng).data()).ok());
  EXPECT_EQ(index->size(), 500u - 167u + 100u);
  EXPECT_LE(index->memory_bytes(), before * 2);
}

TEST(HnswIndexTest, SidecarRoundTripAndDamageDetection) {
  std::mt19937_64 rng(3);
  HnswParams p;
  p.dimension = kDim;
  auto index = std::move(HnswIndex::Create(p)).value();
  for (int64_t seq = 1; seq <= 800; ++seq) ASSERT_TRUE(index->Add(seq, RandomUnit(rng).data()).ok());
  index->Remove(7);
  std::string path = test::TempDir() + "/x.hnsw";
  ASSERT_TRUE(index->Save(path).ok());
  auto loaded = HnswIndex::Load(path, p);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ((*loaded)->state().count, index->state().count);
  EXPECT_EQ((*loaded)->state().seq_hash, index->state().seq_hash);
  EXPECT_EQ((*loaded)->state().max_seq, 800);
  EXPECT_FALSE((*loaded)->Contains(7));
  auto q = RandomUnit(rng);
  auto a = index->Search(q.data(), 10, 64, AcceptAll, nullptr);
  auto b = (*loaded)->Search(q.data(), 10, 64, AcceptAll, nullptr);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].seq, b[i].seq);

  HnswParams other = p;
  other.m = 8;
  EXPECT_EQ(HnswIndex::Load(path, other).status().code(), Status::Code::kNotSupported);
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(5000);
    char c;
    f.read(&c, 1);
    f.seekp(5000);
    c = static_cast<char>(c ^ 0x5A);
    f.write(&c, 1);
  }
  EXPECT_EQ(HnswIndex::Load(path, p).status().code(), Status::Code::kCorruption);
  std::filesystem::resize_file(path, 40);
  EXPECT_EQ(HnswIndex::Load(path, p).status().code(), Status::Code::kCorruption);
  EXPECT_EQ(HnswIndex::Load(path + ".missing", p).status().code(), Status::Code::kNotFound);
}

TEST(PlannerTest, ExactForSmallOrNarrowSetsHnswForLargeShares) {
  PlanInput in;
  in.candidate_rows = 100;
  in.index_rows = 1000000;
  EXPECT_FALSE(PlanVectorSearch(in).use_hnsw);
  in.candidate_rows = kExactMaxRows;
  in.index_rows = kExactMaxRows;
  EXPECT_TRUE(PlanVectorSearch(in).use_hnsw);
  in.index_rows = kExactMaxRows * 10;  // share 0.1: the walk is slower, the scan still wins here
  EXPECT_FALSE(PlanVectorSearch(in).use_hnsw);
  in.candidate_rows = kExactMaxRows * 3;
  in.index_rows = kExactMaxRows * 30;
  EXPECT_TRUE(PlanVectorSearch(in).use_hnsw);
  in.index_rows = static_cast<size_t>(in.candidate_rows / kMinHnswShare) * 2;  // visible share too small
  EXPECT_FALSE(PlanVectorSearch(in).use_hnsw);
  in.backend = VectorBackend::kHnsw;  // forced: even a narrow set walks the graph
  in.candidate_rows = 3;
  VectorPlan forced = PlanVectorSearch(in);
  EXPECT_TRUE(forced.use_hnsw);
  EXPECT_GE(forced.ef, 64u);
  in.backend = VectorBackend::kExact;
  in.candidate_rows = 1000000;
  in.index_rows = 1000000;
  EXPECT_FALSE(PlanVectorSearch(in).use_hnsw);
}

// ---- the store with the index ----

std::unique_ptr<Embedder> HashEmbedder() { return test::HashEmbedder(kDim); }

class StoreHnswTest : public ::testing::Test {
 protected:
  void SetUp() override { path_ = test::TempDir() + "/hnsw.db"; }
  std::unique_ptr<MemoryStore> Open(VectorBackend backend = VectorBackend::kHnsw) {
    OpenOptions o;
    o.db_path = path_;
    o.vector_backend = backend;
    o.durability = Durability::kNormal;
    auto s = MemoryStore::Open(o, HashEmbedder());
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(s).value() : nullptr;
  }
  // `n` memories for user `user` with random vectors; returns their ids.
  static std::vector<std::string> Fill(MemoryStore* s, const std::string& user, int n, std::mt19937_64& rng,
                                       Scope scope = Scope::kUser, const std::string& session = "") {
    std::vector<std::string> ids;
    for (int i = 0; i < n; ++i) {
      SaveRequest r;
      r.content = user + " memory " + std::to_string(i) + " " + std::to_string(rng());
      r.scope = scope;
      r.context.user_id = user;
      r.context.session_id = session;
      r.dedup = false;
      auto id = s->SaveWithVector(r, RandomUnit(rng));
      EXPECT_TRUE(id.ok()) << id.status().ToString();
      ids.push_back(*id);
    }
    return ids;
  }
  static std::vector<std::string> Search(MemoryStore* s, const std::string& q, ScopeContext ctx, int k = 10) {
    SearchRequest r;
    r.query = q;
    r.context = std::move(ctx);
    r.top_k = k;
    r.mode = SearchMode::kVector;
    auto res = s->Search(r);
    EXPECT_TRUE(res.ok()) << res.status().ToString();
    std::vector<std::string> ids;
    if (res.ok()) for (auto& x : *res) ids.push_back(x.record.id);
    return ids;
  }
  StoreStats Stats(MemoryStore* s) { return std::move(s->Stats({})).value(); }
  std::string path_;
};

TEST_F(StoreHnswTest, AUsersOnlyMemoryIsFoundAmongThousandsOfOthers) {
  std::mt19937_64 rng(4);
  auto s = Open();
  for (int u = 0; u < 30; ++u) Fill(s.get(), "user" + std::to_string(u), 100, rng);
  auto mine = Fill(s.get(), "alice", 1, rng);
  EXPECT_EQ(Stats(s.get()).ann_rows, 3001);
  auto ids = Search(s.get(), "anything at all", {"alice", "", "", ""});
  ASSERT_EQ(ids.size(), 1u);
  EXPECT_EQ(ids[0], mine[0]);
  // Session-level memories of another session stay invisible in the walk too.
  Fill(s.get(), "alice", 20, rng, Scope::kSession, "s2");
  ids = Search(s.get(), "anything at all", {"alice", "s1", "", ""}, 50);
  ASSERT_EQ(ids.size(), 1u);
  EXPECT_EQ(Search(s.get(), "anything", {"alice", "s2", "", ""}, 50).size(), 21u);
  EXPECT_TRUE(s->Verify().ok());
}

TEST_F(StoreHnswTest, HnswAgreesWithTheExactScan) {
  std::mt19937_64 rng(5);
  {
    auto s = Open();
    Fill(s.get(), "bob", 4000, rng);
    Fill(s.get(), "carol", 1000, rng);
  }
  auto hnsw = Open(VectorBackend::kHnsw);
  auto exact = Open(VectorBackend::kExact);
  EXPECT_EQ(Stats(exact.get()).ann_rows, 0);
  int same = 0, total = 0;
  for (int q = 0; q < 30; ++q) {
    std::string query = "query number " + std::to_string(q);
    auto a = Search(hnsw.get(), query, {"bob", "", "", ""});
    auto b = Search(exact.get(), query, {"bob", "", "", ""});
    std::set<std::string> want(b.begin(), b.end());
    for (auto& id : a) same += want.count(id);
    total += static_cast<int>(b.size());
  }
  EXPECT_GE(same, total * 95 / 100) << "HNSW recall@10 against the exact scan";
}

TEST_F(StoreHnswTest, SidecarSurvivesRestartAndStaleSidecarIsRepairedFromSqlite) {
  std::mt19937_64 rng(6);
  std::vector<std::string> first;
  {
    auto s = Open();
    first = Fill(s.get(), "dan", 300, rng);
    EXPECT_EQ(Stats(s.get()).ann_source, "built");
  }
  ASSERT_TRUE(std::filesystem::exists(path_ + ".hnsw"));
  {
    auto s = Open();
    EXPECT_EQ(Stats(s.get()).ann_source, "sidecar");
    EXPECT_EQ(Stats(s.get()).ann_rows, 300);
  }
  std::filesystem::copy_file(path_ + ".hnsw", path_ + ".old");
  std::vector<std::string> later;
  {
    auto s = Open();
    later = Fill(s.get(), "dan", 50, rng);
    ASSERT_TRUE(s->Delete(first[0]).ok());
    UpdateRequest u;
    u.content = "dan changed his mind";
    ASSERT_TRUE(s->Update(first[1], u).ok());
  }
  // As after a crash between the commits and the sidecar save: the sidecar
  // reflects an older state of the table.
  std::filesystem::rename(path_ + ".old", path_ + ".hnsw");
  auto s = Open();
  StoreStats st = Stats(s.get());
  EXPECT_EQ(st.ann_source, "repaired");
  EXPECT_EQ(st.ann_repaired_rows, 50 + 1 + 2);  // added, deleted, old version out + new in
  EXPECT_EQ(st.ann_rows, 349);  // 300 + 50 - 1 deleted (an update retires one row and adds one)
  EXPECT_TRUE(s->Verify().ok());
  // The walk is approximate (a multi-threaded build can leave a node or two
  // unreachable), so asking for everything finds nearly everything; what the
  // repair must guarantee exactly is above (row counts) and that a deleted
  // row never comes back.
  auto all = Search(s.get(), "dan", {"dan", "", "", ""}, 1000);
  std::set<std::string> got(all.begin(), all.end());
  EXPECT_GE(got.size(), 349u * 95 / 100);
  EXPECT_FALSE(got.count(first[0]));
  size_t later_found = 0;
  for (auto& id : later) later_found += got.count(id);
  EXPECT_GE(later_found, later.size() * 9 / 10);
}

TEST_F(StoreHnswTest, MissingOrDamagedSidecarIsRebuilt) {
  std::mt19937_64 rng(7);
  { auto s = Open(); Fill(s.get(), "erin", 200, rng); }
  std::filesystem::remove(path_ + ".hnsw");
  {
    auto s = Open();
    EXPECT_EQ(Stats(s.get()).ann_source, "built");
    EXPECT_EQ(Stats(s.get()).ann_rows, 200);
  }
  {
    std::fstream f(path_ + ".hnsw", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(3000);
    f.write("garbage!", 8);
  }
  auto s = Open();
  EXPECT_EQ(Stats(s.get()).ann_source, "built");
  EXPECT_TRUE(s->Verify().ok());
  EXPECT_EQ(Stats(s.get()).ann_rows, 200);
  EXPECT_GE(Search(s.get(), "x", {"erin", "", "", ""}, 500).size(), 190u);  // approximate walk
}

TEST_F(StoreHnswTest, AnotherConnectionsWritesReachTheIndex) {
  std::mt19937_64 rng(8);
  auto a = Open();
  auto b = Open();
  auto ids = Fill(b.get(), "fay", 40, rng);
  ASSERT_TRUE(b->Delete(ids[3]).ok());
  auto got = Search(a.get(), "q", {"fay", "", "", ""}, 100);
  EXPECT_EQ(got.size(), 39u);
  EXPECT_EQ(std::count(got.begin(), got.end(), ids[3]), 0);
  EXPECT_TRUE(a->Verify().ok());
  EXPECT_EQ(Stats(a.get()).ann_rows, 39);
}

TEST_F(StoreHnswTest, AutoPlansExactForSmallUsersAndBuildsNoIndex) {
  std::mt19937_64 rng(9);
  auto s = Open(VectorBackend::kAuto);
  Fill(s.get(), "gus", 100, rng);
  EXPECT_EQ(Search(s.get(), "q", {"gus", "", "", ""}).size(), 10u);
  EXPECT_EQ(Stats(s.get()).ann_rows, 0);
  EXPECT_FALSE(std::filesystem::exists(path_ + ".hnsw"));
}

// Waits (up to a minute) for the background build to finish.
std::string AwaitAnn(MemoryStore* s) {
  for (int i = 0; i < 600; ++i) {
    std::string source = std::move(s->Stats({})).value().ann_source;
    if (source != "building") return source;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return "still building";
}

TEST_F(StoreHnswTest, AutoBuildsTheIndexInTheBackgroundAndAnswersExactlyMeanwhile) {
  std::mt19937_64 rng(10);
  size_t n = kExactMaxRows + 500;  // enough for the planner to want the index (share 1)
  std::vector<std::string> ids;
  {
    auto s = Open(VectorBackend::kExact);
    ids = Fill(s.get(), "hal", static_cast<int>(n), rng);
  }
  auto s = Open(VectorBackend::kAuto);
  EXPECT_EQ(Stats(s.get()).ann_source, "");
  auto first = Search(s.get(), "q", {"hal", "", "", ""}, 10);  // starts the build, scans exactly
  EXPECT_EQ(first.size(), 10u);
  EXPECT_EQ(Stats(s.get()).ann_source, "building");
  EXPECT_EQ(Stats(s.get()).ann_rows, 0);
  // Writes while it builds: the adopted index must hold them, and not the deleted one.
  auto more = Fill(s.get(), "hal", 20, rng);
  ASSERT_TRUE(s->Delete(ids[0]).ok());
  EXPECT_EQ(AwaitAnn(s.get()), "built");
  StoreStats st = Stats(s.get());
  EXPECT_EQ(st.ann_rows, static_cast<int64_t>(n + 20 - 1));
  EXPECT_TRUE(s->Verify().ok());  // index rows == cache rows == table rows
  EXPECT_TRUE(std::filesystem::exists(path_ + ".hnsw"));
  EXPECT_EQ(Search(s.get(), "q", {"hal", "", "", ""}, 10).size(), 10u);
  s.reset();
  auto again = Open(VectorBackend::kAuto);
  EXPECT_EQ(Stats(again.get()).ann_source, "sidecar");
}

TEST_F(StoreHnswTest, ClosingDuringTheBuildStopsIt) {
  std::mt19937_64 rng(11);
  {
    auto s = Open(VectorBackend::kExact);
    Fill(s.get(), "ida", static_cast<int>(kExactMaxRows + 500), rng);
  }
  auto s = Open(VectorBackend::kAuto);
  Search(s.get(), "q", {"ida", "", "", ""}, 10);
  EXPECT_TRUE(s->Close().ok());  // joins the builder; no crash, no hang
  auto again = Open(VectorBackend::kAuto);
  EXPECT_TRUE(again->Verify().ok());
  EXPECT_EQ(Search(again.get(), "q", {"ida", "", "", ""}, 10).size(), 10u);
}

// Issue 9: a build a closing process had to stop is handed over (the .partial
// sidecar), so short-lived processes finish the index together: each adds at
// least one 16k-row chunk, so 3 chunks take at most 3 opens (+1 for timing).
TEST_F(StoreHnswTest, ShortLivedProcessesFinishTheBuildTogether) {
  std::mt19937_64 rng(12);
  const int n = 40000;
  {
    auto s = Open(VectorBackend::kExact);
    std::vector<SaveRequest> batch;
    for (int i = 0; i < n; ++i) {
      SaveRequest r;
      r.content = "jon memory " + std::to_string(i) + " " + std::to_string(rng());
      r.context.user_id = "jon";
      r.dedup = false;
      batch.push_back(r);
      if (batch.size() == 4000) {
        ASSERT_TRUE(s->SaveBatch(batch).ok());
        batch.clear();
      }
    }
  }
  int opens = 0;
  bool saw_partial = false;
  while (!std::filesystem::exists(path_ + ".hnsw") && opens < 6) {
    auto s = Open(VectorBackend::kAuto);
    ++opens;
    Search(s.get(), "q", {"jon", "", "", ""}, 10);  // starts (or resumes) the build
    EXPECT_TRUE(s->Close().ok());                   // at once: hands over what it has
    saw_partial = saw_partial || std::filesystem::exists(path_ + ".hnsw.partial");
  }
  EXPECT_TRUE(std::filesystem::exists(path_ + ".hnsw")) << "after " << opens << " short opens";
  EXPECT_LE(opens, 4);
  EXPECT_TRUE(saw_partial || opens == 1);
  EXPECT_FALSE(std::filesystem::exists(path_ + ".hnsw.partial"));  // removed once complete
  auto s = Open(VectorBackend::kAuto);
  EXPECT_EQ(Stats(s.get()).ann_source, "sidecar");
  EXPECT_EQ(Stats(s.get()).ann_rows, n);
  EXPECT_TRUE(s->Verify().ok());
}

}  // namespace
}  // namespace stratamem
