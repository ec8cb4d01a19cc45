// VectorCache: the in-memory copy of every stored vector, with the scope keys
// needed to filter by visibility BEFORE ranking (a user's memories are never
// crowded out by other users'). Derived from SQLite and rebuilt from it; never
// the source of truth.
//
// Identical vectors share one HNSW node (issue 9). A graph with exact
// duplicates fills their neighbour lists with each other (distance 0 passes
// usearch's pruning), so a cluster of duplicates becomes an island the walk
// cannot enter: 84 of 480 verbatim queries missed over 20,480 rows of 40
// texts. The index holds one representative per distinct vector (the first
// row added with it); the walk accepts a representative when any member of
// its group is acceptable to the viewer, and a hit expands to those members.
//
// Not thread-safe: the store guards it with its mutex.
#ifndef STRATAMEM_VECTOR_VECTOR_CACHE_H_
#define STRATAMEM_VECTOR_VECTOR_CACHE_H_

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "stratamem/scope.h"
#include "vector/dot.h"
#include "vector/hnsw_index.h"

namespace stratamem {

// Interned scope ids: 0 means "not given"; kUnknownKey is a given id that no
// stored row carries (it matches nothing).
inline constexpr uint32_t kUnknownKey = 0xFFFFFFFFu;

struct ScopeKeys {
  uint8_t scope = 0;  // Scope as int
  uint32_t user = 0, session = 0, agent = 0, turn = 0;
};

struct VectorHit {
  int64_t seq;
  float score;
};

class VectorCache {
 public:
  VectorCache() = default;
  VectorCache(const VectorCache&) = delete;
  VectorCache& operator=(const VectorCache&) = delete;

  // Drops every row. The HNSW index is kept when the dimension is unchanged
  // (a reload re-adds the same rows; ReconcileAnn() then drops what is gone).
  void Reset(int dimension);
  int dimension() const { return dim_; }
  size_t size() const { return seqs_.size(); }
  int64_t max_seq() const { return max_seq_; }
  bool Contains(int64_t seq) const { return row_of_.count(seq) > 0; }
  // Inner product of row `seq` with `query`; false when the row is not cached.
  bool Similarity(int64_t seq, const float* query, float* out) const {
    auto it = row_of_.find(seq);
    if (it == row_of_.end()) return false;
    *out = Dot(query, &data_[static_cast<size_t>(it->second) * dim_], static_cast<size_t>(dim_));
    return true;
  }
  // The cached vector of row `seq` (dimension() floats), or nullptr.
  const float* Row(int64_t seq) const {
    auto it = row_of_.find(seq);
    return it == row_of_.end() ? nullptr : &data_[static_cast<size_t>(it->second) * dim_];
  }
  // The rows of one user (an upper bound of what a viewer of that user sees).
  size_t UserRows(uint32_t user) const {
    auto it = by_user_.find(user);
    return it == by_user_.end() ? 0 : it->second.size();
  }
  // The held seqs summarised like HnswState (count, max seq, order-free hash).
  HnswState State() const { return {seqs_.size(), max_seq_, seq_hash_}; }
  // The same over the representatives: what a complete index must hold.
  HnswState RepState() const { return {members_.size(), rep_max_seq_, rep_hash_}; }
  bool IsRep(int64_t seq) const { return members_.count(seq) > 0; }
  // Rows the index answers for (the members of the representatives it holds).
  size_t AnnRows() const;

  // The approximate index, when built or loaded. Add/Remove keep it in step.
  const HnswIndex* ann() const { return ann_.get(); }
  // Builds the index over every row (bulk, `threads` threads).
  Status BuildAnn(const HnswParams& params, int threads);
  // Adopts a loaded index and brings it in step with the rows: adds the rows
  // it lacks, removes the seqs no longer held. Returns how many it changed.
  Result<size_t> AdoptAnn(std::unique_ptr<HnswIndex> index);
  Result<size_t> ReconcileAnn();
  void DropAnn() { ann_.reset(); }
  // True when rows changed since the index was last saved or loaded.
  bool ann_dirty() const { return ann_dirty_; }
  void MarkAnnSaved() { ann_dirty_ = false; }
  void MarkAnnDirty() { ann_dirty_ = true; }

  // Interns the ids of a stored row.
  ScopeKeys KeysForRow(Scope scope, const ScopeContext& ctx);
  // Looks up a viewer's ids without interning (unknown ids match nothing).
  ScopeKeys KeysForViewer(const ScopeContext& ctx) const;

  void Add(int64_t seq, const ScopeKeys& keys, const float* vec);
  void Remove(int64_t seq);

  // The top `k` rows visible to `viewer` by inner product with `query`, best
  // first. `accept(seq, keys)` can narrow further (metadata filters); it is a template
  // callable so the scan makes no virtual call per candidate.
  template <typename Accept>
  std::vector<VectorHit> Search(const float* query, const ScopeKeys& viewer, size_t k,
                                Accept&& accept) const;
  // The same through the HNSW index (requires ann()): visibility and `accept`
  // are checked for each node the graph walk would return, and the hits are
  // re-scored exactly from the float32 rows. `ef` is the walk's candidate list.
  template <typename Accept>
  std::vector<VectorHit> SearchAnn(const float* query, const ScopeKeys& viewer, size_t k, size_t ef,
                                   Accept&& accept) const;

