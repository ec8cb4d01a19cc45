// Dedup on save, versions (update / supersede / history) and as-of search.
#include <gtest/gtest.h>

#include <atomic>

#include "stratamem/stratamem.h"
#include "test_util.h"

namespace stratamem {
namespace {

using test::ManualEnv;

class VersionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    OpenOptions o;
    o.db_path = test::TempDir() + "/v.db";
    o.env = &env_;
    path_ = o.db_path;
    EmbedderOptions eo;
    eo.backend = EmbedderBackend::kHash;
    eo.dimension = 128;
    store_ = std::move(MemoryStore::Open(o, std::move(NewEmbedder(eo)).value())).value();
  }
  SaveOutcome SaveAs(const std::string& content, const std::string& agent, double importance = 0.5,
                     Scope scope = Scope::kUser, const std::string& session = "") {
    SaveRequest r;
    r.content = content;
    r.scope = scope;
    r.context = {"u", session, agent, ""};
    r.importance = importance;
    auto out = store_->SaveDetailed({r});
    EXPECT_TRUE(out.ok()) << out.status().ToString();
    return out.ok() ? out->front() : SaveOutcome{};
  }
  std::vector<std::string> Contents(const std::string& q, int64_t as_of = 0) {
    SearchRequest r;
    r.query = q;
    r.context = {"u", "", "", ""};
    r.as_of = as_of;
    auto res = store_->Search(r);
    EXPECT_TRUE(res.ok()) << res.status().ToString();
    std::vector<std::string> out;
    for (auto& x : *res) out.push_back(x.record.content);
    return out;
  }
  ManualEnv env_;
  std::string path_;
  std::unique_ptr<MemoryStore> store_;
};

TEST_F(VersionsTest, SameFactFromTwoAgentsIsOneMemoryWithBothSources) {
  SaveOutcome a = SaveAs("Project uses uv, not pip", "claude", 0.4);
  env_.now += 1000;
  SaveOutcome b = SaveAs("  project USES uv, not pip ", "codex", 0.8);  // same normalised text
  EXPECT_FALSE(a.merged);
  EXPECT_TRUE(b.merged);
  EXPECT_EQ(a.id, b.id);
  auto rec = store_->Get(a.id);
  EXPECT_EQ(rec->sources, (std::vector<std::string>{"claude", "codex"}));
  EXPECT_EQ(rec->seen_count, 2);
  EXPECT_DOUBLE_EQ(rec->importance, 0.8);
  EXPECT_EQ(rec->last_seen_at, env_.now.load());
  EXPECT_EQ(store_->Stats({})->total, 1);
}

TEST_F(VersionsTest, NearDuplicatesMergeButDifferentScopesDoNot) {
  SaveOutcome a = SaveAs("the deploy runs on friday afternoons", "claude");
  SaveOutcome b = SaveAs("The deploy runs on Friday afternoons!", "claude");  // same words: cosine 1
  EXPECT_TRUE(b.merged);
  EXPECT_EQ(a.id, b.id);
  SaveOutcome c = SaveAs("the deploy runs on friday afternoons", "claude", 0.5, Scope::kSession, "s1");
  EXPECT_FALSE(c.merged);  // a session-level fact is another scope
  SaveOutcome d = SaveAs("completely unrelated words here", "claude");
  EXPECT_FALSE(d.merged);
  SaveRequest no_dedup;
  no_dedup.content = "the deploy runs on friday afternoons";
  no_dedup.context = {"u", "", "", ""};
  no_dedup.dedup = false;
  EXPECT_FALSE(store_->SaveDetailed({no_dedup})->front().merged);
}

TEST_F(VersionsTest, BatchDedupsAgainstItself) {
  SaveRequest r;
  r.content = "likes green tea";
  r.context = {"u", "", "", ""};
  auto out = store_->SaveDetailed({r, r, r});
  ASSERT_TRUE(out.ok());
  EXPECT_FALSE((*out)[0].merged);
  EXPECT_TRUE((*out)[1].merged);
  EXPECT_TRUE((*out)[2].merged);
  EXPECT_EQ(store_->Stats({})->total, 1);
  EXPECT_EQ(store_->Get((*out)[0].id)->seen_count, 3);
}

