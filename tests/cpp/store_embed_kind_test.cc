// The store tells its embedder what it embeds: saved memories (save, batch,
// update, supersede) are passages, searches are queries, and the embedding
// cache never answers a query with a passage's vector.
#include <gtest/gtest.h>

#include <mutex>
#include <utility>
#include <vector>

#include "stratamem/stratamem.h"
#include "test_util.h"

namespace stratamem {
namespace {

// Records every (kind, text) it is asked for and delegates to the hash double.
// A query's vector is the hash of "q " + text, so a store that embedded a
// search as a passage (or served a passage vector to a search) would rank
// differently and the log would say so.
class RecordingEmbedder final : public Embedder {
 public:
  using Calls = std::vector<std::pair<EmbedKind, std::string>>;
  explicit RecordingEmbedder(Calls* calls, std::mutex* mu)
      : inner_(test::HashEmbedder(64)), calls_(calls), mu_(mu) {}
  int dimension() const override { return inner_->dimension(); }
  std::string model_id() const override { return "recording"; }
  Status EmbedBatch(const std::vector<std::string>& texts, std::vector<std::vector<float>>* out,
                    EmbedKind kind = EmbedKind::kPassage) override {
    std::vector<std::string> keyed;
    {
      std::lock_guard<std::mutex> lock(*mu_);
      for (const auto& t : texts) {
        calls_->emplace_back(kind, t);
        keyed.push_back(kind == EmbedKind::kQuery ? "q " + t : t);
      }
    }
    return inner_->EmbedBatch(keyed, out);
  }

 private:
  std::unique_ptr<Embedder> inner_;
  Calls* calls_;
  std::mutex* mu_;
};

class EmbedKindTest : public ::testing::Test {
 protected:
  void SetUp() override {
    OpenOptions o;
    o.db_path = test::TempDir() + "/k.db";
    o.cache_max_size = 16;
    store_ = std::move(MemoryStore::Open(o, std::make_unique<RecordingEmbedder>(&calls_, &mu_))).value();
  }
  RecordingEmbedder::Calls Take() {
    std::lock_guard<std::mutex> lock(mu_);
    return std::exchange(calls_, {});
  }
  SaveRequest Req(const std::string& content) {
    SaveRequest r;
    r.content = content;
    r.context = {"u", "", "", ""};
    return r;
  }
  std::mutex mu_;
  RecordingEmbedder::Calls calls_;
  std::unique_ptr<MemoryStore> store_;
};

TEST_F(EmbedKindTest, WritesEmbedPassagesAndSearchesEmbedQueries) {
  auto id = store_->Save(Req("green tea in the morning"));
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  ASSERT_TRUE(store_->SaveBatch({Req("black coffee"), Req("oolong at noon")}).ok());
  UpdateRequest u;
  u.content = "green tea at dawn";
  ASSERT_TRUE(store_->Update(*id, u).ok());
  ASSERT_TRUE(store_->Supersede(*id, Req("white tea at dawn")).ok());
  for (const auto& [kind, text] : Take()) {
    EXPECT_EQ(kind, EmbedKind::kPassage) << text;
  }

  SearchRequest s;
  s.query = "tea";
  s.context = {"u", "", "", ""};
  ASSERT_TRUE(store_->Search(s).ok());
  RecordingEmbedder::Calls calls = Take();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].first, EmbedKind::kQuery);
  EXPECT_EQ(calls[0].second, "tea");

  // Text-only searches embed nothing.
  s.mode = SearchMode::kText;
  ASSERT_TRUE(store_->Search(s).ok());
  EXPECT_TRUE(Take().empty());
}

TEST_F(EmbedKindTest, TheEmbeddingCacheHoldsQueriesUnderTheirKind) {
  // The same text saved (a passage) and then searched in two contexts: the first
  // search embeds it as a query, the second is answered by the embedding cache.
  ASSERT_TRUE(store_->Save(Req("tea")).ok());
  Take();
  SearchRequest s;
  s.query = "tea";
  s.context = {"u", "s1", "", ""};
  auto first = store_->Search(s);
  ASSERT_TRUE(first.ok());
  s.context = {"u", "s2", "", ""};
  auto second = store_->Search(s);
  ASSERT_TRUE(second.ok());
  RecordingEmbedder::Calls calls = Take();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].first, EmbedKind::kQuery);
  ASSERT_EQ(first->size(), 1u);
  ASSERT_EQ(second->size(), 1u);
  // The query vector is not the passage's: cosine below 1 for identical text.
  EXPECT_LT(first->front().vector_score, 0.999);
  EXPECT_DOUBLE_EQ(first->front().vector_score, second->front().vector_score);
  StoreStats st = std::move(store_->Stats({})).value();
  EXPECT_EQ(st.embed_cache_hits, 1);
}

}  // namespace
}  // namespace stratamem
