#include "search/planner.h"

#include <algorithm>
#include <cmath>

namespace stratamem {

VectorPlan PlanVectorSearch(const PlanInput& in) {
  VectorPlan plan;
  if (in.backend == VectorBackend::kExact || in.candidate_rows == 0 || in.index_rows == 0) return plan;
  double share = std::min(1.0, static_cast<double>(in.candidate_rows) / static_cast<double>(in.index_rows));
  // The filtered walk gets slower as the visible share shrinks (measured: about
  // share^-1/3), the scan does not, so a narrower viewer needs more rows
  // before HNSW wins: 8,000 at share 1, ~17,000 at share 0.1.
  double needed = static_cast<double>(kExactMaxRows) / std::cbrt(share);
  if (in.backend == VectorBackend::kAuto &&
      (static_cast<double>(in.candidate_rows) < needed || share < kMinHnswShare)) {
    return plan;
  }
  plan.use_hnsw = true;
  // usearch's walk keeps `ef` ACCEPTED candidates and walks through rejected
  // nodes without counting them, so a small share lengthens the walk by
  // itself (that is the cost kMinHnswShare bounds); ef need not grow with it.
  plan.ef = std::max(static_cast<size_t>(std::max(in.ef_search, 1)), in.depth);
  return plan;
}

}  // namespace stratamem
