#include "search/fusion.h"

#include <algorithm>
#include <unordered_map>

namespace memstrata {

std::vector<FusedHit> FuseRanks(const std::vector<RankedHit>& vector_hits,
                                const std::vector<RankedHit>& text_hits, const FusionOptions& options) {
  std::unordered_map<int64_t, FusedHit> by_seq;
  auto entry = [&](int64_t seq) -> FusedHit& {
    auto [it, inserted] = by_seq.try_emplace(seq, FusedHit{seq, 0, 0, 0, 0, 0});
    return it->second;
  };
  double norm = 0;
  if (options.use_vector) {
    norm += options.vector_weight / (options.k + 1);
    for (size_t i = 0; i < vector_hits.size(); ++i) {
      FusedHit& h = entry(vector_hits[i].seq);
      h.vector_rank = static_cast<int>(i + 1);
      h.vector_score = vector_hits[i].score;
      h.score += options.vector_weight / (options.k + static_cast<double>(i + 1));
    }
  }
  if (options.use_text) {
    norm += options.text_weight / (options.k + 1);
    for (size_t i = 0; i < text_hits.size(); ++i) {
      FusedHit& h = entry(text_hits[i].seq);
      h.text_rank = static_cast<int>(i + 1);
      h.text_score = text_hits[i].score;
      h.score += options.text_weight / (options.k + static_cast<double>(i + 1));
    }
  }
  std::vector<FusedHit> out;
  out.reserve(by_seq.size());
  for (auto& [seq, h] : by_seq) {
    if (norm > 0) h.score /= norm;
    out.push_back(h);
  }
  std::sort(out.begin(), out.end(), [](const FusedHit& a, const FusedHit& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.vector_score != b.vector_score) return a.vector_score > b.vector_score;
    return a.seq > b.seq;
  });
  return out;
}

}  // namespace memstrata
