// SqliteStore: the embedded MemoryStore. SQLite holds records, vectors and the
// FTS5 index (one file, one transaction per write); VectorCache is derived
// from it and kept in step with other processes' writes via PRAGMA data_version.
#ifndef STRATAMEM_STORE_SQLITE_STORE_H_
#define STRATAMEM_STORE_SQLITE_STORE_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "cache/lru_cache.h"
#include "cache/query_cache.h"
#include "graph/inline_graph.h"
#include "graph/mention.h"
#include "stratamem/env.h"
#include "stratamem/store.h"
#include "search/calibration.h"
#include "search/fusion.h"
#include "search/graph_signal.h"
#include "search/planner.h"
#include "graph/graph_source.h"
#include "store/graph_writer.h"
#include "store/sqlite_graph_source.h"
#include "store/sqlite_db.h"
#include "store/time_sql.h"
#include "vector/vector_cache.h"

namespace stratamem {

class SqliteStore final : public MemoryStore {
 public:
  static Result<std::unique_ptr<MemoryStore>> Open(const OpenOptions& options,
                                                   std::unique_ptr<Embedder> embedder);
  ~SqliteStore() override;

  Result<std::vector<SaveOutcome>> SaveDetailed(const std::vector<SaveRequest>& requests) override;
  Result<std::string> SaveWithVector(const SaveRequest& request, const std::vector<float>& vector) override;
  Result<bool> Import(const MemoryRecord& record, const std::vector<float>* vector) override;
  Result<MemoryRecord> Update(const std::string& id, const UpdateRequest& request) override;
  Result<std::string> Supersede(const std::string& old_id, const SaveRequest& replacement) override;
  Result<std::vector<MemoryRecord>> History(const std::string& id) override;
  Result<std::vector<SearchResult>> Search(const SearchRequest& request) override;
  Result<MemoryRecord> Get(const std::string& id) override;
  Result<std::vector<MemoryRecord>> List(const ListRequest& request) override;
  Result<std::vector<float>> GetVector(const std::string& id) override;
  Status Delete(const std::string& id) override;
  Result<int64_t> Clear(const ScopeContext& context) override;
  Result<std::vector<Entity>> Entities(const EntityQuery& query) override;
  Result<std::vector<Relation>> Relations(const RelationQuery& query) override;
  Result<std::vector<Neighbor>> Neighbors(const NeighborQuery& query) override;
  Result<GraphSnapshot> Graph(const GraphReadOptions& options) override;
  Result<StoreStats> Stats(const ScopeContext& context) override;
  Status Verify() override;
  int dimension() const override;
  Embedder* embedder() override { return embedder_.get(); }
  Status Close() override;

 private:
  // A validated row ready to insert (every field of the record is written).
  struct PendingRow {
    MemoryRecord record;
    bool dedup = false;
    // Its graph rows: what the extractor found (outside the lock) and what was given.
    std::vector<graph::Mention> mentions;
    graph::InlineGraph inline_graph;
  };

