// Upgrading a schema-1 store (full-text index without users) to the current
// schema, and the per-user full-text match the upgrade enables.
#include <gtest/gtest.h>

#include <set>

#include "stratamem/stratamem.h"
#include "store/record_io.h"
#include "store/schema.h"
#include "store/sqlite_db.h"
#include "test_util.h"

namespace stratamem {
namespace {

std::unique_ptr<Embedder> HashEmbedder() { return test::HashEmbedder(32); }

// Writes rows the way stratamem 1 did: straight into a schema-1 file.
void WriteVersion1Store(const std::string& path, const std::vector<std::pair<std::string, std::string>>& rows) {
  auto db = Db::Open(path, /*read_only=*/false, /*create=*/true);
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  ASSERT_TRUE(MigrateTo(db->get(), false, 1).ok());
  ASSERT_EQ(*(*db)->QueryInt("PRAGMA user_version"), 1);
  auto embedder = HashEmbedder();
  ASSERT_TRUE(SetMeta(db->get(), "dimension", "32").ok());
  ASSERT_TRUE(SetMeta(db->get(), "embedder_model", embedder->model_id()).ok());
  int n = 0;
  for (const auto& [user, content] : rows) {
    ++n;
    auto ins = (*db)->Prepare(
        "INSERT INTO memories(id, content, scope, user_id, importance, created_at, updated_at, content_hash, "
        "valid_from, last_seen_at) VALUES (?1, ?2, 0, ?3, 0.5, ?4, ?4, ?5, ?4, ?4)");
    ASSERT_TRUE(ins.ok());
    ins->Bind(1, "0000000" + std::to_string(n)).Bind(2, content).Bind(3, user).Bind(4, int64_t{1000 + n})
        .Bind(5, "h" + std::to_string(n));
    ASSERT_TRUE(ins->Run().ok());
    std::vector<float> v;
    ASSERT_TRUE(embedder->Embed(content, &v).ok());
    auto vec = (*db)->Prepare("INSERT INTO vectors(seq, dimension, data) VALUES (last_insert_rowid(), 32, ?1)");
    ASSERT_TRUE(vec.ok());
    std::string blob = EncodeVector(v);
    vec->BindBlob(1, blob.data(), blob.size());
    ASSERT_TRUE(vec->Run().ok());
  }
}

std::vector<std::string> TextSearch(MemoryStore* s, const std::string& user, const std::string& q) {
  SearchRequest r;
  r.query = q;
  r.context.user_id = user;
  r.mode = SearchMode::kText;
  auto res = s->Search(r);
  EXPECT_TRUE(res.ok()) << res.status().ToString();
  std::vector<std::string> out;
  if (res.ok()) for (const auto& x : *res) out.push_back(x.record.content);
  return out;
}

TEST(StoreMigrationTest, Version1StoreIsUpgradedAndSearchedPerUser) {
  std::string path = test::TempDir() + "/v1.db";
  WriteVersion1Store(path, {{"alice", "alice drinks green tea"},
                            {"bob", "bob drinks black tea"},
                            {"alice bob", "a user id with a space drinks tea"},
                            {"alice", "alice owns a bicycle"}});
  OpenOptions o;
  o.db_path = path;
  auto s = MemoryStore::Open(o, HashEmbedder());
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  auto stats = (*s)->Stats({});
  ASSERT_TRUE(stats.ok());
  EXPECT_EQ(stats->schema_version, kSchemaVersion);
  EXPECT_TRUE((*s)->Verify().ok());  // includes FTS5's integrity-check against the table

  EXPECT_EQ(TextSearch(s->get(), "alice", "tea"), std::vector<std::string>{"alice drinks green tea"});
  EXPECT_EQ(TextSearch(s->get(), "bob", "tea"), std::vector<std::string>{"bob drinks black tea"});
  EXPECT_EQ(TextSearch(s->get(), "alice bob", "tea"),
            std::vector<std::string>{"a user id with a space drinks tea"});
  EXPECT_TRUE(TextSearch(s->get(), "carol", "tea").empty());
  // Query text naming the user column is still only words.
  EXPECT_TRUE(TextSearch(s->get(), "alice", "user_key: u626F62").empty());

  // Rows written after the upgrade are indexed with their user, and leave on delete.
  SaveRequest save;
  save.content = "bob likes oolong tea";
  save.context.user_id = "bob";
  auto id = (*s)->Save(save);
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(TextSearch(s->get(), "bob", "oolong"), std::vector<std::string>{"bob likes oolong tea"});
  EXPECT_TRUE(TextSearch(s->get(), "alice", "oolong").empty());
  ASSERT_TRUE((*s)->Delete(*id).ok());
  EXPECT_TRUE(TextSearch(s->get(), "bob", "oolong").empty());
  EXPECT_TRUE((*s)->Verify().ok());
}

TEST(StoreMigrationTest, UpgradeRunsTheExtractorOverStoredMemories) {
  // Migration 3 (the graph) backfills mentions, so an old store's memories
  // are found by graph expansion like new ones.
  std::string path = test::TempDir() + "/v1-graph.db";
  WriteVersion1Store(path, {{"u", "My friend Caroline moved to Sweden in 2019"}, {"v", "My friend Bob visited Oslo"}});
  OpenOptions o;
  o.db_path = path;
  auto s = MemoryStore::Open(o, HashEmbedder());
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EntityQuery q;
  q.context.user_id = "u";
  auto entities = (*s)->Entities(q);
  ASSERT_TRUE(entities.ok()) << entities.status().ToString();
  std::set<std::string> keys;
  for (const Entity& e : *entities) keys.insert(e.key);
  EXPECT_TRUE(keys.count("caroline") && keys.count("sweden")) << entities->size();
  EXPECT_FALSE(keys.count("oslo"));  // another user's
  EXPECT_TRUE((*s)->Verify().ok());
}

TEST(StoreMigrationTest, ANewerStoreIsRefusedUntouched) {
  std::string path = test::TempDir() + "/future.db";
  {
    OpenOptions o;
    o.db_path = path;
    ASSERT_TRUE(MemoryStore::Open(o, HashEmbedder()).ok());
  }
  {
    auto db = Db::Open(path, false, false);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Exec("PRAGMA user_version = " + std::to_string(kSchemaVersion + 1)).ok());
  }
  OpenOptions o;
  o.db_path = path;
  EXPECT_EQ(MemoryStore::Open(o, HashEmbedder()).status().code(), Status::Code::kNotSupported);
}

}  // namespace
}  // namespace stratamem
