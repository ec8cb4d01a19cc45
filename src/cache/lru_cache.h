// LruCache: a bounded map that forgets the least recently used entry first.
// Not thread-safe; owners guard it.
#ifndef STRATAMEM_CACHE_LRU_CACHE_H_
#define STRATAMEM_CACHE_LRU_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <list>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

namespace stratamem {

struct CacheCounters {
  int64_t hits = 0;
  int64_t misses = 0;
  int64_t entries = 0;
  int64_t capacity = 0;
};

template <typename Value>
class LruCache {
 public:
  explicit LruCache(size_t capacity) : capacity_(capacity) {}

  // The entry for `key` (now the most recent), or nullptr. Counts a hit or miss.
  Value* Find(const std::string& key) {
    auto it = index_.find(key);
    if (it == index_.end()) {
      ++misses_;
      return nullptr;
    }
    ++hits_;
    order_.splice(order_.begin(), order_, it->second);
    return &it->second->second;
  }
  using Entry = std::pair<std::string, Value>;

  // Inserts or replaces; evicts the oldest entry beyond capacity. Returns the
  // entry that did not stay (the evicted one; with capacity 0 the new one), so
  // owners can drop their own references to it.
  std::optional<Entry> Put(const std::string& key, Value value) {
    if (capacity_ == 0) return Entry(key, std::move(value));
    auto it = index_.find(key);
    if (it != index_.end()) {
      it->second->second = std::move(value);
      order_.splice(order_.begin(), order_, it->second);
      return std::nullopt;
    }
    order_.emplace_front(key, std::move(value));
    index_[key] = order_.begin();
    if (order_.size() <= capacity_) return std::nullopt;
    Entry evicted = std::move(order_.back());
    index_.erase(evicted.first);
    order_.pop_back();
    return evicted;
  }
  // The entry without touching recency or the counters.
  Value* Peek(const std::string& key) {
    auto it = index_.find(key);
    return it == index_.end() ? nullptr : &it->second->second;
  }
  bool Erase(const std::string& key) {
    auto it = index_.find(key);
    if (it == index_.end()) return false;
    order_.erase(it->second);
    index_.erase(it);
    return true;
  }
  void Clear() {
    order_.clear();
    index_.clear();
  }
  size_t size() const { return index_.size(); }
  CacheCounters counters() const {
    return {hits_, misses_, static_cast<int64_t>(index_.size()), static_cast<int64_t>(capacity_)};
  }

 private:
  size_t capacity_;
  std::list<Entry> order_;  // most recent first
  std::unordered_map<std::string, typename std::list<Entry>::iterator> index_;
  int64_t hits_ = 0;
  int64_t misses_ = 0;
};

}  // namespace stratamem

#endif  // STRATAMEM_CACHE_LRU_CACHE_H_
