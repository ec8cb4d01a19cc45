// The query cache is dropped exactly by the writes its viewer can see (and
// entirely by another process's writes); the embedding cache skips repeated
// query embeddings. Both report hits in Stats().
#include <gtest/gtest.h>

#include "cache/query_cache.h"
#include "stratamem/stratamem.h"
#include "test_util.h"

namespace stratamem {
namespace {

class CacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = test::TempDir() + "/c.db";
    store_ = OpenStore();
  }
  std::unique_ptr<MemoryStore> OpenStore(bool cache = true) {
    OpenOptions o;
    o.db_path = path_;
    o.env = &env_;
    o.cache_enabled = cache;
    o.cache_max_size = 8;
    return std::move(MemoryStore::Open(o, test::HashEmbedder(64))).value();
  }
  std::string Save(MemoryStore* s, const std::string& content, ScopeContext ctx, Scope scope = Scope::kUser) {
    SaveRequest r;
    r.content = content;
    r.context = std::move(ctx);
    r.scope = scope;
    auto id = s->Save(r);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : "";
  }
  std::vector<std::string> Find(MemoryStore* s, const std::string& q, ScopeContext viewer) {
    SearchRequest r;
    r.query = q;
    r.context = std::move(viewer);
    auto res = s->Search(r);
    EXPECT_TRUE(res.ok()) << res.status().ToString();
    std::vector<std::string> out;
    if (res.ok()) for (const auto& x : *res) out.push_back(x.record.content);
    return out;
  }
  StoreStats Stats() { return std::move(store_->Stats({})).value(); }
  test::ManualEnv env_;
  std::string path_;
  std::unique_ptr<MemoryStore> store_;
};

TEST_F(CacheTest, RepeatedSearchHitsAndAVisibleWriteDropsIt) {
  Save(store_.get(), "alice likes green tea", {"alice", "", "", ""});
  ScopeContext alice{"alice", "s1", "", ""};
  EXPECT_EQ(Find(store_.get(), "tea", alice).size(), 1u);
  EXPECT_EQ(Find(store_.get(), "tea", alice).size(), 1u);
  StoreStats st = Stats();
  EXPECT_EQ(st.query_cache_hits, 1);
  EXPECT_EQ(st.query_cache_misses, 1);
  EXPECT_EQ(st.query_cache_entries, 1);
  EXPECT_EQ(st.embed_cache_misses, 1);  // the hit never embedded again
  // A user-level write is visible to every session of alice: dropped, and the
  // next search sees the new memory.
  Save(store_.get(), "alice also likes black tea", {"alice", "", "", ""});
  EXPECT_EQ(Stats().query_cache_entries, 0);
  EXPECT_EQ(Find(store_.get(), "tea", alice).size(), 2u);
  st = Stats();
  EXPECT_EQ(st.query_cache_invalidations, 1);
  EXPECT_EQ(st.embed_cache_hits, 1);  // same query text: embedding reused
}

TEST_F(CacheTest, WritesOutsideTheViewersScopesKeepItsEntry) {
  Save(store_.get(), "alice likes green tea", {"alice", "", "", ""});
  ScopeContext s1{"alice", "s1", "", ""};
  ScopeContext s2{"alice", "s2", "", ""};
  Find(store_.get(), "tea", s1);
  Find(store_.get(), "tea", s2);
  Find(store_.get(), "tea", {"bob", "", "", ""});
  ASSERT_EQ(Stats().query_cache_entries, 3);
  // bob's memory, and a memory private to alice's session s2: s1's entry stays.
  Save(store_.get(), "bob likes tea", {"bob", "", "", ""});
  Save(store_.get(), "tea in session two", {"alice", "s2", "", ""}, Scope::kSession);
  StoreStats st = Stats();
  EXPECT_EQ(st.query_cache_entries, 1);       // s1's
  EXPECT_EQ(st.query_cache_invalidations, 2); // bob's and s2's
  int64_t hits = st.query_cache_hits;
  EXPECT_EQ(Find(store_.get(), "tea", s1), std::vector<std::string>{"alice likes green tea"});
  EXPECT_EQ(Stats().query_cache_hits, hits + 1);
  EXPECT_EQ(Find(store_.get(), "tea", s2).size(), 2u);  // recomputed, sees its new memory
}

