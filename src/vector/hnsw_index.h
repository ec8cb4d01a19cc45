// HnswIndex: an approximate nearest-neighbour index (HNSW, from usearch) over
// the current memories' vectors, keyed by memories.seq. Derived from SQLite,
// like VectorCache: it can always be rebuilt from the table, and its sidecar
// file (`<db>.hnsw`, docs/format.md) only saves the rebuild on the next open.
//
// Filtering happens DURING the graph walk: the filter decides which visited
// nodes may enter the result list, while every node is still used to navigate,
// so a user's memories are never crowded out by other users' (they are found
// as long as the walk reaches them; the planner keeps HNSW for queries whose
// visible share is large enough for that, see search/planner.h).
//
// Deletes are tombstones (usearch marks the node and reuses its slot on the
// next insert), so there is no periodic rebuild to schedule.
//
// The usearch headers are included only by hnsw_index.cc (pimpl). The filter
// is a plain function pointer plus context, never a virtual call.
//
// Not thread-safe: the store guards it with its mutex.
#ifndef STRATAMEM_VECTOR_HNSW_INDEX_H_
#define STRATAMEM_VECTOR_HNSW_INDEX_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "stratamem/status.h"

namespace stratamem {

// How the index stores its copy of the vectors (the cache keeps float32 for
// exact re-scoring either way).
enum class HnswScalar : uint32_t { kF32 = 0, kF16 = 1, kI8 = 2 };

struct HnswParams {
  int dimension = 0;
  int m = 16;                 // neighbours per node (M0 = 2M at level 0)
  int ef_construction = 200;  // candidate list while inserting
  HnswScalar scalar = HnswScalar::kF32;
  // Which store the index belongs to (a hash of the store's id, see
  // docs/format.md): a sidecar copied from another store with the same
  // parameters is refused, not mistaken for a stale one of this store.
  uint32_t store_tag = 0;
};

// What the index reflects: the set of seqs it holds, summarised so a sidecar
// can be compared with the table without reading it row by row.
struct HnswState {
  uint64_t count = 0;
  int64_t max_seq = 0;
  uint64_t seq_hash = 0;  // sum of SeqHash(seq) over the held seqs (order-free)
};

// The per-seq term of HnswState::seq_hash (a 64-bit mix of the seq).
uint64_t SeqHash(int64_t seq);

struct AnnHit {
  int64_t seq;
  float score;  // inner product (cosine for unit vectors) as the index stores it
};

// Returns true when `seq` may be returned.
using AnnFilter = bool (*)(const void* ctx, int64_t seq);

class HnswIndex {
 public:
  static Result<std::unique_ptr<HnswIndex>> Create(const HnswParams& params);
  ~HnswIndex();
  HnswIndex(const HnswIndex&) = delete;
  HnswIndex& operator=(const HnswIndex&) = delete;

  const HnswParams& params() const { return params_; }
  const HnswState& state() const { return state_; }
  size_t size() const { return static_cast<size_t>(state_.count); }
  bool Contains(int64_t seq) const;

  // `vec` has params().dimension floats. Adding a present seq is a no-op.
  Status Add(int64_t seq, const float* vec);
  // Adds many with `threads` threads (a bulk build). Single-threaded once the
  // index may hold freed slots (see may_reuse_slots_).
  Status AddMany(const std::vector<int64_t>& seqs, const float* vecs, int threads);
  void Remove(int64_t seq);
  // Every seq held (for reconciling with the table).
  std::vector<int64_t> Seqs() const;

  // The best `k` accepted nodes found with a candidate list of `ef`, best first.
  std::vector<AnnHit> Search(const float* query, size_t k, size_t ef, AnnFilter filter, const void* ctx) const;

  // Writes the sidecar atomically (tmp file, fsync, rename).
  Status Save(const std::string& path) const;
  // Reads a sidecar. Corruption / NotFound / NotSupported when it is missing,
  // damaged, or was built with other parameters than `expected`.
  static Result<std::unique_ptr<HnswIndex>> Load(const std::string& path, const HnswParams& expected);

  size_t memory_bytes() const;

 private:
  struct Impl;
  explicit HnswIndex(const HnswParams& params);
  Status Reserve(size_t n);

  HnswParams params_;
  HnswState state_;
  std::unique_ptr<Impl> impl_;
  // usearch reuses a removed node's slot in place: the new vector is copied
  // over the old one while the node is still linked, so a concurrent add
  // walking through it reads a vector being written (a data race TSAN
  // reports). Set by Remove, and by Load when the sidecar carries freed slots.
  bool may_reuse_slots_ = false;
};

}  // namespace stratamem

#endif  // STRATAMEM_VECTOR_HNSW_INDEX_H_
