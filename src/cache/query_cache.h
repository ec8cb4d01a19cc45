// QueryCache: recent search results, keyed by everything a search request
// says, and dropped exactly when a write could change them: a write to a
// memory drops the entries of every viewer that can see that memory (the
// visibility rule of stratamem/scope.h), and nothing else. Entries also
// expire after kQueryCacheTtlMicros, because recency is a function of time.
// Not thread-safe; the store guards it with its mutex.
#ifndef STRATAMEM_CACHE_QUERY_CACHE_H_
#define STRATAMEM_CACHE_QUERY_CACHE_H_

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "cache/lru_cache.h"
#include "stratamem/options.h"
#include "stratamem/record.h"
#include "stratamem/scope.h"

namespace stratamem {

inline constexpr int64_t kQueryCacheTtlMicros = 60 * 1000 * 1000;

class QueryCache {
 public:
  explicit QueryCache(size_t capacity) : lru_(capacity) {}

  // The request as a cache key: every field that can change the answer.
  static std::string Key(const SearchRequest& request);

  // Cached results for `key` if present and younger than the TTL at `now`.
  bool Get(const std::string& key, int64_t now_us, std::vector<SearchResult>* out);
  void Put(const std::string& key, const ScopeContext& viewer, int64_t now_us, std::vector<SearchResult> results);
  // A memory at `scope` saved with `context` was written (inserted, merged,
  // versioned, retired or deleted): drop the entries whose viewer sees it.
  void InvalidateVisible(Scope scope, const ScopeContext& context);
  // Another process wrote (which rows is unknown): drop everything.
  void Clear();
  CacheCounters counters() const;
  int64_t invalidations() const { return invalidations_; }

 private:
  struct Entry {
    ScopeContext viewer;
    int64_t stored_at;
    std::vector<SearchResult> results;
  };
  void Unindex(const std::string& key, const std::string& user_id);

  LruCache<Entry> lru_;
  // user id -> keys of that user's entries, so a write looks at its user's only.
  std::unordered_map<std::string, std::unordered_set<std::string>> by_user_;
  int64_t invalidations_ = 0;
};

}  // namespace stratamem

#endif  // STRATAMEM_CACHE_QUERY_CACHE_H_
