// stratamem._core.Store and the value types it speaks (requests, records,
// results, stats). A thin layer: every engine call runs with the GIL released
// and its Status goes through ThrowStatus (errors_bindings.cc) once the GIL is
// held again. Python objects are only touched with the GIL held.
#include <nanobind/nanobind.h>
#include <nanobind/stl/pair.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/unique_ptr.h>
#include <nanobind/stl/vector.h>

#include <memory>
#include <optional>
#include <type_traits>
#include <string>
#include <utility>
#include <vector>

#include "embed_holder.h"
#include "errors.h"
#include "store_handle.h"
#include "stratamem/stratamem.h"

namespace nb = nanobind;
using namespace nb::literals;

namespace stratamem::python {
namespace {

void BindValueTypes(nb::module_& m) {
  BindGraphTypes(m);  // SaveRequest carries inline entities and relations
  nb::enum_<Scope>(m, "Scope")
      .value("USER", Scope::kUser)
      .value("SESSION", Scope::kSession)
      .value("AGENT", Scope::kAgent)
      .value("TURN", Scope::kTurn);
  nb::enum_<SearchMode>(m, "SearchMode")
      .value("HYBRID", SearchMode::kHybrid)
      .value("VECTOR", SearchMode::kVector)
      .value("TEXT", SearchMode::kText);
  nb::enum_<FusionMethod>(m, "FusionMethod")
      .value("SCORE", FusionMethod::kScore)
      .value("RRF", FusionMethod::kRrf);
  nb::enum_<VectorBackend>(m, "VectorBackend")
      .value("AUTO", VectorBackend::kAuto)
      .value("EXACT", VectorBackend::kExact)
      .value("HNSW", VectorBackend::kHnsw);
  nb::enum_<IndexScalar>(m, "IndexScalar")
      .value("F32", IndexScalar::kF32)
      .value("F16", IndexScalar::kF16)
      .value("I8", IndexScalar::kI8);
  nb::enum_<Durability>(m, "Durability")
      .value("FULL", Durability::kFull)
      .value("NORMAL", Durability::kNormal);

  nb::class_<ScopeContext>(m, "ScopeContext", "Who and where; '' means not given.")
      .def(
          "__init__",
          [](ScopeContext* self, std::string user_id, std::string session_id, std::string agent_id,
             std::string turn_id) {
            new (self) ScopeContext{std::move(user_id), std::move(session_id), std::move(agent_id),
                                    std::move(turn_id)};
          },
          "user_id"_a = "", "session_id"_a = "", "agent_id"_a = "", "turn_id"_a = "")
      .def_rw("user_id", &ScopeContext::user_id)
      .def_rw("session_id", &ScopeContext::session_id)
      .def_rw("agent_id", &ScopeContext::agent_id)
      .def_rw("turn_id", &ScopeContext::turn_id);

  nb::class_<SaveRequest>(m, "SaveRequest")
      .def(
          "__init__",
          [](SaveRequest* self, std::string content, Scope scope, const ScopeContext& context,
             std::string source_agent, double importance, std::string metadata_json, bool dedup,
             std::vector<EntityInput> entities, std::vector<RelationInput> relations, int64_t world_from,
             int64_t world_to) {
            new (self) SaveRequest{std::move(content),  scope,
                                   context,            std::move(source_agent),
                                   importance,         std::move(metadata_json),
                                   dedup,              std::move(entities),
                                   std::move(relations), world_from,
                                   world_to};
          },
          "content"_a, "scope"_a, "context"_a, "source_agent"_a = "", "importance"_a = 0.5,
          "metadata_json"_a = "", "dedup"_a = true, "entities"_a = std::vector<EntityInput>(),
          "relations"_a = std::vector<RelationInput>(), "world_from"_a = 0, "world_to"_a = 0)
      .def_ro("content", &SaveRequest::content)
      .def_ro("scope", &SaveRequest::scope)
      .def_ro("context", &SaveRequest::context)
      .def_ro("source_agent", &SaveRequest::source_agent)
      .def_ro("importance", &SaveRequest::importance)
      .def_ro("metadata_json", &SaveRequest::metadata_json)
      .def_ro("dedup", &SaveRequest::dedup)
      .def_ro("entities", &SaveRequest::entities)
      .def_ro("relations", &SaveRequest::relations)
      .def_ro("world_from", &SaveRequest::world_from)
      .def_ro("world_to", &SaveRequest::world_to);

  nb::class_<SaveOutcome>(m, "SaveOutcome")
      .def_ro("id", &SaveOutcome::id)
      .def_ro("merged", &SaveOutcome::merged);

  nb::class_<MemoryRecord>(m, "MemoryRecord")
      .def_ro("id", &MemoryRecord::id)
      .def_ro("content", &MemoryRecord::content)
      .def_ro("scope", &MemoryRecord::scope)
      .def_ro("context", &MemoryRecord::context)
      .def_ro("source_agent", &MemoryRecord::source_agent)
      .def_ro("importance", &MemoryRecord::importance)
      .def_ro("created_at", &MemoryRecord::created_at)
      .def_ro("updated_at", &MemoryRecord::updated_at)
      .def_ro("content_hash", &MemoryRecord::content_hash)
      .def_ro("metadata_json", &MemoryRecord::metadata_json)
      .def_ro("version", &MemoryRecord::version)
      .def_ro("valid_from", &MemoryRecord::valid_from)
      .def_ro("valid_to", &MemoryRecord::valid_to)
      .def_ro("superseded_by", &MemoryRecord::superseded_by)
      .def_ro("sources", &MemoryRecord::sources)
      .def_ro("seen_count", &MemoryRecord::seen_count)
      .def_ro("last_seen_at", &MemoryRecord::last_seen_at)
      .def_ro("access_count", &MemoryRecord::access_count)
      .def_ro("last_accessed_at", &MemoryRecord::last_accessed_at)
      .def_ro("world_from", &MemoryRecord::world_from)
      .def_ro("world_to", &MemoryRecord::world_to);

  nb::class_<SearchResult>(m, "SearchResult")
      .def_ro("record", &SearchResult::record)
      .def_ro("score", &SearchResult::score)
      .def_ro("relevance", &SearchResult::relevance)
      .def_ro("recency", &SearchResult::recency)
      .def_ro("access", &SearchResult::access)
      .def_ro("explanation", &SearchResult::explanation)
      .def_ro("vector_score", &SearchResult::vector_score)
      .def_ro("text_score", &SearchResult::text_score)
      .def_ro("vector_rank", &SearchResult::vector_rank)
      .def_ro("text_rank", &SearchResult::text_rank)
      .def_ro("graph_score", &SearchResult::graph_score)
      .def_ro("graph_path", &SearchResult::graph_path);

  nb::class_<StoreStats>(m, "StoreStats")
      .def_ro("total", &StoreStats::total)
      .def_prop_ro("by_scope",
                   [](const StoreStats& s) {
                     return std::vector<int64_t>(std::begin(s.by_scope), std::end(s.by_scope));
                   })
      .def_ro("users", &StoreStats::users)
      .def_ro("db_size_bytes", &StoreStats::db_size_bytes)
      .def_ro("dimension", &StoreStats::dimension)
      .def_ro("embedder_model", &StoreStats::embedder_model)
      .def_ro("schema_version", &StoreStats::schema_version)
      .def_ro("ann_rows", &StoreStats::ann_rows)
      .def_ro("ann_source", &StoreStats::ann_source)
      .def_ro("ann_repaired_rows", &StoreStats::ann_repaired_rows)
      .def_ro("query_cache_hits", &StoreStats::query_cache_hits)
      .def_ro("query_cache_misses", &StoreStats::query_cache_misses)
      .def_ro("query_cache_entries", &StoreStats::query_cache_entries)
      .def_ro("query_cache_invalidations", &StoreStats::query_cache_invalidations)
      .def_ro("embed_cache_hits", &StoreStats::embed_cache_hits)
      .def_ro("embed_cache_misses", &StoreStats::embed_cache_misses)
      .def_ro("embed_cache_entries", &StoreStats::embed_cache_entries);
}

std::unique_ptr<StoreHandle> Open(const std::string& db_path, EmbedderHolder& embedder,
                                  Durability durability, size_t max_content_bytes,
                                  VectorBackend vector_backend, int vector_dimension, int hnsw_m,
                                  int hnsw_ef_construction, int hnsw_ef_search, IndexScalar hnsw_scalar,
                                  bool create_if_missing, bool read_only, int busy_timeout_ms,
                                  double dedup_threshold, bool cache_enabled, size_t cache_max_size,
                                  bool graph_extract, bool graph_search) {
  if (!embedder.embedder) {
    ThrowStatus(Status::InvalidArgument("this Embedder was already given to another store"));
  }
  OpenOptions options;
  options.db_path = db_path;
  options.create_if_missing = create_if_missing;
  options.read_only = read_only;
  options.durability = durability;
  options.busy_timeout_ms = busy_timeout_ms;
  options.max_content_bytes = max_content_bytes;
  options.vector_backend = vector_backend;
  options.vector_dimension = vector_dimension;
  options.hnsw_m = hnsw_m;
  options.hnsw_ef_construction = hnsw_ef_construction;
  options.hnsw_ef_search = hnsw_ef_search;
  options.hnsw_scalar = hnsw_scalar;
  options.dedup_threshold = dedup_threshold;
  options.cache_enabled = cache_enabled;
  options.cache_max_size = cache_max_size;
  options.graph_extract = graph_extract;
  options.graph_search = graph_search;
  // The store owns its embedder from here on, whether or not Open succeeds.
  std::unique_ptr<Embedder> owned = std::move(embedder.embedder);
  auto handle = std::make_unique<StoreHandle>();
  handle->store = Call([&] { return MemoryStore::Open(options, std::move(owned)); });
  return handle;
}

}  // namespace

void BindStore(nb::module_& m) {
  BindValueTypes(m);

  nb::class_<StoreHandle> store(m, "Store", "An open memory store (stratamem/store.h).");
  BindGraphMethods(store);
  store
      .def_static("open", &Open, "db_path"_a, "embedder"_a, nb::kw_only(),
                  "durability"_a = Durability::kFull, "max_content_bytes"_a = 32 * 1024,
                  "vector_backend"_a = VectorBackend::kAuto, "vector_dimension"_a = 0,
                  "hnsw_m"_a = 16, "hnsw_ef_construction"_a = 200, "hnsw_ef_search"_a = 64,
                  "hnsw_scalar"_a = IndexScalar::kF32,
                  "create_if_missing"_a = true, "read_only"_a = false,
                  "busy_timeout_ms"_a = 10000, "dedup_threshold"_a = 0.95, "cache_enabled"_a = true,
                  "cache_max_size"_a = 1000, "graph_extract"_a = true, "graph_search"_a = false)
      .def(
          "save",
          [](StoreHandle& h, const SaveRequest& request) {
            MemoryStore& s = Engine(h);
            return Call([&] { return s.Save(request); });
          },
          "request"_a)
      .def(
          "save_batch",
          [](StoreHandle& h, const std::vector<SaveRequest>& requests) {
            MemoryStore& s = Engine(h);
            return Call([&] { return s.SaveBatch(requests); });
          },
          "requests"_a)
      .def(
          "save_detailed",
          [](StoreHandle& h, const std::vector<SaveRequest>& requests) {
            MemoryStore& s = Engine(h);
            return Call([&] { return s.SaveDetailed(requests); });
          },
          "requests"_a)
      .def(
          "update",
          [](StoreHandle& h, const std::string& id, std::string content, double importance,
             std::string metadata_json, std::vector<EntityInput> entities, std::vector<RelationInput> relations) {
            MemoryStore& s = Engine(h);
            UpdateRequest request{std::move(content), importance, std::move(metadata_json), std::move(entities),
                                  std::move(relations)};
            return Call([&] { return s.Update(id, request); });
          },
          "id"_a, "content"_a, nb::kw_only(), "importance"_a = -1.0, "metadata_json"_a = "",
          "entities"_a = std::vector<EntityInput>(), "relations"_a = std::vector<RelationInput>())
      .def(
          "supersede",
          [](StoreHandle& h, const std::string& old_id, const SaveRequest& replacement) {
            MemoryStore& s = Engine(h);
            return Call([&] { return s.Supersede(old_id, replacement); });
          },
          "old_id"_a, "replacement"_a)
      .def(
          "history",
          [](StoreHandle& h, const std::string& id) {
            MemoryStore& s = Engine(h);
            return Call([&] { return s.History(id); });
          },
          "id"_a)
      .def(
          "search",
          [](StoreHandle& h, std::string query, const ScopeContext& context, int top_k,
             double min_score, SearchMode mode,
             std::vector<std::pair<std::string, std::string>> metadata_equals,
             std::vector<Scope> scopes, int64_t as_of, FusionMethod fusion, double recency_weight,
             double importance_weight, double access_weight, double recency_half_life_days, double diversity,
             GraphSignal include_graph, double graph_weight, int64_t valid_at) {
            MemoryStore& s = Engine(h);
            SearchRequest request;
            request.include_graph = include_graph;
            request.graph_weight = graph_weight;
            request.valid_at = valid_at;
            request.recency_weight = recency_weight;
            request.importance_weight = importance_weight;
            request.access_weight = access_weight;
            request.recency_half_life_days = recency_half_life_days;
            request.diversity = diversity;
            request.as_of = as_of;
            request.fusion = fusion;
            request.query = std::move(query);
            request.context = context;
            request.top_k = top_k;
            request.min_score = min_score;
            request.mode = mode;
            request.metadata_equals = std::move(metadata_equals);
            request.scopes = std::move(scopes);
            return Call([&] { return s.Search(request); });
          },
          "query"_a, "context"_a, nb::kw_only(), "top_k"_a = 10, "min_score"_a = 0.0,
          "mode"_a = SearchMode::kHybrid,
          "metadata_equals"_a = std::vector<std::pair<std::string, std::string>>(),
          "scopes"_a = std::vector<Scope>(), "as_of"_a = 0, "fusion"_a = FusionMethod::kScore,
          "recency_weight"_a = 0.1, "importance_weight"_a = 0.1, "access_weight"_a = 0.05,
          "recency_half_life_days"_a = 30.0, "diversity"_a = 0.0, "include_graph"_a = GraphSignal::kStoreDefault,
          "graph_weight"_a = 0.3, "valid_at"_a = 0)
      .def(
          "get",
          [](StoreHandle& h, const std::string& id) {
            MemoryStore& s = Engine(h);
            return Call([&] { return s.Get(id); });
          },
          "id"_a)
      .def(
          "list",
          [](StoreHandle& h, const ScopeContext& context, bool visible_only,
             std::vector<Scope> scopes, int limit, int offset, bool include_history) {
            MemoryStore& s = Engine(h);
            ListRequest request;
            request.include_history = include_history;
            request.context = context;
            request.visible_only = visible_only;
            request.scopes = std::move(scopes);
            request.limit = limit;
            request.offset = offset;
            return Call([&] { return s.List(request); });
          },
          "context"_a, nb::kw_only(), "visible_only"_a = true, "scopes"_a = std::vector<Scope>(),
          "limit"_a = 0, "offset"_a = 0, "include_history"_a = false)
      .def(
          "get_vector",
          [](StoreHandle& h, const std::string& id) {
            MemoryStore& s = Engine(h);
            return Call([&] { return s.GetVector(id); });
          },
          "id"_a)
      .def(
          "delete",
          [](StoreHandle& h, const std::string& id) {
            MemoryStore& s = Engine(h);
            Call([&] { return s.Delete(id); });
          },
          "id"_a)
      .def(
          "clear",
          [](StoreHandle& h, const ScopeContext& context) {
            MemoryStore& s = Engine(h);
            return Call([&] { return s.Clear(context); });
          },
          "context"_a)
      .def(
          "stats",
          [](StoreHandle& h, const ScopeContext& context) {
            MemoryStore& s = Engine(h);
            return Call([&] { return s.Stats(context); });
          },
          "context"_a)
      .def("verify",
           [](StoreHandle& h) {
             MemoryStore& s = Engine(h);
             Call([&] { return s.Verify(); });
           })
      .def("close",
           [](StoreHandle& h) {
             MemoryStore& s = Engine(h);
             Call([&] { return s.Close(); });
           })
      .def_prop_ro("dimension", [](StoreHandle& h) { return Engine(h).dimension(); })
      .def_prop_ro("embedder_model", [](StoreHandle& h) {
        Embedder* e = Engine(h).embedder();
        return e ? e->model_id() : std::string();
      });
}

}  // namespace stratamem::python
