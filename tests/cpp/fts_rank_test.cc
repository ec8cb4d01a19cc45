// stratamem_match(): FTS5's BM25 divided by the query's attainable score,
// checked against SQLite's own bm25() and phrase counts on a real FTS5 table.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "fts/fts_rank.h"

namespace stratamem {
namespace {

class FtsRankTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(sqlite3_open(":memory:", &db_), SQLITE_OK);
    ASSERT_TRUE(RegisterFtsRank(db_).ok());
    Exec("CREATE VIRTUAL TABLE t USING fts5(content, user_key, tokenize='porter unicode61 remove_diacritics 2')");
    const char* docs[][2] = {
        {"the office moved to Berlin last week", "ua"},
        {"Alice prefers green tea in the morning", "ua"},
        {"Bob prefers coffee, strong coffee, every morning at the office", "ua"},
        {"the team deployed Kubernetes on bare metal", "ub"},
        {"green tea", "ub"},
        {"a sourdough starter needs feeding every day", "ua"},
    };
    for (auto& d : docs) Exec(std::string("INSERT INTO t VALUES('") + d[0] + "', '" + d[1] + "')");
  }
  void TearDown() override { sqlite3_close(db_); }

  void Exec(const std::string& sql) { ASSERT_EQ(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sql; }

  double Scalar(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sqlite3_errmsg(db_);
    double v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_double(st, 0) : NAN;
    sqlite3_finalize(st);
    return v;
  }

  // rowid -> (stratamem_match, bm25 relevance) for one MATCH.
  std::map<int64_t, std::pair<double, double>> Scores(const std::string& match, int first_phrase) {
    std::string sql = "SELECT rowid, stratamem_match(t, " + std::to_string(first_phrase) +
                      "), -bm25(t, 1.0, 0.0) FROM t WHERE t MATCH '" + match + "'";
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sqlite3_errmsg(db_);
    std::map<int64_t, std::pair<double, double>> out;
    while (sqlite3_step(st) == SQLITE_ROW) {
      out[sqlite3_column_int64(st, 0)] = {sqlite3_column_double(st, 1), sqlite3_column_double(st, 2)};
    }
    sqlite3_finalize(st);
    return out;
  }

  // The attainable score computed independently: FTS5's idf of each word,
  // from a count of the rows matching it (zero rows included).
  double Attainable(const std::vector<std::string>& words) {
    double rows = Scalar("SELECT count(*) FROM t");
    double sum = 0;
    for (const auto& w : words) {
      double with = Scalar("SELECT count(*) FROM t WHERE t MATCH 'content : \"" + w + "\"'");
      sum += Bm25Idf(rows, with);
    }
    return sum;
  }

  sqlite3* db_ = nullptr;
};

TEST_F(FtsRankTest, IsBm25OverTheAttainableScore) {
  auto scores = Scores("\"green\" OR \"tea\" OR \"morning\"", 0);
  ASSERT_EQ(scores.size(), 3u);
  double attainable = Attainable({"green", "tea", "morning"});
  ASSERT_GT(attainable, 0);
  for (const auto& [rowid, s] : scores) {
    EXPECT_NEAR(s.first * attainable, s.second, 1e-9) << "row " << rowid;
  }
}

TEST_F(FtsRankTest, WordsNoMemoryHoldsLowerTheScore) {
  // "zeppelin" is in no row: it still counts in what a full answer would
  // score, so every row scores less than for the query without it, by the
  // ratio of the two attainable scores.
  auto with = Scores("\"green\" OR \"tea\" OR \"zeppelin\"", 0);
  auto without = Scores("\"green\" OR \"tea\"", 0);
  ASSERT_EQ(with.size(), without.size());
  double ratio = Attainable({"green", "tea"}) / Attainable({"green", "tea", "zeppelin"});
  ASSERT_LT(ratio, 1);
  for (const auto& [rowid, s] : without) EXPECT_NEAR(with[rowid].first, s.first * ratio, 1e-12);
}

TEST_F(FtsRankTest, OneCommonWordScoresItsShareNotTheTop) {
  // Row 3 matches only "office" of "office in Berlin": well below a row
  // matching both, and below what dividing by the best hit would give it (1).
  auto s = Scores("\"office\" OR \"berlin\"", 0);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_GT(s[1].first, 0.8);   // "the office moved to Berlin": both words
  EXPECT_LT(s[3].first, 0.45);  // "... at the office": one of them
}

TEST_F(FtsRankTest, LeadingPhrasesBeforeFirstOnlyNarrow) {
  // The user_key narrowing (fts_query.h) is phrase 0 and is not scored.
  auto narrowed = Scores("user_key : \"ua\" AND content : (\"green\" OR \"tea\")", 1);
  auto plain = Scores("\"green\" OR \"tea\"", 0);
  ASSERT_EQ(narrowed.size(), 1u);  // row 5 ("green tea") belongs to ub
  EXPECT_NEAR(narrowed[2].first, plain[2].first, 1e-12);
}

TEST_F(FtsRankTest, RepeatsAndShortRowsMayExceedOne) {
  auto s = Scores("\"coffee\"", 0);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_GT(s[3].first, 1.0);  // "coffee" twice
}

}  // namespace
}  // namespace stratamem
