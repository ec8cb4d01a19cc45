// Ranking signals (recency, importance, access), their explanation, and MMR.
#include <gtest/gtest.h>

#include <cmath>

#include "stratamem/stratamem.h"
#include "search/ranking.h"
#include "test_util.h"

namespace stratamem {
namespace {

constexpr int64_t kDay = 86'400'000'000;

class RankingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = test::TempDir() + "/r.db";
    Open();
  }
  void Open() {
    OpenOptions o;
    o.db_path = path_;
    o.env = &env_;
    o.cache_enabled = false;  // every search ranks afresh here; the cache has its own tests
    store_.reset();
    store_ = std::move(MemoryStore::Open(o, test::HashEmbedder(64))).value();
  }
  std::string Save(const std::string& content, double importance = 0.5) {
    SaveRequest r;
    r.content = content;
    r.context.user_id = "u";
    r.importance = importance;
    r.dedup = false;
    return *store_->Save(r);
  }
  std::vector<SearchResult> Search(SearchRequest r) {
    r.context.user_id = "u";
    auto res = store_->Search(r);
    EXPECT_TRUE(res.ok()) << res.status().ToString();
    return res.ok() ? *res : std::vector<SearchResult>{};
  }
  static SearchRequest Query(const std::string& q) {
    SearchRequest r;
    r.query = q;
    return r;
  }
  test::ManualEnv env_;
  std::string path_;
  std::unique_ptr<MemoryStore> store_;
};

TEST(RankingSignalsTest, RecencyHalvesPerHalfLifeAndAccessSaturates) {
  EXPECT_DOUBLE_EQ(RecencySignal(10 * kDay, 10 * kDay, 30), 1.0);
  EXPECT_NEAR(RecencySignal(40 * kDay, 10 * kDay, 30), 0.5, 1e-12);
  EXPECT_NEAR(RecencySignal(70 * kDay, 10 * kDay, 30), 0.25, 1e-12);
  EXPECT_DOUBLE_EQ(RecencySignal(kDay, 2 * kDay, 30), 1.0);  // a clock behind the row: not in the future
  EXPECT_DOUBLE_EQ(AccessSignal(0), 0.0);
  EXPECT_NEAR(AccessSignal(1), 0.2, 1e-12);
  EXPECT_DOUBLE_EQ(AccessSignal(31), 1.0);
  EXPECT_DOUBLE_EQ(AccessSignal(1000), 1.0);
}

TEST_F(RankingTest, ScoreIsTheDocumentedSumAndTheExplanationShowsIt) {
  Save("the cat sleeps on the red sofa", 0.9);
  env_.now += 45 * kDay;
  auto res = Search(Query("cat sofa"));
  ASSERT_EQ(res.size(), 1u);
  const SearchResult& x = res[0];
  EXPECT_NEAR(x.recency, std::exp2(-45.0 / 30), 1e-9);
  EXPECT_DOUBLE_EQ(x.access, 0.0);  // first time returned
  EXPECT_NEAR(x.score, x.relevance * (0.75 + 0.1 * x.recency + 0.1 * 0.9 + 0.05 * x.access), 1e-12);
  EXPECT_NE(x.explanation.find(" = relevance "), std::string::npos) << x.explanation;
  EXPECT_NE(x.explanation.find("(45.0 days)"), std::string::npos) << x.explanation;
  EXPECT_NE(x.explanation.find("0.10 x importance 0.90"), std::string::npos) << x.explanation;
  char lead[16];
  std::snprintf(lead, sizeof lead, "%.4f =", x.score);
  EXPECT_EQ(x.explanation.rfind(lead, 0), 0u) << x.explanation;

  SearchRequest plain = Query("cat sofa");
  plain.recency_weight = plain.importance_weight = plain.access_weight = 0;
  auto rel = Search(plain);
  ASSERT_EQ(rel.size(), 1u);
  EXPECT_DOUBLE_EQ(rel[0].score, rel[0].relevance);
}

TEST_F(RankingTest, ImportanceAndRecencyBreakEqualRelevance) {
  // Same words, so the same relevance; only the signals differ.
  std::string old_important = Save("standup at nine every weekday", 1.0);
  env_.now += 200 * kDay;
  std::string fresh_minor = Save("standup at nine every weekday", 0.1);
  SearchRequest q = Query("standup weekday");
  q.recency_weight = 0;
  auto by_importance = Search(q);
  ASSERT_EQ(by_importance.size(), 2u);
  EXPECT_NEAR(by_importance[0].relevance, by_importance[1].relevance, 1e-9);
  EXPECT_EQ(by_importance[0].record.id, old_important);
  q = Query("standup weekday");
  q.importance_weight = 0;
  q.access_weight = 0;
  auto by_recency = Search(q);
  ASSERT_EQ(by_recency.size(), 2u);
  EXPECT_EQ(by_recency[0].record.id, fresh_minor);
}

