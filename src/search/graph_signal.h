// The graph signal's place in fusion: a third signal beside the vector and
// BM25 ones, kept out of fusion.h so fusion's weights can be recalibrated
// without touching it.
//
//   relevance = (1 - w) * fused + w * graph       w = SearchRequest::graph_weight
//
// `fused` is what FuseScores / FuseRanks gave the candidate; `graph` its
// graph-expansion score in [0, 1] (graph/expand.h), 0 when expansion did not
// reach it. Memories only expansion reached join the candidates with the
// fused score their real cosine earns (through FuseScores itself, with no
// BM25 match), so every candidate is scored by the same formula.
#ifndef STRATAMEM_SEARCH_GRAPH_SIGNAL_H_
#define STRATAMEM_SEARCH_GRAPH_SIGNAL_H_

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "graph/expand.h"
#include "search/fusion.h"

namespace stratamem {

// How expansion reached a candidate: shown in the result and its explanation.
struct GraphMark {
  double score = 0;
  std::string path;
};

// At most this many memories that only expansion found join the candidates
// (the strongest first): each costs a cosine lookup.
inline constexpr size_t kMaxGraphOnlyCandidates = 200;

template <typename CosineOf>
void AddGraphSignal(std::vector<FusedHit>* fused, const std::vector<graph::GraphHit>& hits, double weight,
                    const FusionOptions& fusion, bool rank_fusion, CosineOf&& cosine_of,
                    std::unordered_map<int64_t, GraphMark>* marks) {
  if (hits.empty() || weight <= 0) return;
  std::unordered_map<int64_t, size_t> at;
  for (size_t i = 0; i < fused->size(); ++i) at[(*fused)[i].seq] = i;
  std::vector<RankedHit> graph_only;
  for (const graph::GraphHit& h : hits) {
    (*marks)[h.seq] = GraphMark{h.score, h.path};
    if (!at.count(h.seq) && graph_only.size() < kMaxGraphOnlyCandidates) graph_only.push_back({h.seq, 0});
  }
  if (!graph_only.empty()) {
    std::vector<FusedHit> joined;
    if (rank_fusion) {
      for (const RankedHit& g : graph_only) joined.push_back(FusedHit{g.seq, 0, 0, 0, 0, 0});
    } else {
      // Passed as BM25 hits of score 0, FuseScores looks their cosine up and
      // scores them as it scores every candidate; they are not BM25 matches.
      joined = FuseScores(std::vector<RankedHit>{}, graph_only, fusion, cosine_of);
      for (FusedHit& j : joined) j.text_rank = 0;
    }
    for (FusedHit& j : joined) fused->push_back(j);
  }
  for (FusedHit& h : *fused) {
    auto it = marks->find(h.seq);
    double g = it == marks->end() ? 0 : it->second.score;
    h.score = (1 - weight) * h.score + weight * g;
  }
  SortFused(fused);
}

}  // namespace stratamem

#endif  // STRATAMEM_SEARCH_GRAPH_SIGNAL_H_
