// Many threads on one store, and two stores (connections) on one file, saving,
// searching and deleting at once. Run under ThreadSanitizer by `make test-tsan`.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "stratamem/stratamem.h"
#include "test_util.h"

namespace stratamem {
namespace {

std::unique_ptr<MemoryStore> OpenHashStore(const std::string& path) {
  OpenOptions o;
  o.db_path = path;
  o.durability = Durability::kNormal;  // the point here is races, not fsync
  EmbedderOptions eo;
  eo.backend = EmbedderBackend::kHash;
  eo.dimension = 64;
  auto s = MemoryStore::Open(o, std::move(NewEmbedder(eo)).value());
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return std::move(s).value();
}

TEST(StoreConcurrencyTest, ThreadsAndConnectionsLoseNoWrite) {
  std::string path = test::TempDir() + "/c.db";
  auto a = OpenHashStore(path);
  auto b = OpenHashStore(path);
  constexpr int kThreads = 4, kPerThread = 40;
  std::vector<std::set<std::string>> ids(kThreads);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      MemoryStore* s = (t % 2 == 0) ? a.get() : b.get();
      for (int i = 0; i < kPerThread; ++i) {
        SaveRequest r;
        r.content = "thread " + std::to_string(t) + " fact " + std::to_string(i) + " about topic";
        r.context = {"user" + std::to_string(t % 2), "", "", ""};
        r.dedup = false;
        auto id = s->Save(r);
        if (!id.ok()) {
          ++failures;
          continue;
        }
        ids[t].insert(*id);
        SearchRequest q;
        q.query = "fact about topic";
        q.context = r.context;
        if (!s->Search(q).ok()) ++failures;
        if (i % 10 == 9 && !s->Delete(*id).ok()) ++failures;
        if (i % 10 == 9) ids[t].erase(*id);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  size_t expected = 0;
  for (auto& set : ids) {
    expected += set.size();
    for (const auto& id : set) EXPECT_TRUE(a->Get(id).ok()) << id;
  }
  EXPECT_EQ(static_cast<size_t>(a->Stats({})->total), expected);
  EXPECT_TRUE(a->Verify().ok());
  EXPECT_TRUE(b->Verify().ok());
}

}  // namespace
}  // namespace stratamem
