// Search's graph signal: graph expansion from the entities the query names
// (graph/expand.h) over this store's tables, as the request's viewer sees them.
#include "graph/expand.h"
#include "store/sqlite_graph_source.h"
#include "store/sqlite_store.h"

namespace stratamem {

bool SqliteStore::UsesGraph(const SearchRequest& r) const {
  if (r.mode == SearchMode::kVector || r.graph_weight <= 0) return false;
  if (r.include_graph == GraphSignal::kStoreDefault) return options_.graph_search;
  return r.include_graph == GraphSignal::kOn;
}

Result<std::vector<graph::GraphHit>> SqliteStore::GraphHitsLocked(const SearchRequest& r,
                                                                  const std::unordered_set<int64_t>* allowed) {
  ReadTime time{r.as_of, r.valid_at};
  // A current read knows the user's count from the vector cache.
  int64_t known = time.as_of == 0 && time.valid_at == 0
                      ? static_cast<int64_t>(cache_.UserRows(cache_.KeysForViewer(r.context).user))
                      : -1;
  SqliteGraphSource source(db_.get(), r.context, time, known);
  auto expansion = graph::ExpandQuery(r.query, &source, graph::ExpandOptions{});
  if (!expansion.ok()) return expansion.status();
  std::vector<graph::GraphHit> hits = std::move(expansion->hits);
  if (hits.empty() || (allowed == nullptr && r.scopes.empty())) return hits;
  // The request's filters hold for graph candidates too.
  unsigned scope_mask = 0;
  for (Scope s : r.scopes) scope_mask |= 1u << static_cast<int>(s);
  std::vector<int64_t> seqs;
  for (const auto& h : hits) seqs.push_back(h.seq);
  std::unordered_set<int64_t> keep;
  auto stmt = db_->Prepare("SELECT seq, scope FROM memories WHERE seq IN (" + IdList(seqs) + ")");
  if (!stmt.ok()) return stmt.status();
  while (true) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    int64_t seq = stmt->Int(0);
    bool scope_ok = scope_mask == 0 || (scope_mask & (1u << stmt->Int(1)));
    if (scope_ok && (allowed == nullptr || allowed->count(seq))) keep.insert(seq);
  }
  std::vector<graph::GraphHit> out;
  for (auto& h : hits) {
    if (keep.count(h.seq)) out.push_back(std::move(h));
  }
  return out;
}

}  // namespace stratamem
