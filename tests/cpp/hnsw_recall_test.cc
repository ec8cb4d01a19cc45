// Issue 9: with vector_backend=hnsw over 20,480 rows of near-duplicates (hash
// embedder), a query identical to a stored memory comes back first in vector
// mode, and the walk finds what the exact scan finds. Two users share the
// index: one with unique texts that differ in a word or two (some hash to
// identical vectors), one with 40 texts stored 256 times each (clusters of
// identical vectors: before the fix, islands the walk could not enter).
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "stratamem/stratamem.h"
#include "test_util.h"

namespace stratamem {
namespace {

const std::vector<std::string> kTopics = {"deploy", "billing", "login", "search", "report", "backup", "cache", "email"};
const std::vector<std::string> kVerbs = {"fails", "works", "is slow", "needs review", "was fixed", "is flaky"};

std::string UniqueText(size_t i) {
  return "the " + kTopics[i % 8] + " service " + kVerbs[(i / 8) % 6] + " for team " + std::to_string(i % 97) +
         " ticket " + std::to_string(i);
}
std::string RepeatedText(size_t i) { return "note " + std::to_string(i % 40) + " about the " + kTopics[i % 8] + " service"; }

class HnswRecallTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    path_ = new std::string(test::TempDir() + "/recall.db");
    auto s = Open(VectorBackend::kHnsw);
    for (const auto& [user, text] : {std::pair{"unique", &UniqueText}, std::pair{"repeated", &RepeatedText}}) {
      for (size_t at = 0; at < 10240; at += 2048) {
        std::vector<SaveRequest> batch;
        for (size_t i = at; i < at + 2048; ++i) {
          SaveRequest r;
          r.content = text(i);
          r.context.user_id = user;
          r.dedup = false;
          batch.push_back(r);
        }
        auto saved = s->SaveBatch(batch);
        ASSERT_TRUE(saved.ok()) << saved.status().ToString();
        if (std::string(user) == "unique") ids_->insert(ids_->end(), saved->begin(), saved->end());
      }
    }
    ASSERT_EQ(s->Stats({}).value().ann_rows, 20480);
  }
  static std::unique_ptr<MemoryStore> Open(VectorBackend backend) {
    OpenOptions o;
    o.db_path = *path_;
    o.vector_backend = backend;
    o.durability = Durability::kNormal;
    auto s = MemoryStore::Open(o, test::HashEmbedder());
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return std::move(s).value();
  }
  static std::vector<SearchResult> Search(MemoryStore* s, const std::string& user, const std::string& q) {
    SearchRequest r;
    r.query = q;
    r.context.user_id = user;
    r.top_k = 5;
    r.mode = SearchMode::kVector;
    auto hits = s->Search(r);
    EXPECT_TRUE(hits.ok()) << hits.status().ToString();
    return hits.ok() ? std::move(hits).value() : std::vector<SearchResult>{};
  }
  static std::string* path_;
  static std::vector<std::string>* ids_;
};
std::string* HnswRecallTest::path_ = nullptr;
std::vector<std::string>* HnswRecallTest::ids_ = new std::vector<std::string>();

TEST_F(HnswRecallTest, VerbatimQueriesComeBackFirst) {
  auto s = Open(VectorBackend::kHnsw);
  std::mt19937_64 rng(9);
  int not_first = 0, repeated_not_first = 0;
  for (int q = 0; q < 240; ++q) {
    size_t i = rng() % 10240;
    auto hits = Search(s.get(), "unique", UniqueText(i));  // some other texts hash to the same vector
    not_first += hits.empty() || hits[0].record.id != (*ids_)[i];
    auto rep = Search(s.get(), "repeated", RepeatedText(i));
    repeated_not_first += rep.empty() || rep[0].record.content != RepeatedText(i);
  }
  EXPECT_EQ(not_first, 0) << "of 240 verbatim queries (unique texts)";
  EXPECT_EQ(repeated_not_first, 0) << "of 240 verbatim queries (texts stored 256 times)";
}

TEST_F(HnswRecallTest, TheWalkFindsWhatTheExactScanFinds) {
  // Not verbatim (an extra word), so only the vectors decide.
  auto hnsw = Open(VectorBackend::kHnsw);
  auto exact = Open(VectorBackend::kExact);
  std::mt19937_64 rng(10);
  int worse = 0;
  for (int q = 0; q < 240; ++q) {
    size_t i = rng() % 10240;
    for (const auto& [user, query] : {std::pair<std::string, std::string>{"repeated", RepeatedText(i) + " today"},
                                      std::pair<std::string, std::string>{"unique", UniqueText(i) + " today"}}) {
      auto a = Search(hnsw.get(), user, query);
      auto b = Search(exact.get(), user, query);
      ASSERT_FALSE(b.empty());
      worse += a.empty() || a[0].vector_score < b[0].vector_score - 1e-6;
    }
  }
  EXPECT_EQ(worse, 0) << "of 480 queries, the walk's best hit was worse than the exact scan's";
}

}  // namespace
}  // namespace stratamem
