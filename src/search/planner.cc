#include "search/planner.h"

#include <algorithm>

namespace memstrata {

VectorPlan PlanVectorSearch(const PlanInput& in) {
  VectorPlan plan;
  if (in.backend == VectorBackend::kExact || in.candidate_rows == 0 || in.index_rows == 0) return plan;
  double share = std::min(1.0, static_cast<double>(in.candidate_rows) / static_cast<double>(in.index_rows));
  if (in.backend == VectorBackend::kAuto && (in.candidate_rows < kExactMaxRows || share < kMinHnswShare)) {
    return plan;
  }
  plan.use_hnsw = true;
  // usearch's walk keeps `ef` ACCEPTED candidates and walks through rejected
  // nodes without counting them, so a small share lengthens the walk by
  // itself (that is the cost kMinHnswShare bounds); ef need not grow with it.
  plan.ef = std::max(static_cast<size_t>(std::max(in.ef_search, 1)), in.depth);
  return plan;
}

}  // namespace memstrata
