#include "fts/fts_rank.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

namespace stratamem {
namespace {

constexpr double kK1 = 1.2;
constexpr double kB = 0.75;
constexpr int kContentColumn = 0;  // memories_fts(content, user_key)
constexpr int kAllColumns = -1;    // lengths as bm25() counts them: every column

// Per statement: computed on the first row, kept as the query's aux data.
struct QueryStats {
  int first_phrase = 0;
  double avg_len = 1;
  std::vector<double> idf;   // per phrase; 0 for phrases not scored
  double attainable = 0;     // sum of idf over the scored phrases
};

int CountRow(const Fts5ExtensionApi*, Fts5Context*, void* count) {
  ++*static_cast<int64_t*>(count);
  return SQLITE_OK;
}

int ComputeStats(const Fts5ExtensionApi* api, Fts5Context* fts, int first_phrase, QueryStats* s) {
  s->first_phrase = first_phrase;
  sqlite3_int64 rows = 0, tokens = 0;
  int rc = api->xRowCount(fts, &rows);
  if (rc == SQLITE_OK) rc = api->xColumnTotalSize(fts, kAllColumns, &tokens);
  if (rc != SQLITE_OK) return rc;
  s->avg_len = rows > 0 && tokens > 0 ? static_cast<double>(tokens) / static_cast<double>(rows) : 1.0;
  int phrases = api->xPhraseCount(fts);
  s->idf.assign(static_cast<size_t>(std::max(phrases, 0)), 0.0);
  for (int p = first_phrase; p < phrases; ++p) {
    int64_t with = 0;  // rows holding the phrase: one pass over its doclist
    rc = api->xQueryPhrase(fts, p, &with, CountRow);
    if (rc != SQLITE_OK) return rc;
    // A word no memory holds still belongs to the question: it counts in what
    // a full answer would score (bench/recall: better on both sets than
    // counting only the words that occur).
    s->idf[static_cast<size_t>(p)] = Bm25Idf(static_cast<double>(rows), static_cast<double>(with));
    s->attainable += s->idf[static_cast<size_t>(p)];
  }
  return SQLITE_OK;
}

void MatchFunction(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* ctx, int argc,
                   sqlite3_value** argv) {
  int first_phrase = argc > 0 ? sqlite3_value_int(argv[0]) : 0;
  auto* stats = static_cast<QueryStats*>(api->xGetAuxdata(fts, 0));
  if (stats == nullptr) {
    auto owned = new QueryStats();  // owned by FTS5 from xSetAuxdata on
    int rc = ComputeStats(api, fts, first_phrase, owned);
    if (rc == SQLITE_OK) rc = api->xSetAuxdata(fts, owned, [](void* p) { delete static_cast<QueryStats*>(p); });
    else delete owned;
    if (rc != SQLITE_OK) return sqlite3_result_error_code(ctx, rc);
    stats = owned;
  }
  if (stats->attainable <= 0) return sqlite3_result_double(ctx, 0.0);
  int len = 0;
  int rc = api->xColumnSize(fts, kAllColumns, &len);
  if (rc != SQLITE_OK) return sqlite3_result_error_code(ctx, rc);
  std::vector<int> tf(stats->idf.size(), 0);
  int hits = 0;
  rc = api->xInstCount(fts, &hits);
  for (int i = 0; rc == SQLITE_OK && i < hits; ++i) {
    int phrase = 0, column = 0, offset = 0;
    rc = api->xInst(fts, i, &phrase, &column, &offset);
    if (rc == SQLITE_OK && column == kContentColumn && phrase >= 0 &&
        static_cast<size_t>(phrase) < tf.size()) {
      ++tf[static_cast<size_t>(phrase)];
    }
  }
  if (rc != SQLITE_OK) return sqlite3_result_error_code(ctx, rc);
  double score = 0;
  for (size_t p = 0; p < tf.size(); ++p) {
    if (tf[p] > 0 && stats->idf[p] > 0) score += Bm25Term(stats->idf[p], tf[p], len, stats->avg_len);
  }
  sqlite3_result_double(ctx, score / stats->attainable);
}

// The documented way to reach FTS5's C API: SELECT fts5(?1) with a bound pointer.
fts5_api* Fts5Api(sqlite3* db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr) == SQLITE_OK) {
    sqlite3_bind_pointer(stmt, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
    sqlite3_step(stmt);
  }
  sqlite3_finalize(stmt);
  return api;
}

}  // namespace

double Bm25Idf(double rows, double rows_with) {
  double idf = std::log((rows - rows_with + 0.5) / (rows_with + 0.5));
  return idf > 1e-6 ? idf : 1e-6;
}

double Bm25Term(double idf, double tf, double doc_len, double avg_len) {
  return idf * tf * (kK1 + 1) / (tf + kK1 * (1 - kB + kB * doc_len / avg_len));
}

Status RegisterFtsRank(sqlite3* db) {
  fts5_api* api = Fts5Api(db);
  if (api == nullptr || api->iVersion < 2) return Status::Internal("this SQLite has no FTS5 API");
  int rc = api->xCreateFunction(api, kFtsMatchFunction, nullptr, MatchFunction, nullptr);
  if (rc != SQLITE_OK) return Status::Internal("cannot register " + std::string(kFtsMatchFunction));
  return Status::OK();
}

}  // namespace stratamem
