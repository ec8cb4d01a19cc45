// Search's last step: from fused candidates to ranked results (signals, MMR,
// explanations), and the access counts that feed the access signal.
#include <algorithm>
#include <unordered_map>

#include "search/ranking.h"
#include "store/record_io.h"
#include "store/sqlite_store.h"
#include "vector/dot.h"

namespace stratamem {
namespace {

// How many of the best fused candidates the signals (and MMR) may reorder.
size_t RankWindow(int top_k) { return static_cast<size_t>(std::max(40, top_k * 4)); }

}  // namespace

Result<std::vector<float>> SqliteStore::VectorOfSeqLocked(int64_t seq) {
  std::vector<float> vec(static_cast<size_t>(dim_));
  if (const float* row = cache_.Row(seq)) {
    std::copy(row, row + dim_, vec.begin());
    return vec;
  }
  auto stmt = db_->Prepare("SELECT data FROM vectors WHERE seq = ?1");  // a past version (as_of)
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, seq);
  auto row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row || !DecodeVector(stmt->Blob(0), dim_, vec.data())) {
    return Status::Corruption("no vector for memory seq " + std::to_string(seq));
  }
  return vec;
}

Result<std::vector<SearchResult>> SqliteStore::RankLocked(const SearchRequest& r, const std::vector<FusedHit>& fused,
                                                          const std::unordered_map<int64_t, GraphMark>& graph,
                                                          const std::unordered_set<int64_t>& verbatim) {
  std::vector<int64_t> seqs;
  size_t window = RankWindow(r.top_k);
  for (const auto& h : fused) {
    if (seqs.size() >= window) break;
    if (h.score < r.min_score) break;  // sorted by relevance: the rest are lower
    seqs.push_back(h.seq);
  }
  auto records = FetchBySeqLocked(seqs);
  if (!records.ok()) return records.status();
  int64_t now = env_->NowMicros();
  std::vector<SearchResult> results;
  std::vector<int64_t> result_seqs;
  results.reserve(seqs.size());
  for (size_t i = 0; i < seqs.size(); ++i) {
    MemoryRecord& rec = (*records)[i];
    // Defence in depth: the reference rule must agree with the filters above.
    if (rec.id.empty() || !IsVisible(rec.scope, rec.context, r.context)) continue;
    const FusedHit& h = fused[i];
    SearchResult res;
    auto pending = pending_access_.find(rec.id);
    if (pending != pending_access_.end()) {
      rec.access_count += pending->second.first;
      rec.last_accessed_at = std::max(rec.last_accessed_at, pending->second.second);
    }
    res.record = std::move(rec);
    res.relevance = h.score;
    res.vector_score = h.vector_score;
    res.text_score = h.text_score;
    res.vector_rank = h.vector_rank;
    res.text_rank = h.text_rank;
    if (auto g = graph.find(h.seq); g != graph.end()) {
      res.graph_score = g->second.score;
      res.graph_path = g->second.path;
    }
    ApplySignals(r, now, &res);
    results.push_back(std::move(res));
    result_seqs.push_back(h.seq);
  }
  std::vector<size_t> order(results.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    // A memory whose text is the query itself comes first: ranking signals
    // (recency, importance) and hash-identical neighbours must not bury it.
    bool va = verbatim.count(result_seqs[a]) > 0, vb = verbatim.count(result_seqs[b]) > 0;
    if (va != vb) return va;
    if (results[a].score != results[b].score) return results[a].score > results[b].score;
    return results[a].relevance > results[b].relevance;
  });
  size_t k = std::min(results.size(), static_cast<size_t>(r.top_k));
  if (r.diversity > 0 && k > 1 && dim_ > 0) {
    std::vector<SearchResult> by_score;
    std::vector<std::vector<float>> vecs;
    for (size_t i : order) {
      auto v = VectorOfSeqLocked(result_seqs[i]);
      if (!v.ok()) return v.status();
      vecs.push_back(std::move(v).value());
      by_score.push_back(std::move(results[i]));
    }
    std::vector<size_t> picked = MmrOrder(by_score, k, r.diversity, [&](size_t a, size_t b) {
      return static_cast<double>(Dot(vecs[a].data(), vecs[b].data(), vecs[a].size()));
    });
    results = std::move(by_score);
    order = std::move(picked);
  }
  order.resize(std::min(order.size(), k));
  std::vector<SearchResult> out;
  out.reserve(order.size());
  for (size_t i : order) {
    results[i].explanation = ExplainScore(r, now, results[i]);
    out.push_back(std::move(results[i]));
  }
  return out;
}

void SqliteStore::NoteAccessLocked(const std::vector<SearchResult>& results, int64_t now) {
  if (options_.read_only) return;
  for (const auto& res : results) {
    auto& [count, last] = pending_access_[res.record.id];
    ++count;
    last = std::max(last, now);
  }
}

Status SqliteStore::FlushAccessLocked() {
  if (pending_access_.empty()) return Status::OK();
  auto stmt = db_->Prepare(
      "UPDATE memories SET access_count = access_count + ?2, last_accessed_at = max(last_accessed_at, ?3) "
      "WHERE id = ?1 AND valid_to IS NULL");
  if (!stmt.ok()) return stmt.status();
  for (const auto& [id, access] : pending_access_) {
    stmt->Reset();
    stmt->Bind(1, id).Bind(2, access.first).Bind(3, access.second);
    STRATAMEM_RETURN_IF_ERROR(stmt->Run());
  }
  pending_access_.clear();  // a rollback of this transaction loses them: they are a hint
  return Status::OK();
}

}  // namespace stratamem
