#include "cache/query_cache.h"

#include <cstdio>

namespace stratamem {
namespace {

// Length-prefixed, so no field's text can imitate a field boundary.
void AddField(std::string* key, const std::string& value) {
  *key += std::to_string(value.size());
  *key += ':';
  *key += value;
}

void AddNumber(std::string* key, double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", value);
  AddField(key, buf);
}

}  // namespace

std::string QueryCache::Key(const SearchRequest& r) {
  std::string key;
  AddField(&key, r.query);
  AddField(&key, r.context.user_id);
  AddField(&key, r.context.session_id);
  AddField(&key, r.context.agent_id);
  AddField(&key, r.context.turn_id);
  for (double x : {static_cast<double>(r.top_k), r.min_score, static_cast<double>(r.mode),
                   static_cast<double>(r.fusion), r.vector_weight, r.text_weight, static_cast<double>(r.as_of),
                   r.recency_weight, r.importance_weight, r.access_weight, r.recency_half_life_days, r.diversity,
                   static_cast<double>(r.include_graph), r.graph_weight, static_cast<double>(r.valid_at)}) {
    AddNumber(&key, x);
  }
  AddNumber(&key, static_cast<double>(r.metadata_equals.size()));
  for (const auto& [k, v] : r.metadata_equals) {
    AddField(&key, k);
    AddField(&key, v);
  }
  AddNumber(&key, static_cast<double>(r.scopes.size()));
  for (Scope s : r.scopes) AddNumber(&key, static_cast<double>(s));
  return key;
}

bool QueryCache::Get(const std::string& key, int64_t now_us, std::vector<SearchResult>* out) {
  Entry* e = lru_.Peek(key);
  if (e != nullptr && (now_us - e->stored_at > kQueryCacheTtlMicros || now_us < e->stored_at)) {
    Unindex(key, e->viewer.user_id);
    lru_.Erase(key);  // expired: the lookup below counts a miss
  }
  e = lru_.Find(key);
  if (e == nullptr) return false;
  *out = e->results;
  return true;
}

void QueryCache::Put(const std::string& key, const ScopeContext& viewer, int64_t now_us,
                     std::vector<SearchResult> results) {
  auto dropped = lru_.Put(key, Entry{viewer, now_us, std::move(results)});
  if (dropped) {
    Unindex(dropped->first, dropped->second.viewer.user_id);
    if (dropped->first == key) return;  // capacity 0: nothing stays
  }
  by_user_[viewer.user_id].insert(key);
}

void QueryCache::Unindex(const std::string& key, const std::string& user_id) {
  auto it = by_user_.find(user_id);
  if (it == by_user_.end()) return;
  it->second.erase(key);
  if (it->second.empty()) by_user_.erase(it);
}

void QueryCache::InvalidateVisible(Scope scope, const ScopeContext& context) {
  auto it = by_user_.find(context.user_id);
  if (it == by_user_.end()) return;
  std::vector<std::string> drop;
  for (const std::string& key : it->second) {
    Entry* e = lru_.Peek(key);
    if (e != nullptr && IsVisible(scope, context, e->viewer)) drop.push_back(key);
  }
  for (const std::string& key : drop) {
    Unindex(key, context.user_id);
    lru_.Erase(key);
    ++invalidations_;
  }
}

void QueryCache::Clear() {
  invalidations_ += static_cast<int64_t>(lru_.size());
  lru_.Clear();
  by_user_.clear();
}

CacheCounters QueryCache::counters() const { return lru_.counters(); }

}  // namespace stratamem
