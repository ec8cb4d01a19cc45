// MemoryStore over a real SQLite file, with the deterministic hash embedder
// (the native model's own tests live in encoder_test.cc).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>
#include <set>

#include "stratamem/stratamem.h"
#include "test_util.h"

namespace stratamem {
namespace {

using test::HashEmbedder;

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override { path_ = test::TempDir() + "/store.db"; }
  std::unique_ptr<MemoryStore> OpenStore(int dim = 64) {
    OpenOptions o;
    o.db_path = path_;
    auto s = MemoryStore::Open(o, HashEmbedder(dim));
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(s).value() : nullptr;
  }
  static SaveRequest Req(std::string content, Scope scope, ScopeContext ctx) {
    SaveRequest r;
    r.content = std::move(content);
    r.scope = scope;
    r.context = std::move(ctx);
    return r;
  }
  static std::vector<std::string> SearchIds(MemoryStore* s, const std::string& q, ScopeContext ctx,
                                            int k = 10) {
    SearchRequest r;
    r.query = q;
    r.context = std::move(ctx);
    r.top_k = k;
    auto res = s->Search(r);
    EXPECT_TRUE(res.ok()) << res.status().ToString();
    std::vector<std::string> ids;
    if (res.ok()) for (auto& x : *res) ids.push_back(x.record.id);
    return ids;
  }
  std::string path_;
};

TEST_F(StoreTest, SaveGetSearchRoundTrip) {
  auto s = OpenStore();
  SaveRequest r = Req("Project uses uv, not pip", Scope::kUser, {"team", "", "claude", ""});
  r.metadata_json = R"({"topic": "tooling", "n": 3})";
  r.importance = 0.9;
  auto id = s->Save(r);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  auto rec = s->Get(*id);
  ASSERT_TRUE(rec.ok());
  EXPECT_EQ(rec->content, "Project uses uv, not pip");
  EXPECT_EQ(rec->source_agent, "claude");  // provenance defaults to the agent id
  EXPECT_DOUBLE_EQ(rec->importance, 0.9);
  EXPECT_EQ(rec->metadata_json, R"({"n":3,"topic":"tooling"})");
  EXPECT_EQ(rec->content_hash.size(), 64u);
  EXPECT_GT(rec->created_at, 0);
  auto ids = SearchIds(s.get(), "uv pip", {"team", "", "codex", ""});
  ASSERT_EQ(ids.size(), 1u);
  EXPECT_EQ(ids[0], *id);
}

TEST_F(StoreTest, ScopesAreVisibleExactlyAsDocumented) {
  auto s = OpenStore();
  std::string u = *s->Save(Req("alpha user fact", Scope::kUser, {"u", "s1", "", ""}));
  std::string ses = *s->Save(Req("alpha session fact", Scope::kSession, {"u", "s1", "", ""}));
  std::string ag = *s->Save(Req("alpha agent fact", Scope::kAgent, {"u", "s1", "a1", ""}));
  std::string tu = *s->Save(Req("alpha turn fact", Scope::kTurn, {"u", "s1", "", "t1"}));
  std::string other = *s->Save(Req("alpha other user", Scope::kUser, {"v", "", "", ""}));
  auto set = [](std::vector<std::string> v) { return std::set<std::string>(v.begin(), v.end()); };
  EXPECT_EQ(set(SearchIds(s.get(), "alpha", {"u", "", "", ""})), set({u}));
  EXPECT_EQ(set(SearchIds(s.get(), "alpha", {"u", "s2", "a1", "t1"})), set({u}));
  EXPECT_EQ(set(SearchIds(s.get(), "alpha", {"u", "s1", "", ""})), set({u, ses}));
  EXPECT_EQ(set(SearchIds(s.get(), "alpha", {"u", "s1", "a1", ""})), set({u, ses, ag}));
  EXPECT_EQ(set(SearchIds(s.get(), "alpha", {"u", "s1", "a2", "t1"})), set({u, ses, tu}));
  EXPECT_EQ(set(SearchIds(s.get(), "alpha", {"v", "s1", "a1", "t1"})), set({other}));
  EXPECT_TRUE(SearchIds(s.get(), "alpha", {"nobody", "", "", ""}).empty());
}

TEST_F(StoreTest, MissingIdsForScopeAreRejected) {
  auto s = OpenStore();
  auto r = s->Save(Req("fact", Scope::kAgent, {"u", "s", "", ""}));
  EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("agent_id"), std::string::npos);
}

