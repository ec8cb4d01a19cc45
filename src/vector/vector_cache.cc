#include "vector/vector_cache.h"

#include <cstring>

namespace memstrata {

void VectorCache::Reset(int dimension) {
  dim_ = dimension;
  max_seq_ = 0;
  data_.clear();
  seqs_.clear();
  keys_.clear();
  row_of_.clear();
  by_user_.clear();
  // Interned ids are kept: they are only names, and keeping them makes a
  // reload cheaper.
}

uint32_t VectorCache::Intern(const std::string& s) {
  if (s.empty()) return 0;
  auto [it, inserted] = interned_.emplace(s, static_cast<uint32_t>(interned_.size() + 1));
  return it->second;
}

uint32_t VectorCache::Lookup(const std::string& s) const {
  if (s.empty()) return 0;
  auto it = interned_.find(s);
  return it == interned_.end() ? kUnknownKey : it->second;
}

ScopeKeys VectorCache::KeysForRow(Scope scope, const ScopeContext& ctx) {
  ScopeKeys k;
  k.scope = static_cast<uint8_t>(scope);
  k.user = Intern(ctx.user_id);
  k.session = Intern(ctx.session_id);
  k.agent = Intern(ctx.agent_id);
  k.turn = Intern(ctx.turn_id);
  return k;
}

ScopeKeys VectorCache::KeysForViewer(const ScopeContext& ctx) const {
  ScopeKeys k;
  k.user = Lookup(ctx.user_id);
  k.session = Lookup(ctx.session_id);
  k.agent = Lookup(ctx.agent_id);
  k.turn = Lookup(ctx.turn_id);
  return k;
}

void VectorCache::Add(int64_t seq, const ScopeKeys& keys, const float* vec) {
  if (row_of_.count(seq)) return;
  uint32_t row = static_cast<uint32_t>(seqs_.size());
  seqs_.push_back(seq);
  keys_.push_back(keys);
  data_.insert(data_.end(), vec, vec + dim_);
  row_of_[seq] = row;
  by_user_[keys.user].push_back(row);
  if (seq > max_seq_) max_seq_ = seq;
}

void VectorCache::Remove(int64_t seq) {
  auto it = row_of_.find(seq);
  if (it == row_of_.end()) return;
  uint32_t row = it->second;
  uint32_t last = static_cast<uint32_t>(seqs_.size() - 1);
  auto erase_from_user = [this](uint32_t user, uint32_t r) {
    auto& rows = by_user_[user];
    rows.erase(std::find(rows.begin(), rows.end(), r));
    if (rows.empty()) by_user_.erase(user);
  };
  erase_from_user(keys_[row].user, row);
  if (row != last) {
    // Move the last row into the hole and repoint its user's posting list.
    auto& rows = by_user_[keys_[last].user];
    *std::find(rows.begin(), rows.end(), last) = row;
    seqs_[row] = seqs_[last];
    keys_[row] = keys_[last];
    std::memcpy(&data_[static_cast<size_t>(row) * dim_], &data_[static_cast<size_t>(last) * dim_],
                sizeof(float) * static_cast<size_t>(dim_));
    row_of_[seqs_[row]] = row;
  }
  seqs_.pop_back();
  keys_.pop_back();
  data_.resize(static_cast<size_t>(last) * dim_);
  row_of_.erase(seq);
}

}  // namespace memstrata
