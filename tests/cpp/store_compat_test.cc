// Files written before the project's rename (docs/format.md): a store whose
// magic is the old name opens, gets the new magic when opened for writing and
// keeps every memory; an HNSW sidecar with the old magic is loaded as it is.
#include <gtest/gtest.h>

#include <cstring>
#include <fstream>

#include "stratamem/stratamem.h"
#include "store/schema.h"
#include "store/sqlite_db.h"
#include "test_util.h"
#include "util/compat_names.h"

namespace stratamem {
namespace {

std::string Magic(const std::string& path) {
  auto db = Db::Open(path, /*read_only=*/true, /*create=*/false);
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  auto m = GetMeta(db->get(), "magic");
  EXPECT_TRUE(m.ok());
  return m.ok() ? *m : "";
}

void SetMagic(const std::string& path, const std::string& magic) {
  auto db = Db::Open(path, /*read_only=*/false, /*create=*/false);
  ASSERT_TRUE(db.ok()) << db.status().ToString();
  ASSERT_TRUE(SetMeta(db->get(), "magic", magic).ok());
}

std::unique_ptr<MemoryStore> OpenStore(const std::string& path, bool read_only = false,
                                       VectorBackend backend = VectorBackend::kExact) {
  OpenOptions o;
  o.db_path = path;
  o.read_only = read_only;
  o.vector_backend = backend;
  auto s = MemoryStore::Open(o, test::HashEmbedder(32));
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? std::move(*s) : nullptr;
}

std::string SaveOne(MemoryStore* s, const std::string& content) {
  SaveRequest r;
  r.content = content;
  r.context.user_id = "alice";
  auto id = s->Save(r);
  EXPECT_TRUE(id.ok()) << id.status().ToString();
  return id.ok() ? *id : "";
}

TEST(StoreCompatTest, StoreWithTheOldMagicOpensAndIsRenamedOnWrite) {
  std::string path = test::TempDir() + "/old-name.db";
  std::string id;
  {
    auto s = OpenStore(path);
    ASSERT_TRUE(s);
    id = SaveOne(s.get(), "written before the rename");
  }
  SetMagic(path, kLegacyStoreMagic);

  {  // A read-only open accepts it and changes nothing.
    auto s = OpenStore(path, /*read_only=*/true);
    ASSERT_TRUE(s);
    auto got = s->Get(id);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(got->content, "written before the rename");
  }
  EXPECT_EQ(Magic(path), kLegacyStoreMagic);

  {  // Opening it for writing writes the new magic; the memory is still there.
    auto s = OpenStore(path);
    ASSERT_TRUE(s);
    auto got = s->Get(id);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(got->content, "written before the rename");
    EXPECT_TRUE(s->Verify().ok());
  }
  EXPECT_EQ(Magic(path), kStoreMagic);
}

TEST(StoreCompatTest, OtherMagicIsStillRefused) {
  std::string path = test::TempDir() + "/other.db";
  { ASSERT_TRUE(OpenStore(path)); }
  SetMagic(path, "some-other-store");
  OpenOptions o;
  o.db_path = path;
  auto s = MemoryStore::Open(o, test::HashEmbedder(32));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Status::Code::kCorruption);
  EXPECT_EQ(Magic(path), "some-other-store");  // left untouched
}

TEST(StoreCompatTest, SidecarWithTheOldMagicIsLoadedAndRewrittenWithTheNew) {
  std::string path = test::TempDir() + "/sidecar.db";
  std::string sidecar = path + ".hnsw";
  {
    auto s = OpenStore(path, false, VectorBackend::kHnsw);
    ASSERT_TRUE(s);
    for (int i = 0; i < 20; ++i) SaveOne(s.get(), "memory number " + std::to_string(i) + " about tea");
  }
  {  // Patch the sidecar's magic back to the old one.
    std::fstream f(sidecar, std::ios::in | std::ios::out | std::ios::binary);
    ASSERT_TRUE(f.good());
    f.write(kLegacySidecarMagic, 8);
  }
  {
    auto s = OpenStore(path, false, VectorBackend::kHnsw);
    ASSERT_TRUE(s);
    auto stats = s->Stats({});
    ASSERT_TRUE(stats.ok());
    EXPECT_EQ(stats->ann_source, "sidecar");  // loaded, not rebuilt
    EXPECT_EQ(stats->ann_rows, 20);
    SaveOne(s.get(), "one more, so the index is saved on close");
  }
  std::ifstream f(sidecar, std::ios::binary);
  char head[8];
  ASSERT_TRUE(f.read(head, 8));
  EXPECT_NE(std::memcmp(head, kLegacySidecarMagic, 8), 0);
  EXPECT_EQ(std::string(head, 8), "STRMHNSW");
}

}  // namespace
}  // namespace stratamem