  SqliteStore(const OpenOptions& options, std::unique_ptr<Embedder> embedder);
  Status Init();
  Status CheckModelLocked();
  Status CheckOpenLocked() const;
  Status SyncCacheLocked();
  Status LoadRowsLocked(int64_t after_seq);
  // The HNSW index (sqlite_store_ann.cc): the sidecar path ("" when none),
  // load-or-build on open, build on demand, save on close.
  std::string AnnPathLocked() const;
  HnswParams AnnParamsLocked() const;
  Status OpenAnnLocked();
  Status OpenFiles();  // Init without the error wording (takes mu_)
  Status BuildAnnLocked();
  // kAuto's first query that wants the index: build it on a thread of its own
  // from a separate read connection, queries meanwhile use the exact scan;
  // then adopt it (bringing it in step with writes made during the build).
  // A store without a file (":memory:") builds it here and now.
  Status StartAnnBuildLocked();
  // `start`: a partial index a closed process handed over (may be null).
  void BuildAnnInBackground(HnswParams params, std::unique_ptr<HnswIndex> start);
  std::string PartialAnnPathLocked() const;  // "<db>.hnsw.partial", or ""
  Status SaveAnnLocked();
  Status VerifyAnnLocked() const;
  Result<std::vector<std::vector<float>>> EmbedTexts(const std::vector<std::string>& texts);
  // Checks (and on first use records) the vector dimension.
  Status AcceptDimensionLocked(size_t n);
  // A pending row for a new memory from a validated request (metadata canonical).
  PendingRow NewRow(const SaveRequest& request, std::string metadata, int64_t now);
  // Inserts validated rows with their vectors in one transaction, merging
  // duplicates where a row asks for dedup.
  Result<std::vector<SaveOutcome>> InsertRows(std::vector<PendingRow>& rows,
                                              std::vector<std::vector<float>>& vectors);
  Status InsertRowLocked(const MemoryRecord& record, const std::vector<float>& vector, int64_t* seq);
  // The id of a current memory that `record` duplicates, or "".
  Result<std::string> FindDuplicateLocked(const MemoryRecord& record, const std::vector<float>& vector);
  Status MergeLocked(const std::string& id, const MemoryRecord& record, int64_t now);
  Status MergeGraphLocked(const std::string& id, const PendingRow& row, int64_t now);
  Result<std::vector<float>> EmbedNormalized(const std::string& text);
  using NextVersionFn = std::function<Status(const MemoryRecord& old, int64_t now, MemoryRecord* next)>;
  // `graph`: the new version's graph rows. `supersede`: the old memory's
  // facts stop holding (world_to closed) rather than being corrected.
  Result<MemoryRecord> ReplaceCurrent(const std::string& id, const std::vector<float>& vec,
                                      const NextVersionFn& make_next, const PendingRow& graph, bool supersede);
  // The extractor's mentions of `content` when the store extracts (outside the lock).
  std::vector<graph::Mention> Extract(const std::string& content) const;
  // A graph read's checks and the source it reads through (sqlite_store_graph.cc).
  Status CheckGraphRead(const GraphReadOptions& options) const;
  ReadTime ReadTimeOf(const GraphReadOptions& options) const { return {options.as_of, options.valid_at}; }
  // Search's graph signal (sqlite_store_graph_search.cc): whether the request
  // uses it, and the expansion from the entities its query names, narrowed
  // by its metadata and scope filters (`allowed`: the metadata filter's rows).
  bool UsesGraph(const SearchRequest& request) const;
  Result<std::vector<graph::GraphHit>> GraphHitsLocked(const SearchRequest& request,
                                                       const std::unordered_set<int64_t>* allowed);
  Result<std::vector<Entity>> EntitiesLocked(const GraphReadOptions& options, const std::vector<int64_t>& ids);
  Status SecondRingLocked(const NeighborQuery& query, SqliteGraphSource* source, std::vector<Neighbor>* out);
  // seq -> memory id for the rows' memory versions.
  Result<std::unordered_map<int64_t, std::string>> MemoryIdsLocked(const std::vector<graph::MentionRow>& rows);
  Result<Stmt> LatestVersionLocked(const std::string& select_from, const std::string& id);
  // The current version of `id` with its seq (NotFound when none is current).
  Result<std::pair<int64_t, MemoryRecord>> CurrentLocked(const std::string& id);
  Result<std::vector<RankedHit>> VectorHitsAsOfLocked(const SearchRequest& request, const std::vector<float>& query,
                                                      size_t depth);
  Result<std::unordered_set<int64_t>> FilteredSeqsLocked(const SearchRequest& request);
  // The two signals of a search (current versions; as_of uses VectorHitsAsOfLocked).
  Result<std::vector<RankedHit>> VectorHitsLocked(const SearchRequest& request, const std::vector<float>& query,
                                                  size_t depth, const std::unordered_set<int64_t>* allowed);
  Result<std::vector<RankedHit>> TextHitsLocked(const SearchRequest& request, size_t depth);
  // The planner's choice for a viewer of `user` wanting `depth` hits, when at
  // most `max_candidates` rows can qualify (metadata filters).
  VectorPlan PlanLocked(uint32_t user, size_t depth, size_t max_candidates = SIZE_MAX) const;
  Result<std::vector<MemoryRecord>> FetchBySeqLocked(const std::vector<int64_t>& seqs);
  // The query's vector, from the embedding cache when it has it.
  Result<std::vector<float>> EmbedQuery(const std::string& query);
  // Search's last step (sqlite_store_rank.cc): records for the best fused
  // candidates, ranking signals, MMR, explanations, access noted.
  // `graph`: the graph signal's marks per seq (score and path, for the explanation);
  // `verbatim`: seqs whose content is the query itself; they come first.
  Result<std::vector<SearchResult>> RankLocked(const SearchRequest& request, const std::vector<FusedHit>& fused,
                                               const std::unordered_map<int64_t, GraphMark>& graph,
                                               const std::unordered_set<int64_t>& verbatim = {});
  // The visible current memories whose text is the query (content hash), put
  // at the head of `fused` (added when the vector walk or BM25 missed them).
  Result<std::unordered_set<int64_t>> PromoteVerbatimLocked(const SearchRequest& request,
                                                             const std::unordered_set<int64_t>* allowed,
                                                             const std::vector<float>& query,
                                                             std::vector<FusedHit>* fused);
  Result<std::vector<float>> VectorOfSeqLocked(int64_t seq);
  void NoteAccessLocked(const std::vector<SearchResult>& results, int64_t now);
  // Writes the pending access counts; called inside write transactions and on close.
  Status FlushAccessLocked();
  // Every write transaction starts here: BEGIN IMMEDIATE, catch up with other
  // processes, write pending access counts.
  Result<std::unique_ptr<Transaction>> BeginWriteLocked();
  // Delete and Clear: deletes the rows `where` selects (`bind` fills its
  // parameters) and forgets them; returns how many memories (distinct ids:
  // the versions of one memory count once).
  Status LoadStoreTagLocked();
  Result<int64_t> DeleteWhere(const std::string& where, const std::function<void(Stmt*)>& bind);

  OpenOptions options_;
  Env* env_;
  std::unique_ptr<Embedder> embedder_;
  mutable std::mutex mu_;  // guards everything below
  std::unique_ptr<Db> db_;
  VectorCache cache_;
  int dim_ = 0;             // 0 until known (an HTTP embedder learns it on first use)
  ModelCalibration calibration_;  // the embedder's fusion parameters (search/calibration.h)
  int64_t data_version_ = -1;
  std::string ann_source_;  // see StoreStats::ann_source ("building" while the thread runs)
  std::thread ann_builder_;
  bool ann_building_ = false;
  std::atomic<bool> closing_{false};  // tells the builder to hand over what it has
  int64_t ann_repaired_ = 0;
  uint32_t store_tag_ = 0;  // HnswParams::store_tag, from meta "store_id"
  // Search hits not yet written to memories.access_count: id -> (count, last).
  std::unordered_map<std::string, std::pair<int64_t, int64_t>> pending_access_;
  std::unique_ptr<GraphWriter> graph_writer_;  // prepared statements on db_: reset before it
  QueryCache query_cache_;
  std::mutex embed_cache_mu_;  // the embedding cache is used outside mu_
  LruCache<std::vector<float>> embed_cache_;
};

}  // namespace stratamem

#endif  // STRATAMEM_STORE_SQLITE_STORE_H_
