// Options, one struct per kind of operation, defaults written here so fields
// can be added without breaking callers.
#ifndef STRATAMEM_OPTIONS_H_
#define STRATAMEM_OPTIONS_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "stratamem/embedder.h"
#include "stratamem/graph.h"
#include "stratamem/scope.h"

namespace stratamem {

class Env;

enum class VectorBackend : int {
  kAuto = 0,   // per query: exact scan for a small visible set, HNSW for a large one (search/planner.h)
  kExact = 1,  // always the exact scan over the visible set; no index is built
  kHnsw = 2,   // always HNSW (built on open if missing); still filtered by scope during the walk
};

// How the HNSW index stores its copy of each vector. Hits are re-scored from
// the float32 rows either way; compact kinds shrink the index (f16: half, i8:
// a quarter of its vector bytes) at some recall cost (docs/benchmarks.md).
enum class IndexScalar : int { kF32 = 0, kF16 = 1, kI8 = 2 };

enum class Durability : int {
  kFull = 0,    // fsync on every commit: an acknowledged write survives power loss
  kNormal = 1,  // WAL without fsync per commit: survives a process crash, not power loss
};

struct OpenOptions {
  std::string db_path = "stratamem.db";  // ":memory:" for a private in-memory store
  bool create_if_missing = true;
  bool read_only = false;
  Durability durability = Durability::kFull;
  int busy_timeout_ms = 10000;            // wait this long for another process's write lock
  size_t max_content_bytes = 32 * 1024;   // larger content is rejected (InvalidArgument)
  // Dedup on save: a new fact whose normalised text equals a current memory at
  // the same scope level and scope ids, or whose cosine similarity with it is at
  // least this AND which says it in nearly the same words with the same numbers
  // (src/store/dedup.h), is merged into it. > 1 disables near-duplicate merging.
  double dedup_threshold = 0.95;
  VectorBackend vector_backend = VectorBackend::kAuto;
  int vector_dimension = 0;               // 0: the embedder's; otherwise must equal it
  // HNSW parameters (the index is saved next to the store as `<db_path>.hnsw`;
  // a sidecar built with other m / ef_construction is rebuilt).
  int hnsw_m = 16;
  int hnsw_ef_construction = 200;
  int hnsw_ef_search = 64;
  IndexScalar hnsw_scalar = IndexScalar::kF32;  // a sidecar of another kind is rebuilt
  // Two LRU caches of cache_max_size entries each: search results (dropped
  // exactly by writes their viewer can see, and after 60 s) and query
  // embeddings. Hit rates are in Stats(). 0 or cache_enabled = false: off.
  bool cache_enabled = true;
  size_t cache_max_size = 1000;
  // The graph (docs/graph.md): find entities in memories saved without inline
  // ones (the native extractor); graph expansion in searches is off unless a
  // search or the store asks (SearchRequest::include_graph): on LoCoMo it did
  // not raise recall yet and it costs 10x search latency at 10k memories.
  bool graph_extract = true;
  bool graph_search = false;
  Env* env = nullptr;                     // nullptr: Env::Default()
};

struct SaveRequest {
  std::string content;
  Scope scope = Scope::kUser;
  ScopeContext context;        // ids; those `scope` needs are required
  std::string source_agent;    // provenance; defaults to context.agent_id
  double importance = 0.5;     // 0..1
  std::string metadata_json;   // "" or a JSON object
  bool dedup = true;           // merge into an existing equal / near-equal memory
  // The graph: entities and relations the fact names (added to what the
  // extractor finds), and when the fact holds in the world (unix
  // microseconds, 0 = unknown; store time is the versions' own).
  std::vector<EntityInput> entities;
  std::vector<RelationInput> relations;
  int64_t world_from = 0;
  int64_t world_to = 0;
};

// Update(): a new version of the same memory (same id).
struct UpdateRequest {
  std::string content;
  double importance = -1;      // < 0: keep the current importance
  std::string metadata_json;   // "": keep the current metadata
  // Inline graph of the new version (the extractor reads its content again;
  // the old version keeps its own).
  std::vector<EntityInput> entities;
  std::vector<RelationInput> relations;
};

enum class SearchMode : int { kHybrid = 0, kVector = 1, kText = 2 };

// SearchRequest::vector_weight / text_weight: use the model's calibrated weights.
inline constexpr double kModelWeights = -1;

// Whether a search uses graph expansion: the store's default
// (OpenOptions::graph_search), or on / off for this search.
enum class GraphSignal : int { kStoreDefault = -1, kOff = 0, kOn = 1 };

// How hybrid search combines its two signals (docs/architecture.md, "Fusion").
enum class FusionMethod : int {
  kScore = 0,  // weighted sum of the calibrated cosine and BM25 / the query's attainable BM25
  kRrf = 1,    // reciprocal rank fusion (ranks only)
};

struct SearchRequest {
  std::string query;
  ScopeContext context;        // user_id required
  int top_k = 10;
  double min_score = 0;        // drop results whose fused score is lower
  SearchMode mode = SearchMode::kHybrid;
  FusionMethod fusion = FusionMethod::kScore;
  // kScore weights (any scale >= 0, not both 0; normalised). Both negative
  // (the default): the weights calibrated for the store's embedding model
  // (docs/architecture.md, "Fusion").
  double vector_weight = kModelWeights;
  double text_weight = kModelWeights;
  // Metadata equality filters: key -> JSON value text ("\"alice\"", "3", "true").
  std::vector<std::pair<std::string, std::string>> metadata_equals;
  // Restrict to these scope levels (empty: all visible levels).
  std::vector<Scope> scopes;
  // Unix microseconds: answer as the store stood then (versions current at
  // that moment). 0: now.
  int64_t as_of = 0;
  // Ranking signals scaling the fused relevance (src/search/ranking.h):
  // score = relevance * ((1 - sum of these) + recency_weight * recency
  //         + importance_weight * importance + access_weight * access).
  // min_score applies to relevance. All three 0: rank by relevance alone.
  double recency_weight = 0.1;
  double importance_weight = 0.1;
  double access_weight = 0.05;
  double recency_half_life_days = 30;  // recency halves every this many days since last stated
  // MMR diversity in [0, 1): 0 ranks by score alone; d > 0 picks each next
  // result by (1 - d) * score - d * (its highest cosine with those picked).
  double diversity = 0;
  // Graph expansion as a third signal (search/graph_signal.h): memories
  // around the entities the query names, fused as
  // relevance = (1 - graph_weight) * fused + graph_weight * graph score.
  GraphSignal include_graph = GraphSignal::kStoreDefault;
  double graph_weight = 0.3;
  // World time: only what was believed to hold at this moment (unix
  // microseconds, 0: no such filter). Superseded memories whose world
  // interval contains it count; see docs/format.md, "Time".
  int64_t valid_at = 0;
};

struct ListRequest {
  // user_id required when visible_only; narrower ids narrow the list. With
  // visible_only = false and no user_id, every memory in the store (export).
  ScopeContext context;
  // When true, list exactly what a search from `context` would see; when false,
  // list every memory of the user saved with the given ids (an admin view).
  bool visible_only = true;
  std::vector<Scope> scopes;   // empty: all levels
  int limit = 0;               // 0: no limit
  int offset = 0;
  bool include_history = false;  // also past versions (export); default current only
};

}  // namespace stratamem

#endif  // STRATAMEM_OPTIONS_H_
