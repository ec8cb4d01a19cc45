#include "vector/vector_cache.h"

#include <cstring>

namespace stratamem {

void VectorCache::Reset(int dimension) {
  if (dimension != dim_) ann_.reset();
  dim_ = dimension;
  max_seq_ = 0;
  seq_hash_ = 0;
  data_.clear();
  seqs_.clear();
  keys_.clear();
  row_of_.clear();
  by_user_.clear();
  members_.clear();
  rep_of_.clear();
  reps_by_hash_.clear();
  rep_hash_ = 0;
  rep_max_seq_ = 0;
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
  seq_hash_ += SeqHash(seq);
  AddToGroup(seq, vec);
}

uint64_t VectorCache::HashVector(const float* vec, int dim) {
  uint64_t h = 1469598103934665603ull;  // FNV-1a over the bytes; equal bytes are checked too
  const unsigned char* p = reinterpret_cast<const unsigned char*>(vec);
  for (size_t i = 0; i < sizeof(float) * static_cast<size_t>(dim); ++i) h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

void VectorCache::AddToGroup(int64_t seq, const float* vec) {
  auto& reps = reps_by_hash_[HashVector(vec, dim_)];
  for (int64_t rep : reps) {
    if (std::memcmp(Row(rep), vec, sizeof(float) * static_cast<size_t>(dim_)) == 0) {
      members_[rep].push_back(seq);  // a duplicate: the representative's node answers for it
      rep_of_[seq] = rep;
      return;
    }
  }
  reps.push_back(seq);
  members_[seq] = {seq};
  rep_of_[seq] = seq;
  rep_hash_ += SeqHash(seq);
  rep_max_seq_ = std::max(rep_max_seq_, seq);
  if (ann_ && !ann_->Contains(seq)) {
    // An index that cannot take the row is dropped (search falls back to the
    // exact scan) rather than left silently incomplete.
    if (ann_->Add(seq, vec).ok()) ann_dirty_ = true; else ann_.reset();
  }
}

// Before the row leaves data_: a new representative takes its vector from
// its own (identical) row.
void VectorCache::RemoveFromGroup(int64_t seq) {
  auto rep_it = rep_of_.find(seq);
  if (rep_it == rep_of_.end()) return;
  int64_t rep = rep_it->second;
  rep_of_.erase(rep_it);
  std::vector<int64_t>& group = members_[rep];
  group.erase(std::find(group.begin(), group.end(), seq));
  if (seq != rep) return;  // a duplicate left; its representative stays
  std::vector<int64_t>& reps = reps_by_hash_[HashVector(Row(rep), dim_)];
  rep_hash_ -= SeqHash(rep);
  if (ann_) {
    ann_->Remove(rep);
    ann_dirty_ = true;
  }
  if (group.empty()) {
    members_.erase(rep);
    reps.erase(std::find(reps.begin(), reps.end(), rep));
    if (reps.empty()) reps_by_hash_.erase(HashVector(Row(rep), dim_));
    return;
  }
  int64_t next = group.front();
  std::vector<int64_t> moved = std::move(group);
  members_.erase(rep);
  for (int64_t m : moved) rep_of_[m] = next;
  members_[next] = std::move(moved);
  *std::find(reps.begin(), reps.end(), rep) = next;
  rep_hash_ += SeqHash(next);
  rep_max_seq_ = std::max(rep_max_seq_, next);
  if (ann_ && !ann_->Contains(next)) {
    if (ann_->Add(next, Row(next)).ok()) ann_dirty_ = true; else ann_.reset();
  }
}

size_t VectorCache::AnnRows() const {
  if (!ann_) return 0;
  size_t rows = 0;
  for (const auto& [rep, group] : members_) {
    if (ann_->Contains(rep)) rows += group.size();
  }
  return rows;
}

void VectorCache::Remove(int64_t seq) {
  auto it = row_of_.find(seq);
  if (it == row_of_.end()) return;
  uint32_t row = it->second;
  seq_hash_ -= SeqHash(seq);
  RemoveFromGroup(seq);
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

Status VectorCache::BuildAnn(const HnswParams& params, int threads) {
  auto index = HnswIndex::Create(params);
  if (!index.ok()) return index.status();
  std::vector<int64_t> reps;
  std::vector<float> vecs;
  for (size_t row = 0; row < seqs_.size(); ++row) {
    if (!IsRep(seqs_[row])) continue;
    reps.push_back(seqs_[row]);
    const float* v = data_.data() + row * static_cast<size_t>(dim_);
    vecs.insert(vecs.end(), v, v + dim_);
  }
  STRATAMEM_RETURN_IF_ERROR((*index)->AddMany(reps, vecs.data(), threads));
  ann_ = std::move(index).value();
  ann_dirty_ = true;
  return Status::OK();
}

Result<size_t> VectorCache::AdoptAnn(std::unique_ptr<HnswIndex> index) {
  ann_ = std::move(index);
  ann_dirty_ = false;
  return ReconcileAnn();
}

Result<size_t> VectorCache::ReconcileAnn() {
  if (!ann_) return size_t{0};
  HnswState have = ann_->state(), want = RepState();
  if (have.count == want.count && have.seq_hash == want.seq_hash) return size_t{0};
  // Counted in rows: a representative added brings its whole group in.
  size_t changed = 0;
  for (int64_t seq : ann_->Seqs()) {
    if (!IsRep(seq)) ann_->Remove(seq), ++changed;
  }
  std::vector<int64_t> missing;
  std::vector<float> vecs;
  for (size_t row = 0; row < seqs_.size(); ++row) {
    if (!IsRep(seqs_[row]) || ann_->Contains(seqs_[row])) continue;
    changed += members_[seqs_[row]].size() - 1;
    missing.push_back(seqs_[row]);
    const float* v = data_.data() + row * static_cast<size_t>(dim_);
    vecs.insert(vecs.end(), v, v + dim_);
  }
  Status st = ann_->AddMany(missing, vecs.data(), 2);
  if (!st.ok()) {
    ann_.reset();
    return st;
  }
  changed += missing.size();
  if (changed) ann_dirty_ = true;
  return changed;
}

}  // namespace stratamem
