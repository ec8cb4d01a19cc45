// Small pure functions: hashing, UTF-8 checks, FTS query building, rank fusion.
#include <gtest/gtest.h>

#include "fts/fts_query.h"
#include "search/fusion.h"
#include "util/sha256.h"
#include "util/utf8.h"

namespace stratamem {
namespace {

TEST(Sha256Test, KnownVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Sha256Hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Utf8Test, Validation) {
  EXPECT_TRUE(IsValidUtf8("plain ascii"));
  EXPECT_TRUE(IsValidUtf8("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80"));
  size_t at = 99;
  EXPECT_FALSE(IsValidUtf8("ab\xc0\xaf", &at));  // overlong '/'
  EXPECT_EQ(at, 2u);
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));     // surrogate
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // > U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xe6\x97"));          // truncated
}

TEST(Utf8Test, BlankAndNormalisation) {
  EXPECT_TRUE(IsBlank(" \t\r\n\xe3\x80\x80"));  // includes U+3000 ideographic space
  EXPECT_FALSE(IsBlank(" x "));
  EXPECT_EQ(NormalizeForHash("  Hello   WORLD \n"), "hello world");
  EXPECT_EQ(NormalizeForHash("Cafe\xcc\x81"), NormalizeForHash("caf\xc3\xa9"));  // NFD == NFC
}

TEST(FtsQueryTest, QuotesWordsAndNeutralisesSyntax) {
  EXPECT_EQ(BuildFtsQuery("package manager?"), "\"package\" OR \"manager\"");
  EXPECT_EQ(BuildFtsQuery("a\" OR NEAR(x y) content:*"),
            "\"NEAR\" OR \"x\" OR \"y\" OR \"content\"");  // "a", "OR": stopwords
  EXPECT_EQ(BuildFtsQuery("What is the name of Ana's dog?"), "\"name\" OR \"Ana\" OR \"dog\"");
  EXPECT_EQ(BuildFtsQuery("what is it"), "\"what\" OR \"is\" OR \"it\"");  // nothing else: kept
  EXPECT_EQ(BuildFtsQuery("!!! ..."), "");
  EXPECT_EQ(BuildFtsQuery("uv uv uv"), "\"uv\"");
}

TEST(FtsQueryTest, UserQueryMatchesTheStoredUserKey) {
  // The store indexes 'u' || hex(user_id) (SQLite's hex: upper case UTF-8 bytes).
  EXPECT_EQ(UserKeyToken("alice"), "u616C696365");
  EXPECT_EQ(UserKeyToken("\xc3\xbc b"), "uC3BC2062");
  EXPECT_EQ(UserFtsQuery("bob", "\"tea\" OR \"cup\""), "user_key : \"u626F62\" AND content : (\"tea\" OR \"cup\")");
}

TEST(FusionTest, ScoreFusionKeepsTheTextMargin) {
  // Vector prefers 1 slightly; BM25 prefers 2 by a wide margin. RRF would tie
  // them (each first once, second once); score fusion ranks 2 first. Text
  // scores are fractions of the query's attainable BM25 (clipped at 1).
  std::vector<RankedHit> vec{{1, 0.60}, {2, 0.55}};
  std::vector<RankedHit> text{{2, 1.4}, {1, 0.1}, {3, 0.05}};
  auto cos_of = [](int64_t seq, float* c) {
    if (seq != 3) return false;
    *c = -0.2f;  // negative cosines count as 0
    return true;
  };
  auto fused = FuseScores(vec, text, FusionOptions{}, cos_of);
  ASSERT_EQ(fused.size(), 3u);
  EXPECT_EQ(fused[0].seq, 2);
  EXPECT_NEAR(fused[0].score, 0.5 * 0.55 + 0.5 * 1.0, 1e-9);
  EXPECT_NEAR(fused[1].score, 0.5 * 0.60 + 0.5 * 0.1, 1e-9);
  EXPECT_NEAR(fused[2].vector_score, -0.2, 1e-6);
  EXPECT_NEAR(fused[2].score, 0.5 * 0.05, 1e-9);
  auto rrf = FuseRanks(vec, text, FusionOptions{});
  EXPECT_DOUBLE_EQ(rrf[0].score, rrf[1].score);
  FusionOptions text_only;
  text_only.use_vector = false;
  auto t = FuseScores(vec, text, text_only, cos_of);
  EXPECT_DOUBLE_EQ(t[0].score, 1.0);
  EXPECT_DOUBLE_EQ(t[1].score, 0.1);
}

