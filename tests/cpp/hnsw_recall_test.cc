// Issue 9: with vector_backend=hnsw over 20,480 near-duplicate rows (hash
// embedder), a query identical to a stored memory must come back first in
// vector mode, as it does with the exact scan. 480 verbatim queries.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "stratamem/stratamem.h"
#include "test_util.h"

namespace stratamem {
namespace {

// Texts from a small vocabulary, so many share most of their words (their
// hash vectors are near-duplicates); the trailing pair keeps each unique.
std::vector<std::string> NearDuplicateTexts(size_t n) {
  const std::vector<std::string> topics = {"deploy", "billing", "login", "search", "report", "backup", "cache", "email"};
  const std::vector<std::string> verbs = {"fails", "works", "is slow", "needs review", "was fixed", "is flaky"};
  std::vector<std::string> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    out.push_back("the " + topics[i % topics.size()] + " service " + verbs[(i / 8) % verbs.size()] +
                  " for team " + std::to_string(i % 97) + " ticket " + std::to_string(i));
  }
  return out;
}

TEST(HnswRecallTest, VerbatimQueriesComeBackFirstAmongNearDuplicates) {
  std::string dir = test::TempDir();
  OpenOptions o;
  o.db_path = dir + "/recall.db";
  o.vector_backend = VectorBackend::kHnsw;
  o.durability = Durability::kNormal;
  auto store = MemoryStore::Open(o, test::HashEmbedder());
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  const std::vector<std::string> texts = NearDuplicateTexts(20480);
  std::vector<std::string> ids;
  for (size_t at = 0; at < texts.size(); at += 1024) {
    std::vector<SaveRequest> batch;
    for (size_t i = at; i < std::min(texts.size(), at + 1024); ++i) {
      SaveRequest r;
      r.content = texts[i];
      r.context.user_id = "u";
      r.dedup = false;
      batch.push_back(r);
    }
    auto saved = (*store)->SaveBatch(batch);
    ASSERT_TRUE(saved.ok()) << saved.status().ToString();
    ids.insert(ids.end(), saved->begin(), saved->end());
  }
  ASSERT_EQ((*store)->Stats({}).value().ann_rows, 20480);
  std::mt19937_64 rng(9);
  int missing = 0, not_first = 0;
  for (int q = 0; q < 480; ++q) {
    size_t i = rng() % texts.size();
    SearchRequest r;
    r.query = texts[i];
    r.context.user_id = "u";
    r.top_k = 5;
    r.mode = SearchMode::kVector;
    auto hits = (*store)->Search(r);
    ASSERT_TRUE(hits.ok()) << hits.status().ToString();
    bool found = false;
    for (const SearchResult& h : *hits) found = found || h.record.id == ids[i];
    missing += !found;
    not_first += hits->empty() || (*hits)[0].record.id != ids[i];
  }
  EXPECT_EQ(missing, 0) << "verbatim queries missing from the top 5 (of 480)";
  EXPECT_EQ(not_first, 0) << "verbatim queries not ranked first (of 480)";
}

}  // namespace
}  // namespace stratamem