TEST_F(CacheTest, UpdateDeleteAndClearDropWhatTheyChange) {
  std::string id = Save(store_.get(), "the office is in Berlin", {"alice", "", "", ""});
  ScopeContext alice{"alice", "", "", ""};
  EXPECT_EQ(Find(store_.get(), "office", alice), std::vector<std::string>{"the office is in Berlin"});
  UpdateRequest u;
  u.content = "the office is in Lisbon";
  ASSERT_TRUE(store_->Update(id, u).ok());
  EXPECT_EQ(Find(store_.get(), "office", alice), std::vector<std::string>{"the office is in Lisbon"});
  ASSERT_TRUE(store_->Delete(id).ok());
  EXPECT_TRUE(Find(store_.get(), "office", alice).empty());
  Save(store_.get(), "a new office in Porto", {"alice", "", "", ""});
  EXPECT_EQ(Find(store_.get(), "office", alice).size(), 1u);
  ASSERT_TRUE(store_->Clear(alice).ok());
  EXPECT_TRUE(Find(store_.get(), "office", alice).empty());
}

TEST_F(CacheTest, AnotherConnectionsWriteEmptiesTheCache) {
  Save(store_.get(), "alice likes green tea", {"alice", "", "", ""});
  ScopeContext alice{"alice", "", "", ""};
  EXPECT_EQ(Find(store_.get(), "tea", alice).size(), 1u);
  auto other = OpenStore();
  Save(other.get(), "alice likes mint tea", {"alice", "", "", ""});
  EXPECT_EQ(Find(store_.get(), "tea", alice).size(), 2u);
}

TEST_F(CacheTest, EntriesExpireAndCapacityIsKept) {
  Save(store_.get(), "alice likes green tea", {"alice", "", "", ""});
  ScopeContext alice{"alice", "", "", ""};
  Find(store_.get(), "tea", alice);
  env_.now += kQueryCacheTtlMicros + 1;
  Find(store_.get(), "tea", alice);
  EXPECT_EQ(Stats().query_cache_hits, 0);
  for (int i = 0; i < 20; ++i) Find(store_.get(), "tea " + std::to_string(i), alice);
  StoreStats st = Stats();
  EXPECT_EQ(st.query_cache_entries, 8);
  EXPECT_EQ(st.embed_cache_entries, 8);
}

TEST_F(CacheTest, DisabledCacheNeverHits) {
  store_ = OpenStore(/*cache=*/false);
  Save(store_.get(), "alice likes green tea", {"alice", "", "", ""});
  for (int i = 0; i < 3; ++i) Find(store_.get(), "tea", {"alice", "", "", ""});
  StoreStats st = Stats();
  EXPECT_EQ(st.query_cache_hits + st.embed_cache_hits, 0);
  EXPECT_EQ(st.query_cache_entries + st.embed_cache_entries, 0);
}

TEST(QueryCacheKeyTest, EveryFieldThatChangesTheAnswerChangesTheKey) {
  SearchRequest base;
  base.query = "tea";
  base.context = {"alice", "s1", "", ""};
  std::string k = QueryCache::Key(base);
  std::vector<void (*)(SearchRequest*)> changes = {
      [](SearchRequest* r) { r->query = "tea "; },
      [](SearchRequest* r) { r->context.session_id = "s2"; },
      [](SearchRequest* r) { r->context.agent_id = "a"; },
      [](SearchRequest* r) { r->context.turn_id = "t"; },
      [](SearchRequest* r) { r->top_k = 11; },
      [](SearchRequest* r) { r->min_score = 0.1; },
      [](SearchRequest* r) { r->mode = SearchMode::kText; },
      [](SearchRequest* r) { r->fusion = FusionMethod::kRrf; },
      [](SearchRequest* r) { r->vector_weight = 0.6; },
      [](SearchRequest* r) { r->as_of = 5; },
      [](SearchRequest* r) { r->recency_weight = 0.2; },
      [](SearchRequest* r) { r->diversity = 0.3; },
      [](SearchRequest* r) { r->metadata_equals = {{"k", "1"}}; },
      [](SearchRequest* r) { r->scopes = {Scope::kUser}; },
      // Field boundaries cannot be imitated by the text inside a field.
      [](SearchRequest* r) { r->query = "tea5:alice"; r->context.user_id = ""; },
  };
  for (size_t i = 0; i < changes.size(); ++i) {
    SearchRequest r = base;
    changes[i](&r);
    EXPECT_NE(QueryCache::Key(r), k) << "change " << i;
  }
}

}  // namespace
}  // namespace stratamem