TEST_F(StoreTest, OnlyMatchAmongManyUsersIsFound) {
  auto s = OpenStore();
  std::vector<SaveRequest> batch;
  for (int i = 0; i < 300; ++i) {
    batch.push_back(Req("favourite colour is blue number " + std::to_string(i), Scope::kUser,
                        {"user" + std::to_string(i), "", "", ""}));
  }
  ASSERT_TRUE(s->SaveBatch(batch).ok());
  std::string mine = *s->Save(Req("my cat is called Miso", Scope::kUser, {"alice", "", "", ""}));
  auto ids = SearchIds(s.get(), "favourite colour blue", {"alice", "", "", ""}, 1);
  ASSERT_EQ(ids.size(), 1u);
  EXPECT_EQ(ids[0], mine);
}

TEST_F(StoreTest, InvalidContentIsRejectedAndNothingIsLost) {
  auto s = OpenStore();
  std::string keep = *s->Save(Req("keep me", Scope::kUser, {"u", "", "", ""}));
  for (std::string bad : {std::string(""), std::string(" \t\n "), std::string("a\0b", 3),
                          std::string("\xff\xfe"), std::string(40000, 'x')}) {
    auto r = s->Save(Req(bad, Scope::kUser, {"u", "", "", ""}));
    EXPECT_EQ(r.status().code(), Status::Code::kInvalidArgument) << bad.size();
  }
  SaveRequest meta = Req("x", Scope::kUser, {"u", "", "", ""});
  meta.metadata_json = "[1,2]";
  EXPECT_EQ(s->Save(meta).status().code(), Status::Code::kInvalidArgument);
  meta.metadata_json = "{";
  EXPECT_EQ(s->Save(meta).status().code(), Status::Code::kInvalidArgument);
  SaveRequest imp = Req("x", Scope::kUser, {"u", "", "", ""});
  imp.importance = 1.5;
  EXPECT_EQ(s->Save(imp).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(s->Get("no-such-id").status().code(), Status::Code::kNotFound);
  EXPECT_EQ(s->Delete("no-such-id").code(), Status::Code::kNotFound);
  EXPECT_TRUE(s->Get(keep).ok());
  EXPECT_TRUE(s->Verify().ok());
}

TEST_F(StoreTest, DeleteAndClearFollowTheScopeRules) {
  auto s = OpenStore();
  std::string u = *s->Save(Req("user level", Scope::kUser, {"u", "s1", "", ""}));
  std::string ses = *s->Save(Req("session level", Scope::kSession, {"u", "s1", "", ""}));
  std::string ag = *s->Save(Req("agent level", Scope::kAgent, {"u", "s1", "a", ""}));
  std::string other = *s->Save(Req("other session", Scope::kSession, {"u", "s2", "", ""}));
  auto cleared = s->Clear({"u", "s1", "a", ""});
  ASSERT_TRUE(cleared.ok());
  EXPECT_EQ(*cleared, 1);
  EXPECT_FALSE(s->Get(ag).ok());
  cleared = s->Clear({"u", "s1", "", ""});
  EXPECT_EQ(*cleared, 1);  // the session-level one; the user-level fact survives
  EXPECT_TRUE(s->Get(u).ok());
  EXPECT_TRUE(s->Get(other).ok());
  ASSERT_TRUE(s->Delete(u).ok());
  EXPECT_TRUE(SearchIds(s.get(), "user level", {"u", "", "", ""}).empty());
  EXPECT_EQ(*s->Clear({"u", "", "", ""}), 1);
  EXPECT_EQ(s->Stats({})->total, 0);
  EXPECT_TRUE(s->Verify().ok());
  (void)ses;
}

TEST_F(StoreTest, PersistsAcrossReopenAndRefusesAnotherDimension) {
  std::string id;
  {
    auto s = OpenStore(64);
    id = *s->Save(Req("persistent fact", Scope::kUser, {"u", "", "", ""}));
  }
  {
    auto s = OpenStore(64);
    EXPECT_EQ(SearchIds(s.get(), "persistent", {"u", "", "", ""}), std::vector<std::string>{id});
    EXPECT_TRUE(s->Verify().ok());
  }
  OpenOptions o;
  o.db_path = path_;
  auto wrong = MemoryStore::Open(o, HashEmbedder(128));
  EXPECT_EQ(wrong.status().code(), Status::Code::kDimensionMismatch);
  o.vector_dimension = 32;
  wrong = MemoryStore::Open(o, HashEmbedder(64));
  EXPECT_EQ(wrong.status().code(), Status::Code::kDimensionMismatch);
}

TEST_F(StoreTest, TwoConnectionsSeeEachOthersWrites) {
  auto a = OpenStore();
  auto b = OpenStore();
  std::string x = *a->Save(Req("written by a", Scope::kUser, {"u", "", "", ""}));
  EXPECT_EQ(SearchIds(b.get(), "written", {"u", "", "", ""}), std::vector<std::string>{x});
  std::string y = *b->Save(Req("written by b", Scope::kUser, {"u", "", "", ""}));
  ASSERT_TRUE(b->Delete(x).ok());
  EXPECT_EQ(SearchIds(a.get(), "written", {"u", "", "", ""}), std::vector<std::string>{y});
  EXPECT_TRUE(a->Verify().ok());
  EXPECT_TRUE(b->Verify().ok());
}

TEST_F(StoreTest, ForeignAndDamagedFilesAreRefusedUntouched) {
  {
    std::ofstream f(path_, std::ios::binary);
    f << "this is not a database, just some text that happens to be long enough to look like a header";
  }
  OpenOptions o;
  o.db_path = path_;
  EXPECT_EQ(MemoryStore::Open(o, HashEmbedder()).status().code(), Status::Code::kCorruption);
  std::string other = test::TempDir() + "/other.db";
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(other.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES (42);", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  o.db_path = other;
  EXPECT_EQ(MemoryStore::Open(o, HashEmbedder()).status().code(), Status::Code::kCorruption);
  ASSERT_EQ(sqlite3_open(other.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  sqlite3_prepare_v2(db, "SELECT x FROM t", -1, &st, nullptr);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(st, 0), 42);
  sqlite3_finalize(st);
  sqlite3_close(db);
  o.db_path = "/proc/definitely/not/writable.db";
  EXPECT_EQ(MemoryStore::Open(o, HashEmbedder()).status().code(), Status::Code::kIOError);
}

TEST_F(StoreTest, MetadataFiltersAndScopesNarrowBeforeRanking) {
  auto s = OpenStore();
  SaveRequest a = Req("meeting notes about the launch", Scope::kUser, {"u", "", "", ""});
  a.metadata_json = R"({"speaker": "bob", "n": 1})";
  SaveRequest b = Req("meeting notes about the budget", Scope::kUser, {"u", "", "", ""});
  b.metadata_json = R"({"speaker": "carol", "n": 2})";
  std::string ia = *s->Save(a), ib = *s->Save(b);
  SearchRequest r;
  r.query = "meeting notes";
  r.context = {"u", "", "", ""};
  r.metadata_equals = {{"speaker", "\"carol\""}};
  auto res = s->Search(r);
  ASSERT_TRUE(res.ok());
  ASSERT_EQ(res->size(), 1u);
  EXPECT_EQ((*res)[0].record.id, ib);
  r.metadata_equals = {{"n", "1"}};
  res = s->Search(r);
  ASSERT_EQ(res->size(), 1u);
  EXPECT_EQ((*res)[0].record.id, ia);
  EXPECT_GT((*res)[0].score, 0.0);
  EXPECT_LE((*res)[0].score, 1.0);
  EXPECT_EQ((*res)[0].vector_rank, 1);
  EXPECT_EQ((*res)[0].text_rank, 1);
  // Score fusion: half the calibrated cosine (the hash embedder's floor is 0)
  // and half BM25 as a fraction of the query's attainable score, here both
  // words of the query in a memory of two matching rows.
  const SearchResult& top = (*res)[0];
  EXPECT_GT(top.text_score, 0.3);
  EXPECT_NEAR(top.relevance, 0.5 * std::max(top.vector_score, 0.0) + 0.5 * std::min(top.text_score, 1.0), 1e-9);
  r.fusion = FusionMethod::kRrf;
  res = s->Search(r);
  ASSERT_EQ(res->size(), 1u);
  EXPECT_DOUBLE_EQ((*res)[0].relevance, 1.0);  // RRF: first in both lists
  r.vector_weight = 0;
  r.text_weight = 0;
  EXPECT_EQ(s->Search(r).status().code(), Status::Code::kInvalidArgument);
}

TEST_F(StoreTest, TextOnlyHitsCarryTheirRealCosine) {
  auto s = OpenStore();
  for (int i = 0; i < 60; ++i) {  // more vector candidates than the fusion depth (50)
    ASSERT_TRUE(s->Save(Req("alpha beta gamma note " + std::to_string(i), Scope::kUser, {"u", "", "", ""})).ok());
  }
  std::string rare = *s->Save(Req("zygomorphic orchid", Scope::kUser, {"u", "", "", ""}));
  SearchRequest r;
  r.query = "alpha beta gamma zygomorphic";
  r.context = {"u", "", "", ""};
  r.top_k = 100;
  auto res = s->Search(r);
  ASSERT_TRUE(res.ok());
  bool found = false;
  for (const auto& x : *res) {
    if (x.record.id != rare) continue;
    found = true;
    EXPECT_GT(x.text_rank, 0);
    EXPECT_GT(x.vector_score, 0.0);  // scored against the query even if not in the vector list
  }
  EXPECT_TRUE(found);
}

TEST_F(StoreTest, ImportKeepsIdsAndTimestamps) {
  auto s = OpenStore();
  MemoryRecord rec;
  rec.id = "0190aaaa-0000-7000-8000-000000000001";
  rec.content = "restored fact";
  rec.scope = Scope::kSession;
  rec.context = {"u", "s", "", ""};
  rec.source_agent = "gemini";
  rec.created_at = 1700000000000000;
  rec.updated_at = 1700000000000001;
  auto ok = s->Import(rec, nullptr);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_TRUE(*ok);
  EXPECT_FALSE(*s->Import(rec, nullptr));  // already there: unchanged
  auto got = s->Get(rec.id);
  EXPECT_EQ(got->created_at, rec.created_at);
  EXPECT_EQ(got->updated_at, rec.updated_at);
  EXPECT_EQ(got->source_agent, "gemini");
  std::vector<float> wrong(3, 1.0f);
  rec.id = "another";
  EXPECT_EQ(s->Import(rec, &wrong).status().code(), Status::Code::kDimensionMismatch);
  EXPECT_FALSE(s->Get("another").ok());
}

}  // namespace
}  // namespace stratamem

namespace stratamem {
namespace {

TEST_F(StoreTest, ListAllWithoutUserOnlyForTheAdminView) {
  auto s = OpenStore();
  ASSERT_TRUE(s->Save(Req("one", Scope::kUser, {"u", "", "", ""})).ok());
  ASSERT_TRUE(s->Save(Req("two", Scope::kSession, {"v", "s", "", ""})).ok());
  ListRequest all;
  all.visible_only = false;
  auto rows = s->List(all);
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(rows->size(), 2u);
  ListRequest visible;
  EXPECT_EQ(s->List(visible).status().code(), Status::Code::kInvalidArgument);
  visible.context.user_id = "v";
  EXPECT_EQ(s->List(visible)->size(), 0u);  // v's only memory is session-level
  visible.context.session_id = "s";
  EXPECT_EQ(s->List(visible)->size(), 1u);
}

}  // namespace
}  // namespace stratamem
