#include "search/ranking.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace stratamem {
namespace {

constexpr double kMicrosPerDay = 86400.0 * 1e6;

bool InUnit(double x) { return x >= 0 && x <= 1; }

double RelevanceWeight(const SearchRequest& r) {
  return 1 - r.recency_weight - r.importance_weight - r.access_weight;
}

}  // namespace

Status ValidateRanking(const SearchRequest& r) {
  if (!InUnit(r.recency_weight) || !InUnit(r.importance_weight) || !InUnit(r.access_weight)) {
    return Status::InvalidArgument("recency, importance and access weights must be between 0 and 1");
  }
  if (!(RelevanceWeight(r) > 0)) {
    return Status::InvalidArgument("recency + importance + access weights must add up to less than 1");
  }
  if (!(r.recency_half_life_days > 0) || !std::isfinite(r.recency_half_life_days)) {
    return Status::InvalidArgument("recency_half_life_days must be a positive number");
  }
  if (!(r.diversity >= 0 && r.diversity < 1)) return Status::InvalidArgument("diversity must be in [0, 1)");
  return Status::OK();
}

double RecencySignal(int64_t now_us, int64_t last_seen_us, double half_life_days) {
  double days = std::max(0.0, static_cast<double>(now_us - last_seen_us) / kMicrosPerDay);
  return std::exp2(-days / half_life_days);
}

double AccessSignal(int64_t access_count) {
  if (access_count <= 0) return 0;
  return std::min(1.0, std::log2(1.0 + static_cast<double>(access_count)) / kAccessSaturationLog2);
}

void ApplySignals(const SearchRequest& r, int64_t now_us, SearchResult* res) {
  res->recency = RecencySignal(now_us, res->record.last_seen_at, r.recency_half_life_days);
  res->access = AccessSignal(res->record.access_count);
  res->score = res->relevance * (RelevanceWeight(r) + r.recency_weight * res->recency +
                                 r.importance_weight * res->record.importance + r.access_weight * res->access);
}

std::string ExplainScore(const SearchRequest& r, int64_t now_us, const SearchResult& res) {
  char buf[512];
  std::string match;
  if (res.vector_score != 0 || res.vector_rank != 0) {
    std::snprintf(buf, sizeof buf, "cosine %.3f", res.vector_score);
    match += buf;
    if (res.vector_rank) match += " #" + std::to_string(res.vector_rank);
  }
  if (res.text_rank != 0) {
    std::snprintf(buf, sizeof buf, "%sbm25 %.2f #%d", match.empty() ? "" : ", ", res.text_score, res.text_rank);
    match += buf;
  }
  if (res.graph_score > 0) {
    std::snprintf(buf, sizeof buf, "%sgraph %.2f via ", match.empty() ? "" : ", ", res.graph_score);
    match += buf + res.graph_path;
  }
  double days = std::max(0.0, static_cast<double>(now_us - res.record.last_seen_at) / kMicrosPerDay);
  std::snprintf(buf, sizeof buf,
                "%.4f = relevance %.4f (%s) x (%.2f + %.2f x recency %.4f (%.1f days) + %.2f x importance %.2f"
                " + %.2f x access %.4f (%lld searches))",
                res.score, res.relevance, match.empty() ? "no match" : match.c_str(), RelevanceWeight(r),
                r.recency_weight, res.recency, days, r.importance_weight, res.record.importance, r.access_weight,
                res.access, static_cast<long long>(res.record.access_count));
  return buf;
}

}  // namespace stratamem