 private:
  static bool Visible(const ScopeKeys& row, const ScopeKeys& viewer);
  static uint64_t HashVector(const float* vec, int dim);
  uint32_t Intern(const std::string& s);
  void AddToGroup(int64_t seq, const float* vec);
  void RemoveFromGroup(int64_t seq);
  uint32_t Lookup(const std::string& s) const;

  int dim_ = 0;
  int64_t max_seq_ = 0;
  std::vector<float> data_;          // size() * dim_ floats, row-major
  std::vector<int64_t> seqs_;        // row -> seq
  std::vector<ScopeKeys> keys_;      // row -> keys
  std::unordered_map<int64_t, uint32_t> row_of_;                 // seq -> row
  std::unordered_map<uint32_t, std::vector<uint32_t>> by_user_;  // user key -> rows
  std::unordered_map<std::string, uint32_t> interned_;
  uint64_t seq_hash_ = 0;               // sum of SeqHash over held seqs
  std::unique_ptr<HnswIndex> ann_;      // optional; derived like the rows
  bool ann_dirty_ = false;
  // Groups of identical vectors (see the top of this file).
  std::unordered_map<int64_t, std::vector<int64_t>> members_;       // representative -> its rows, itself first
  std::unordered_map<int64_t, int64_t> rep_of_;                     // row seq -> its representative
  std::unordered_map<uint64_t, std::vector<int64_t>> reps_by_hash_;  // vector hash -> representatives
  uint64_t rep_hash_ = 0;
  int64_t rep_max_seq_ = 0;
};

inline bool VectorCache::Visible(const ScopeKeys& row, const ScopeKeys& v) {
  if (row.user != v.user || v.user == 0) return false;
  switch (row.scope) {
    case 0: return true;
    case 1: return v.session != 0 && row.session == v.session;
    case 2: return v.session != 0 && row.session == v.session && v.agent != 0 && row.agent == v.agent;
    case 3: return v.session != 0 && row.session == v.session && v.turn != 0 && row.turn == v.turn;
    default: return false;
  }
}

template <typename Accept>
std::vector<VectorHit> VectorCache::Search(const float* query, const ScopeKeys& viewer, size_t k,
                                           Accept&& accept) const {
  std::vector<VectorHit> heap;  // min-heap on score: the worst kept hit on top
  if (k == 0) return heap;
  auto it = by_user_.find(viewer.user);
  if (it == by_user_.end()) return heap;
  heap.reserve(k + 1);
  auto worse = [](const VectorHit& a, const VectorHit& b) { return a.score > b.score; };
  for (uint32_t row : it->second) {
    if (!Visible(keys_[row], viewer)) continue;
    int64_t seq = seqs_[row];
    if (!accept(seq, keys_[row])) continue;
    float s = Dot(query, &data_[static_cast<size_t>(row) * dim_], static_cast<size_t>(dim_));
    if (heap.size() < k) {
      heap.push_back({seq, s});
      std::push_heap(heap.begin(), heap.end(), worse);
    } else if (s > heap.front().score) {
      std::pop_heap(heap.begin(), heap.end(), worse);
      heap.back() = {seq, s};
      std::push_heap(heap.begin(), heap.end(), worse);
    }
  }
  std::sort_heap(heap.begin(), heap.end(), worse);  // best first
  return heap;
}

template <typename Accept>
std::vector<VectorHit> VectorCache::SearchAnn(const float* query, const ScopeKeys& viewer, size_t k, size_t ef,
                                              Accept&& accept) const {
  struct Ctx {
    const VectorCache* self;
    const ScopeKeys* viewer;
    std::remove_reference_t<Accept>* accept;
  };
  Ctx ctx{this, &viewer, &accept};
  auto acceptable = [](const Ctx* x, int64_t seq) {
    auto it = x->self->row_of_.find(seq);
    if (it == x->self->row_of_.end()) return false;
    const ScopeKeys& keys = x->self->keys_[it->second];
    return Visible(keys, *x->viewer) && (*x->accept)(seq, keys);
  };
  AnnFilter filter = [](const void* c, int64_t rep) {
    const Ctx* x = static_cast<const Ctx*>(c);
    auto group = x->self->members_.find(rep);
    if (group == x->self->members_.end()) return false;  // a tombstone the index still walks through
    for (int64_t seq : group->second) {
      auto it = x->self->row_of_.find(seq);
      if (it == x->self->row_of_.end()) continue;
      const ScopeKeys& keys = x->self->keys_[it->second];
      if (Visible(keys, *x->viewer) && (*x->accept)(seq, keys)) return true;
    }
    return false;
  };
  std::vector<VectorHit> out;
  for (const AnnHit& h : ann_->Search(query, k, ef, filter, &ctx)) {
    uint32_t row = row_of_.at(h.seq);
    float score = Dot(query, &data_[static_cast<size_t>(row) * dim_], static_cast<size_t>(dim_));
    for (int64_t seq : members_.at(h.seq)) {
      if (acceptable(&ctx, seq)) out.push_back({seq, score});  // identical vectors: one score
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const VectorHit& a, const VectorHit& b) { return a.score > b.score; });
  if (out.size() > k) out.resize(k);
  return out;
}

}  // namespace stratamem

#endif  // STRATAMEM_VECTOR_VECTOR_CACHE_H_
