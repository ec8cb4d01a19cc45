// The values the store hands back: memory records, search results, statistics.
#ifndef MEMSTRATA_RECORD_H_
#define MEMSTRATA_RECORD_H_

#include <cstdint>
#include <string>
#include <vector>

#include "memstrata/scope.h"

namespace memstrata {

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
};

struct SearchResult {
  MemoryRecord record;
  double score = 0;         // fused score in [0, 1] (see docs/architecture.md)
  double vector_score = 0;  // cosine similarity, or 0 when vector search did not rank it
  double text_score = 0;    // BM25 relevance (higher is better), 0 when FTS did not match
  int vector_rank = 0;      // 1-based rank in the vector list, 0 when absent
  int text_rank = 0;        // 1-based rank in the full-text list, 0 when absent
};

struct StoreStats {
  int64_t total = 0;                 // memories visible to the filter given (or all)
  int64_t by_scope[4] = {0, 0, 0, 0};  // indexed by Scope
  int64_t users = 0;                 // distinct user ids in the store
  int64_t db_size_bytes = 0;
  int dimension = 0;
  std::string embedder_model;
  int schema_version = 0;
};

}  // namespace memstrata

#endif  // MEMSTRATA_RECORD_H_