TEST_F(RankingTest, MinScoreAppliesToRelevanceNotToTheSignals) {
  Save("quarterly tax filing deadline", 0.0);
  env_.now += 90 * kDay;
  SearchRequest q = Query("quarterly tax");
  auto all = Search(q);
  ASSERT_EQ(all.size(), 1u);
  q.min_score = (all[0].score + all[0].relevance) / 2;
  ASSERT_LT(all[0].score, q.min_score);  // old and unimportant: the signals scale it below the bar...
  EXPECT_EQ(Search(q).size(), 1u);       // ...but the bar is on relevance
  q.min_score = all[0].relevance + 0.01;
  EXPECT_TRUE(Search(q).empty());
}

TEST_F(RankingTest, SignalsDoNotLiftAPoorMatchOverAGoodOne) {
  std::string good = Save("we use uv as the package manager for python", 0.0);
  Save("coffee with oat milk every morning at the cafe near the package station", 1.0);
  env_.now += 365 * kDay;  // the good match is also old
  Save("filler note one");  // fresh, unrelated
  auto res = Search(Query("package manager python"));
  ASSERT_FALSE(res.empty());
  EXPECT_EQ(res[0].record.id, good);
  for (const auto& x : res) EXPECT_LE(x.score, x.relevance + 1e-12);
}

TEST_F(RankingTest, AccessCountsGrowWithSearchesAndSurviveReopen) {
  std::string id = Save("the wifi password is on the fridge");
  for (int i = 0; i < 3; ++i) Search(Query("wifi password"));
  auto res = Search(Query("wifi password"));
  ASSERT_EQ(res.size(), 1u);
  EXPECT_EQ(res[0].record.access_count, 3);  // the three before this one
  EXPECT_NEAR(res[0].access, AccessSignal(3), 1e-12);
  Open();  // close writes the pending counts
  auto got = store_->Get(id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->access_count, 4);
  EXPECT_EQ(got->last_accessed_at, env_.now.load());
  // A write transaction also writes them.
  Search(Query("wifi password"));
  Save("unrelated memory about gardening");
  EXPECT_EQ(store_->Get(id)->access_count, 5);
  // A new version keeps the count.
  UpdateRequest u;
  u.content = "the wifi password is in the drawer";
  ASSERT_TRUE(store_->Update(id, u).ok());
  EXPECT_EQ(store_->Get(id)->access_count, 5);
}

TEST_F(RankingTest, DiversityPicksADifferentMemoryOverANearCopy) {
  std::string a = Save("paris trip booked for may flights and hotel");
  std::string b = Save("paris trip booked for may flights and hotel!");  // a near copy
  std::string c = Save("paris museum tickets bought");
  SearchRequest q = Query("paris trip booked");
  q.top_k = 2;
  auto plain = Search(q);
  ASSERT_EQ(plain.size(), 2u);
  EXPECT_NE(plain[1].record.id, c);  // by score the near copy comes second
  q.diversity = 0.7;
  auto diverse = Search(q);
  ASSERT_EQ(diverse.size(), 2u);
  EXPECT_EQ(diverse[0].record.id, plain[0].record.id);
  EXPECT_EQ(diverse[1].record.id, c);
  (void)a;
  (void)b;
}

TEST_F(RankingTest, InvalidRankingParametersAreRejected) {
  Save("anything at all");
  for (auto bad : {+[](SearchRequest* r) { r->recency_weight = -0.1; },
                   +[](SearchRequest* r) { r->importance_weight = 1.5; },
                   +[](SearchRequest* r) { r->recency_weight = 0.5; r->importance_weight = 0.5; },
                   +[](SearchRequest* r) { r->recency_half_life_days = 0; },
                   +[](SearchRequest* r) { r->diversity = 1.0; },
                   +[](SearchRequest* r) { r->diversity = std::nan(""); }}) {
    SearchRequest r = Query("anything");
    r.context.user_id = "u";
    bad(&r);
    EXPECT_EQ(store_->Search(r).status().code(), Status::Code::kInvalidArgument);
  }
}

}  // namespace
}  // namespace stratamem
