// The full-text signal's score: BM25 as a fraction of what the query can attain.
//
// FTS5's bm25() is unbounded and its scale depends on the query, so the engine
// used to divide it by the query's best hit: the best word match got half the
// fused score even when it matched one common word. `stratamem_match()`, an
// FTS5 auxiliary function registered on the store's connection, returns
//
//   match(d) = bm25(d) / attainable(q)
//   attainable(q) = sum over the query's phrases of idf(p)
//
// i.e. the score of a memory holding each query word once, at average length
// (a word no memory holds counts too, at its idf for zero rows: the store
// cannot answer that part of the question):
// a memory matching one common word of a four-word question scores about its
// share of the query's information, one matching every word scores ~1 (a
// short memory or repeated words a little more; fusion clips at 1). The
// BM25 itself is FTS5's (k1 = 1.2, b = 0.75, idf = log((N - n + 0.5) / (n + 0.5))
// floored at 1e-6; lengths count every column, as bm25() does, so the one
// user_key token per row adds 1 to each), matches in the content column only.
//
//   SELECT ..., stratamem_match(memories_fts, first_phrase) FROM memories_fts WHERE memories_fts MATCH ...
//
// `first_phrase` is the index of the query's first content phrase: phrases
// before it (the user_key narrowing, fts_query.h) are matched but not scored.
#ifndef STRATAMEM_FTS_FTS_RANK_H_
#define STRATAMEM_FTS_FTS_RANK_H_

#include <sqlite3.h>

#include "stratamem/status.h"

namespace stratamem {

inline constexpr char kFtsMatchFunction[] = "stratamem_match";

// Registers stratamem_match() on `db` (once per connection).
Status RegisterFtsRank(sqlite3* db);

// BM25's term-frequency part for one phrase, FTS5's constants.
double Bm25Term(double idf, double tf, double doc_len, double avg_len);
// FTS5's idf for a phrase found in `rows_with` of `rows` rows.
double Bm25Idf(double rows, double rows_with);

}  // namespace stratamem

#endif  // STRATAMEM_FTS_FTS_RANK_H_
