// MemoryStore: one SQLite file holding memories, their full-text index and their
// vectors, plus an in-memory vector cache derived from it.
//
// Thread-safety: a MemoryStore may be used from many threads at once; calls are
// serialised internally where they touch the connection. Several processes may
// open the same file: SQLite's locking (WAL) keeps writers safe, and each store
// picks up the others' writes before it answers a search.
#ifndef STRATAMEM_STORE_H_
#define STRATAMEM_STORE_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "stratamem/embedder.h"
#include "stratamem/export.h"
#include "stratamem/graph.h"
#include "stratamem/options.h"
#include "stratamem/record.h"
#include "stratamem/status.h"

namespace stratamem {

class STRATAMEM_EXPORT MemoryStore {
 public:
  // Opens (creating and migrating when needed) the store at options.db_path.
  // The embedder must match the store: a store created with one model refuses
  // another model's vectors (DimensionMismatch / InvalidArgument).
  static Result<std::unique_ptr<MemoryStore>> Open(const OpenOptions& options,
                                                   std::unique_ptr<Embedder> embedder);
  virtual ~MemoryStore();
  MemoryStore(const MemoryStore&) = delete;
  MemoryStore& operator=(const MemoryStore&) = delete;

  // Saves one memory and returns its id once the transaction has committed.
  // A duplicate of a current memory (see OpenOptions::dedup_threshold) is
  // merged into it and that memory's id is returned.
  Result<std::string> Save(const SaveRequest& request);
  // Saves many in one transaction (embedding in batches): all or nothing.
  Result<std::vector<std::string>> SaveBatch(const std::vector<SaveRequest>& requests);
  // Save and SaveBatch, saying for each whether it was merged.
  virtual Result<std::vector<SaveOutcome>> SaveDetailed(const std::vector<SaveRequest>& requests) = 0;
  // Saves with a vector the caller computed (import, tests). Its length must be
  // the store's dimension; it is normalised before storing.
  virtual Result<std::string> SaveWithVector(const SaveRequest& request,
                                             const std::vector<float>& vector) = 0;
  // Restores an exported record (one version) as it was: id, version, timestamps
  // and provenance kept. `vector` may be null (the content is embedded again).
  // Returns false, changing nothing, when that id and version already exist.
  virtual Result<bool> Import(const MemoryRecord& record, const std::vector<float>* vector) = 0;

  // Writes a new version of memory `id` (same id, version + 1); the old version
  // leaves search results at once and stays in History(). Returns the new version.
  virtual Result<MemoryRecord> Update(const std::string& id, const UpdateRequest& request) = 0;
  // Retires memory `old_id` in favour of a new memory saved from `replacement`
  // (its scope and ids default to the old memory's when replacement.context.user_id
  // is empty). Returns the new memory's id.
  virtual Result<std::string> Supersede(const std::string& old_id, const SaveRequest& replacement) = 0;
  // Every version of `id` and of the memories it superseded, oldest first.
  virtual Result<std::vector<MemoryRecord>> History(const std::string& id) = 0;

  virtual Result<std::vector<SearchResult>> Search(const SearchRequest& request) = 0;
  // The current version, or the last one of a superseded memory.
  virtual Result<MemoryRecord> Get(const std::string& id) = 0;
  virtual Result<std::vector<MemoryRecord>> List(const ListRequest& request) = 0;
  // The stored vector of a memory (export, tests).
  virtual Result<std::vector<float>> GetVector(const std::string& id) = 0;
  virtual Status Delete(const std::string& id) = 0;
  // Deletes what is private to the narrowest id given: user only -> all of the
  // user's memories; +session -> session/agent/turn-level ones of that session;
  // +agent -> agent-level ones of that agent in that session; +turn -> turn-level
  // ones of that turn. Returns how many memories were deleted (a memory with
  // several versions counts once).
  virtual Result<int64_t> Clear(const ScopeContext& context) = 0;
  // The graph (stratamem/graph.h), read exactly as a search from the
  // query's context would see it.
  virtual Result<std::vector<Entity>> Entities(const EntityQuery& query) = 0;
  virtual Result<std::vector<Relation>> Relations(const RelationQuery& query) = 0;
  // Entities around one entity (one or two hops), with the paths and the
  // memories that name them; NotFound when the entity is not visible.
  virtual Result<std::vector<Neighbor>> Neighbors(const NeighborQuery& query) = 0;
  virtual Result<GraphSnapshot> Graph(const GraphReadOptions& options) = 0;

  // Counts for a user (context.user_id set, visible from context) or the whole store.
  virtual Result<StoreStats> Stats(const ScopeContext& context) = 0;
  // Runs SQLite's integrity check and compares the vector cache with the table.
  virtual Status Verify() = 0;

  virtual int dimension() const = 0;
  virtual Embedder* embedder() = 0;
  // Flushes and closes; later calls return IOError. Also done by the destructor.
  virtual Status Close() = 0;

 protected:
  MemoryStore() = default;
};

}  // namespace stratamem

#endif  // STRATAMEM_STORE_H_
