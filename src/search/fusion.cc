#include "search/fusion.h"

#include <algorithm>
#include <unordered_map>

namespace stratamem {

std::vector<FusedHit> CollectHits(const std::vector<RankedHit>& vector_hits,
                                  const std::vector<RankedHit>& text_hits) {
  std::unordered_map<int64_t, size_t> at;
  std::vector<FusedHit> out;
  out.reserve(vector_hits.size() + text_hits.size());
  auto entry = [&](int64_t seq) -> FusedHit& {
    auto [it, inserted] = at.try_emplace(seq, out.size());
    if (inserted) out.push_back(FusedHit{seq, 0, 0, 0, 0, 0});
    return out[it->second];
  };
  for (size_t i = 0; i < vector_hits.size(); ++i) {
    FusedHit& h = entry(vector_hits[i].seq);
    h.vector_rank = static_cast<int>(i + 1);
    h.vector_score = vector_hits[i].score;
  }
  for (size_t i = 0; i < text_hits.size(); ++i) {
    FusedHit& h = entry(text_hits[i].seq);
    h.text_rank = static_cast<int>(i + 1);
    h.text_score = text_hits[i].score;
  }
  return out;
}

void SortFused(std::vector<FusedHit>* hits) {
  std::sort(hits->begin(), hits->end(), [](const FusedHit& a, const FusedHit& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.vector_score != b.vector_score) return a.vector_score > b.vector_score;
    if (a.text_score != b.text_score) return a.text_score > b.text_score;  // text-only: clipped at 1
    return a.seq > b.seq;
  });
}

std::vector<FusedHit> FuseRanks(const std::vector<RankedHit>& vector_hits,
                                const std::vector<RankedHit>& text_hits, const FusionOptions& options) {
  std::vector<FusedHit> hits = CollectHits(options.use_vector ? vector_hits : std::vector<RankedHit>{},
                                           options.use_text ? text_hits : std::vector<RankedHit>{});
  double norm = (options.use_vector ? options.vector_weight / (options.k + 1) : 0) +
                (options.use_text ? options.text_weight / (options.k + 1) : 0);
  for (FusedHit& h : hits) {
    if (h.vector_rank) h.score += options.vector_weight / (options.k + h.vector_rank);
    if (h.text_rank) h.score += options.text_weight / (options.k + h.text_rank);
    if (norm > 0) h.score /= norm;
  }
  SortFused(&hits);
  return hits;
}

}  // namespace stratamem
