// Fusion of the vector and full-text result lists into one ranking.
//
// Score fusion (the default, FuseScores), each signal on its calibrated scale
// (search/calibration.h):
//   score(d) = (w_v * vector(d) + w_t * min(1, match(d))) / (w_v + w_t)
//   vector(d) = clip((cos(d) - floor_m) / (1 - floor_m), 0, 1)
// over the signals in play. match(d) is BM25 as a fraction of the query's
// attainable score (fts/fts_rank.h), 0 for a memory the full-text search did
// not match; cos(d) is known for every candidate (the caller scores text-only
// hits against the query vector too). Both scales are absolute, so a query
// that matches nothing well scores low: the relevance floor means the same
// for every query and model.
//
// Reciprocal rank fusion (FuseRanks):
//   fused(d) = sum over lists L where d appears: w_L / (k + rank_L(d))
//   score(d) = fused(d) / sum over lists L in play: w_L / (k + 1)
// so a memory ranked first by every signal in play scores 1.0. k = 60
// (Cormack et al. 2009).
#ifndef STRATAMEM_SEARCH_FUSION_H_
#define STRATAMEM_SEARCH_FUSION_H_

#include <cstdint>
#include <vector>

#include "search/calibration.h"

namespace stratamem {

struct RankedHit {
  int64_t seq;
  double score;  // the signal's own score (cosine, BM25 relevance)
};

struct FusedHit {
  int64_t seq;
  double score;          // normalised fused score in [0, 1]
  double vector_score;   // 0 when absent from the vector list
  double text_score;     // match(d), 0 when absent from the text list
  int vector_rank;       // 1-based, 0 when absent
  int text_rank;         // 1-based, 0 when absent
};

struct FusionOptions {
  double k = 60;
  double vector_weight = 0.5;
  double text_weight = 0.5;
  double cosine_floor = 0;    // the model's (search/calibration.h)
  bool use_vector = true;
  bool use_text = true;
};

// Lists are best first. Ties on the fused score are broken by vector score,
// then by text score, then by recency (higher seq first), so results are
// deterministic.
std::vector<FusedHit> FuseRanks(const std::vector<RankedHit>& vector_hits,
                                const std::vector<RankedHit>& text_hits, const FusionOptions& options);

// `cosine_of(seq, &cos)` gives the cosine of a text hit that is not in
// `vector_hits` (false when unknown: then 0).
template <typename CosineOf>
std::vector<FusedHit> FuseScores(const std::vector<RankedHit>& vector_hits,
                                 const std::vector<RankedHit>& text_hits, const FusionOptions& options,
                                 CosineOf&& cosine_of);

// Shared by both fusions: ranks and raw scores per candidate, then sorted.
std::vector<FusedHit> CollectHits(const std::vector<RankedHit>& vector_hits,
                                  const std::vector<RankedHit>& text_hits);
void SortFused(std::vector<FusedHit>* hits);

template <typename CosineOf>
std::vector<FusedHit> FuseScores(const std::vector<RankedHit>& vector_hits,
                                 const std::vector<RankedHit>& text_hits, const FusionOptions& options,
                                 CosineOf&& cosine_of) {
  std::vector<FusedHit> hits = CollectHits(vector_hits, text_hits);
  double wv = options.use_vector ? options.vector_weight : 0;
  double wt = options.use_text ? options.text_weight : 0;
  double norm = wv + wt > 0 ? wv + wt : 1;
  for (FusedHit& h : hits) {
    if (h.vector_rank == 0 && wv > 0) {
      float cos = 0;
      if (cosine_of(h.seq, &cos)) h.vector_score = cos;
    }
    double v = wv > 0 ? CalibratedCosine(h.vector_score, options.cosine_floor) : 0;
    double t = h.text_score < 1 ? h.text_score : 1;
    h.score = (wv * v + wt * t) / norm;
  }
  SortFused(&hits);
  return hits;
}

}  // namespace stratamem

#endif  // STRATAMEM_SEARCH_FUSION_H_