TEST(FusionTest, NoMatchScoresLowWhateverTheQueryBest) {
  // The old rule divided by the query's best BM25, so a lone weak match got
  // the full text half; on the attainable scale it keeps its small share.
  std::vector<RankedHit> vec{{1, 0.1}};
  std::vector<RankedHit> text{{1, 0.08}};
  auto fused = FuseScores(vec, text, FusionOptions{}, [](int64_t, float*) { return false; });
  EXPECT_NEAR(fused[0].score, 0.5 * 0.1 + 0.5 * 0.08, 1e-9);
}

TEST(FusionTest, CosineOnTheModelsScale) {
  // A model whose unrelated texts score 0.75: 0.75 maps to 0, 0.875 to 0.5, 1 to 1.
  EXPECT_DOUBLE_EQ(CalibratedCosine(0.75, 0.75), 0.0);
  EXPECT_DOUBLE_EQ(CalibratedCosine(0.70, 0.75), 0.0);
  EXPECT_DOUBLE_EQ(CalibratedCosine(0.875, 0.75), 0.5);
  EXPECT_DOUBLE_EQ(CalibratedCosine(1.0, 0.75), 1.0);
  EXPECT_DOUBLE_EQ(CalibratedCosine(-0.3, 0.0), 0.0);
  std::vector<RankedHit> vec{{1, 0.9}, {2, 0.8}};
  FusionOptions o;
  o.cosine_floor = 0.75;
  auto fused = FuseScores(vec, {}, o, [](int64_t, float*) { return false; });
  EXPECT_NEAR(fused[0].score, 0.5 * 0.6, 1e-9);
  EXPECT_NEAR(fused[1].score, 0.5 * 0.2, 1e-9);
  EXPECT_EQ(CalibrationFor("no-such-model").cosine_floor, 0.0);
}

TEST(FusionTest, CalibrationByModelNameHubIdOrInt8) {
  // The store's model id may be the short name, the Hugging Face id or the
  // int8 variant's: all three find the measured model.
  ModelCalibration e5 = CalibrationFor("e5-small-v2");
  EXPECT_GT(e5.cosine_floor, 0.5);  // e5's unrelated texts score ~0.73
  EXPECT_EQ(CalibrationFor("intfloat/e5-small-v2").cosine_floor, e5.cosine_floor);
  EXPECT_EQ(CalibrationFor("e5-small-v2-int8").vector_weight, e5.vector_weight);
  EXPECT_LT(CalibrationFor("all-MiniLM-L6-v2").cosine_floor, 0.2);
  EXPECT_NE(CalibrationFor("BAAI/bge-small-en-v1.5").cosine_floor, CalibrationFor("x").cosine_floor);
  EXPECT_EQ(CalibrationFor("-int8").cosine_floor, 0.0);
}

TEST(FusionTest, ReciprocalRankFusion) {
  std::vector<RankedHit> vec{{1, 0.9}, {2, 0.8}, {3, 0.1}};
  std::vector<RankedHit> text{{2, 5.0}, {4, 1.0}};
  auto fused = FuseRanks(vec, text, FusionOptions{});
  ASSERT_EQ(fused.size(), 4u);
  EXPECT_EQ(fused[0].seq, 2);  // ranked by both signals
  EXPECT_EQ(fused[0].vector_rank, 2);
  EXPECT_EQ(fused[0].text_rank, 1);
  EXPECT_DOUBLE_EQ(fused[0].text_score, 5.0);
  double norm = 2.0 / 61.0;
  EXPECT_NEAR(fused[0].score, (1.0 / 62 + 1.0 / 61) / norm, 1e-12);
  EXPECT_EQ(fused[1].seq, 1);  // rank 1 vector beats rank 2 text on tie-break by vector score
  FusionOptions only_vector;
  only_vector.use_text = false;
  auto v = FuseRanks(vec, {}, only_vector);
  EXPECT_DOUBLE_EQ(v[0].score, 1.0);
}

}  // namespace
}  // namespace stratamem

#include "store/dedup.h"

namespace stratamem {
namespace {

TEST(DedupTextTest, NearlySameWordsAndSameNumbers) {
  EXPECT_TRUE(SameWordsNearly("The deploy runs on Friday!", "the deploy runs on friday"));
  EXPECT_TRUE(SameWordsNearly("I prefer Python for backend work", "I prefer Python for backend development"));
  EXPECT_FALSE(SameWordsNearly("Fact number 1 about tomatoes", "Fact number 2 about tomatoes"));
  EXPECT_FALSE(SameWordsNearly("meeting at 3pm", "meeting at 4pm"));
  EXPECT_FALSE(SameWordsNearly("Project uses uv, not pip", "Project uses pip, not uv"));
  EXPECT_FALSE(SameWordsNearly("likes tea", "dislikes coffee strongly"));
}

}  // namespace
}  // namespace stratamem
