// Ranking: the fused relevance of a memory scaled by recency, importance and
// access signals, each in [0, 1], and MMR diversity over the ranked list.
//
//   score = relevance * ((1 - w_r - w_i - w_a)
//                        + w_r * recency + w_i * importance + w_a * access)
//   recency = 0.5 ^ (days since the memory was last stated / half-life)
//   access  = min(1, log2(1 + times it was returned by a search) / 5)
//
// relevance is the fused vector + BM25 score (search/fusion.h). The signals
// scale it by a factor in [1 - w_r - w_i - w_a, 1] (0.75..1 by default), so
// they reorder memories of similar relevance but cannot lift a poor match
// over a good one: an additive mix did, an important memory about coffee
// outranking the only one about package managers for "package manager".
// min_score applies to relevance. See docs/architecture.md, "Ranking".
#ifndef STRATAMEM_SEARCH_RANKING_H_
#define STRATAMEM_SEARCH_RANKING_H_

#include <cstdint>
#include <string>
#include <vector>

#include "stratamem/options.h"
#include "stratamem/record.h"
#include "stratamem/status.h"

namespace stratamem {

// Access counts saturate here: log2(1 + 31) / 5 = 1.
inline constexpr double kAccessSaturationLog2 = 5.0;

Status ValidateRanking(const SearchRequest& request);

double RecencySignal(int64_t now_us, int64_t last_seen_us, double half_life_days);
double AccessSignal(int64_t access_count);

// Fills result->recency / access / score from result->relevance and the record.
void ApplySignals(const SearchRequest& request, int64_t now_us, SearchResult* result);

// "0.6020 = relevance 0.7000 (cosine 0.710 #1, bm25 3.20 #2) x (0.75 + 0.10 x recency 0.98
//  (2.1 days) + 0.10 x importance 0.50 + 0.05 x access 0.00 (0 searches))"; the
// weights are the request's, so the expression evaluates to the score.
std::string ExplainScore(const SearchRequest& request, int64_t now_us, const SearchResult& result);

// Greedy maximal marginal relevance: picks `k` of `results` (best score
// first), each next one maximising (1 - d) * score - d * max cosine with
// those already picked. `cosine(i, j)` is the similarity of results i and j.
// d = request.diversity; d = 0 keeps the order.
template <typename Cosine>
std::vector<size_t> MmrOrder(const std::vector<SearchResult>& results, size_t k, double d, Cosine&& cosine);

template <typename Cosine>
std::vector<size_t> MmrOrder(const std::vector<SearchResult>& results, size_t k, double d, Cosine&& cosine) {
  std::vector<size_t> picked;
  std::vector<bool> used(results.size(), false);
  std::vector<double> max_sim(results.size(), 0.0);
  k = k < results.size() ? k : results.size();
  while (picked.size() < k) {
    size_t best = results.size();
    double best_value = 0;
    for (size_t i = 0; i < results.size(); ++i) {
      if (used[i]) continue;
      double value = (1 - d) * results[i].score - d * max_sim[i];
      if (best == results.size() || value > best_value) {
        best = i;
        best_value = value;
      }
    }
    used[best] = true;
    picked.push_back(best);
    for (size_t i = 0; i < results.size(); ++i) {
      if (used[i]) continue;
      double s = cosine(best, i);
      if (s > max_sim[i]) max_sim[i] = s;
    }
  }
  return picked;
}

}  // namespace stratamem

#endif  // STRATAMEM_SEARCH_RANKING_H_
