// The values the store hands back: memory records, search results, statistics.
#ifndef STRATAMEM_RECORD_H_
#define STRATAMEM_RECORD_H_

#include <cstdint>
#include <string>
#include <vector>

#include "stratamem/scope.h"

namespace stratamem {

struct MemoryRecord {
  std::string id;             // stable, time-ordered (UUIDv7 text)
  std::string content;
  Scope scope = Scope::kUser;
  ScopeContext context;       // ids given at save time; `scope` decides who sees it
  std::string source_agent;   // provenance: the agent that wrote it ("" if none)
  double importance = 0.5;    // 0..1
  int64_t created_at = 0;     // unix microseconds (UTC)
  int64_t updated_at = 0;     // unix microseconds (UTC)
  std::string content_hash;   // hex sha256 of the normalised content
  std::string metadata_json = "{}";  // a JSON object
  // Versions: Update() keeps the id and adds a version; Supersede() retires the
  // memory in favour of a new one. Only current versions (valid_to == 0) are
  // searched, unless a search asks for a past moment (as_of).
  int version = 1;
  int64_t valid_from = 0;     // when this version became current
  int64_t valid_to = 0;       // when it stopped being current; 0 = current
  std::string superseded_by;  // id of the memory that replaced it, if any
  // Dedup: every agent that stated this fact, how often, and when last.
  std::vector<std::string> sources;
  int seen_count = 1;
  int64_t last_seen_at = 0;
  // How often a search returned it, and when last (the access ranking signal).
  // Counted in memory and written with the store's next write or on close.
  int64_t access_count = 0;
  int64_t last_accessed_at = 0;
  // World time: when the fact held, when known (0 = unknown / still holds).
  // A supersede closes world_to.
  int64_t world_from = 0;
  int64_t world_to = 0;
};

// What a save did.
struct SaveOutcome {
  std::string id;
  bool merged = false;  // true: the fact was already stored; `id` is the existing memory
};

struct SearchResult {
  MemoryRecord record;
  double score = 0;         // final score in [0, relevance]: relevance scaled by the signals below
  double relevance = 0;     // fused vector + BM25 score in [0, 1] (search/fusion.h)
  double recency = 0;       // 0.5 ^ (days since last stated / half-life)
  double access = 0;        // from record.access_count (search/ranking.h)
  std::string explanation;  // the score as the sum of its weighted terms
  double vector_score = 0;  // cosine similarity, or 0 when vector search did not rank it
  double text_score = 0;    // BM25 relevance (higher is better), 0 when FTS did not match
  int vector_rank = 0;      // 1-based rank in the vector list, 0 when absent
  int text_rank = 0;        // 1-based rank in the full-text list, 0 when absent
  double graph_score = 0;   // graph expansion, in [0, 1]; 0 when it did not reach the memory
  std::string graph_path;   // how it was reached: "Caroline (subject)", "Alice -[works_at]-> Acme (mention)"
};

struct StoreStats {
  int64_t total = 0;                 // memories visible to the filter given (or all)
  int64_t by_scope[4] = {0, 0, 0, 0};  // indexed by Scope
  int64_t users = 0;                 // distinct user ids in the store
  int64_t db_size_bytes = 0;
  int dimension = 0;
  std::string embedder_model;
  int schema_version = 0;
  // The approximate (HNSW) index: rows held (0 when not built), and where it
  // came from on open: "" (none), "built", "sidecar" (loaded as saved),
  // "repaired" (loaded, then brought in step with the table).
  int64_t ann_rows = 0;
  std::string ann_source;
  int64_t ann_repaired_rows = 0;   // rows added or removed by that repair
  // The caches since open (OpenOptions::cache_enabled): lookups that hit,
  // lookups that missed, entries held; query-cache entries dropped by writes.
  int64_t query_cache_hits = 0, query_cache_misses = 0, query_cache_entries = 0;
  int64_t query_cache_invalidations = 0;
  int64_t embed_cache_hits = 0, embed_cache_misses = 0, embed_cache_entries = 0;
};

}  // namespace stratamem

#endif  // STRATAMEM_RECORD_H_
