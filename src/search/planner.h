// The vector-search planner: for each query, an exact scan of the rows the
// viewer may see, or the HNSW index walked with a visibility filter.
//
// The exact scan costs one inner product per row of the viewer's user (the
// cache keeps a posting list per user), so it wins while that list is short;
// the filtered graph walk costs about ef / share node visits (share: the
// fraction of the index the viewer may see), so it wins for a large list that
// is a large share of the index. Both thresholds were measured on this
// project's reference machine (docs/architecture.md, "Planner").
#ifndef STRATAMEM_SEARCH_PLANNER_H_
#define STRATAMEM_SEARCH_PLANNER_H_

#include <cstddef>

#include "stratamem/options.h"

namespace stratamem {

// Below this many candidate rows the exact scan is as fast as HNSW (dim 384,
// viewer sees the whole index); a smaller share raises it (planner.cc).
inline constexpr size_t kExactMaxRows = 8000;
// Below this visible share of the index, the filtered walk visits too many
// invisible nodes to beat the exact scan of the visible ones.
inline constexpr double kMinHnswShare = 0.05;

struct PlanInput {
  VectorBackend backend = VectorBackend::kAuto;
  size_t candidate_rows = 0;  // rows the viewer may see (upper bound)
  size_t index_rows = 0;      // rows in the index (or in the cache if none)
  size_t depth = 50;          // hits wanted from the vector signal
  int ef_search = 64;         // OpenOptions::hnsw_ef_search
};

struct VectorPlan {
  bool use_hnsw = false;
  size_t ef = 0;              // the walk's candidate list when use_hnsw
};

VectorPlan PlanVectorSearch(const PlanInput& in);

}  // namespace stratamem

#endif  // STRATAMEM_SEARCH_PLANNER_H_