TEST_F(VersionsTest, UpdateKeepsIdAndHistoryAndLeavesSearchAtOnce) {
  SaveOutcome a = SaveAs("lives in Berlin", "claude");
  int64_t t_berlin = env_.now;
  env_.now += 1'000'000;
  UpdateRequest up;
  up.content = "lives in Lisbon";
  auto v2 = store_->Update(a.id, up);
  ASSERT_TRUE(v2.ok()) << v2.status().ToString();
  EXPECT_EQ(v2->id, a.id);
  EXPECT_EQ(v2->version, 2);
  EXPECT_EQ(Contents("lives in"), std::vector<std::string>{"lives in Lisbon"});
  EXPECT_EQ(Contents("lives in", t_berlin), std::vector<std::string>{"lives in Berlin"});
  auto hist = store_->History(a.id);
  ASSERT_EQ(hist->size(), 2u);
  EXPECT_EQ((*hist)[0].content, "lives in Berlin");
  EXPECT_EQ((*hist)[0].valid_to, env_.now.load());
  EXPECT_EQ((*hist)[1].valid_to, 0);
  EXPECT_EQ(store_->Get(a.id)->content, "lives in Lisbon");
  EXPECT_TRUE(store_->Verify().ok());
}

TEST_F(VersionsTest, SupersedeRetiresTheOldMemory) {
  SaveOutcome a = SaveAs("prefers pip", "claude");
  int64_t before = env_.now;
  env_.now += 1'000'000;
  SaveRequest rep;
  rep.content = "prefers uv";
  auto new_id = store_->Supersede(a.id, rep);
  ASSERT_TRUE(new_id.ok()) << new_id.status().ToString();
  EXPECT_NE(*new_id, a.id);
  EXPECT_EQ(Contents("prefers"), std::vector<std::string>{"prefers uv"});
  EXPECT_EQ(Contents("prefers", before), std::vector<std::string>{"prefers pip"});
  auto old = store_->Get(a.id);
  EXPECT_EQ(old->superseded_by, *new_id);
  auto hist = store_->History(*new_id);
  ASSERT_EQ(hist->size(), 2u);
  EXPECT_EQ((*hist)[0].id, a.id);
  EXPECT_EQ(store_->Get(*new_id)->source_agent, "claude");  // inherited with the scope
  // The retired memory cannot be changed again.
  EXPECT_EQ(store_->Supersede(a.id, rep).status().code(), Status::Code::kInvalidArgument);
  EXPECT_EQ(store_->Update("nope", {"x"}).status().code(), Status::Code::kNotFound);
  // Deleting removes every version.
  ASSERT_TRUE(store_->Delete(a.id).ok());
  EXPECT_EQ(store_->History(a.id).status().code(), Status::Code::kNotFound);
}

TEST_F(VersionsTest, VersionsSurviveReopenAndAnotherConnectionSeesThem) {
  SaveOutcome a = SaveAs("uses vim", "claude");
  OpenOptions o;
  o.db_path = path_;
  EmbedderOptions eo;
  eo.backend = EmbedderBackend::kHash;
  eo.dimension = 128;
  auto other = std::move(MemoryStore::Open(o, std::move(NewEmbedder(eo)).value())).value();
  SearchRequest r;
  r.query = "uses";
  r.context = {"u", "", "", ""};
  ASSERT_EQ(other->Search(r)->size(), 1u);
  env_.now += 10;
  ASSERT_TRUE(store_->Update(a.id, {"uses emacs"}).ok());
  auto res = other->Search(r);  // the other connection drops the retired version
  ASSERT_EQ(res->size(), 1u);
  EXPECT_EQ((*res)[0].record.content, "uses emacs");
  EXPECT_TRUE(other->Verify().ok());
}

}  // namespace
}  // namespace stratamem
