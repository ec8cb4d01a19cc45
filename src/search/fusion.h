// Reciprocal rank fusion of the vector and full-text result lists.
//
//   fused(d) = sum over lists L where d appears: w_L / (k + rank_L(d))
//   score(d) = fused(d) / sum over lists L in play: w_L / (k + 1)
//
// so a memory ranked first by every signal in play scores 1.0 and the score is
// comparable across queries with the same mode. k = 60 (Cormack et al. 2009).
#ifndef MEMSTRATA_SEARCH_FUSION_H_
#define MEMSTRATA_SEARCH_FUSION_H_

#include <cstdint>
#include <vector>

namespace memstrata {

struct RankedHit {
  int64_t seq;
  double score;  // the signal's own score (cosine, BM25 relevance)
};

struct FusedHit {
  int64_t seq;
  double score;          // normalised fused score in [0, 1]
  double vector_score;   // 0 when absent from the vector list
  double text_score;     // 0 when absent from the text list
  int vector_rank;       // 1-based, 0 when absent
  int text_rank;         // 1-based, 0 when absent
};

struct FusionOptions {
  double k = 60;
  double vector_weight = 1.0;
  double text_weight = 1.0;
  bool use_vector = true;
  bool use_text = true;
};

// Lists are best first. Ties on the fused score are broken by vector score,
// then by recency (higher seq first), so results are deterministic.
std::vector<FusedHit> FuseRanks(const std::vector<RankedHit>& vector_hits,
                                const std::vector<RankedHit>& text_hits, const FusionOptions& options);

}  // namespace memstrata

#endif  // MEMSTRATA_SEARCH_FUSION_H_
