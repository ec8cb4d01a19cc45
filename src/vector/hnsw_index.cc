#include "vector/hnsw_index.h"

#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <thread>

#define USEARCH_USE_OPENMP 0
#define USEARCH_USE_NUMKONG 0
#include <usearch/index_dense.hpp>

#include "util/compat_names.h"
#include "vector/dot.h"

namespace stratamem {
namespace {

using Index = unum::usearch::index_dense_gt<uint64_t, uint32_t>;
namespace us = unum::usearch;

// Sidecar header (docs/format.md, "HNSW sidecar"): 72 bytes, little-endian.
constexpr char kMagic[8] = {'S', 'T', 'R', 'M', 'H', 'N', 'S', 'W'};
constexpr uint32_t kFormatVersion = 1;
constexpr size_t kHeaderBytes = 72;

struct Header {
  uint32_t version, dimension, m, ef_construction, scalar, reserved;
  uint64_t count;
  int64_t max_seq;
  uint64_t seq_hash, payload_bytes, payload_checksum;
};

void PutHeader(const Header& h, unsigned char* out) {
  std::memcpy(out, kMagic, 8);
  uint32_t u32[6] = {h.version, h.dimension, h.m, h.ef_construction, h.scalar, h.reserved};
  std::memcpy(out + 8, u32, sizeof(u32));
  uint64_t u64[5] = {h.count, static_cast<uint64_t>(h.max_seq), h.seq_hash, h.payload_bytes, h.payload_checksum};
  std::memcpy(out + 32, u64, sizeof(u64));
}

bool GetHeader(const unsigned char* in, Header* h) {
  if (std::memcmp(in, kMagic, 8) != 0 && std::memcmp(in, kLegacySidecarMagic, 8) != 0) return false;
  uint32_t u32[6];
  std::memcpy(u32, in + 8, sizeof(u32));
  uint64_t u64[5];
  std::memcpy(u64, in + 32, sizeof(u64));
  *h = {u32[0], u32[1], u32[2], u32[3], u32[4], u32[5], u64[0], static_cast<int64_t>(u64[1]), u64[2], u64[3], u64[4]};
  return true;
}

// A 64-bit checksum over a byte stream fed in arbitrary pieces: words are
// mixed in order (position-dependent), so a flipped or moved byte shows.
class Checksum {
 public:
  void Update(const void* data, size_t n) {
    const unsigned char* p = static_cast<const unsigned char*>(data);
    while (n > 0 && fill_ > 0) Byte(*p++), --n;
    for (; n >= 8; p += 8, n -= 8) {
      uint64_t w;
      std::memcpy(&w, p, 8);
      Word(w);
    }
    while (n > 0) Byte(*p++), --n;
  }
  uint64_t Final() {
    while (fill_ > 0) Byte(0);
    return h_ ^ (h_ >> 29);
  }

 private:
  void Byte(unsigned char b) {
    pending_ |= static_cast<uint64_t>(b) << (8 * fill_);
    if (++fill_ == 8) Word(pending_), pending_ = 0, fill_ = 0;
  }
  void Word(uint64_t w) { h_ = (h_ ^ (w * 0x9E3779B97F4A7C15ull)) * 0xBF58476D1CE4E5B9ull + 0x94D049BB133111EBull; }
  uint64_t h_ = 0x6A09E667F3BCC909ull;
  uint64_t pending_ = 0;
  int fill_ = 0;
};

// usearch distances are "smaller is closer": 1 - inner product. The f32 case
// uses stratamem's own Dot (AVX2 where the CPU has it).
float IpDistanceF32(uintptr_t a, uintptr_t b, uintptr_t n) {
  return 1.0f - Dot(reinterpret_cast<const float*>(a), reinterpret_cast<const float*>(b), n);
}

us::scalar_kind_t ScalarKind(HnswScalar s) {
  switch (s) {
    case HnswScalar::kF16: return us::scalar_kind_t::f16_k;
    case HnswScalar::kI8: return us::scalar_kind_t::i8_k;
    default: return us::scalar_kind_t::f32_k;
  }
}

us::metric_punned_t MakeMetric(const HnswParams& p) {
  if (p.scalar == HnswScalar::kF32) {
    return us::metric_punned_t::stateless(static_cast<size_t>(p.dimension), reinterpret_cast<uintptr_t>(&IpDistanceF32),
                                          us::metric_punned_signature_t::array_array_size_k, us::metric_kind_t::ip_k,
                                          us::scalar_kind_t::f32_k);
  }
  return us::metric_punned_t::builtin(static_cast<size_t>(p.dimension), us::metric_kind_t::ip_k, ScalarKind(p.scalar));
}

struct FileCloser {
  void operator()(FILE* f) const { if (f) std::fclose(f); }
};
using File = std::unique_ptr<FILE, FileCloser>;

}  // namespace

uint64_t SeqHash(int64_t seq) {
  uint64_t z = static_cast<uint64_t>(seq) + 0x9E3779B97F4A7C15ull;  // splitmix64
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

struct HnswIndex::Impl {
  Index index;
};

HnswIndex::HnswIndex(const HnswParams& params) : params_(params), impl_(new Impl) {}
HnswIndex::~HnswIndex() = default;

Result<std::unique_ptr<HnswIndex>> HnswIndex::Create(const HnswParams& p) {
  if (p.dimension <= 0) return Status::InvalidArgument("HNSW needs a positive dimension");
  if (p.m < 2 || p.ef_construction < 1) return Status::InvalidArgument("hnsw_m must be >= 2, ef_construction >= 1");
  std::unique_ptr<HnswIndex> out(new HnswIndex(p));
  us::index_dense_config_t config(static_cast<size_t>(p.m), static_cast<size_t>(p.ef_construction), 64);
  auto made = Index::make(MakeMetric(p), config, us::default_free_value<uint64_t>(), us::index_limits_t(0, 1));
  if (!made) return Status::Internal(std::string("HNSW: ") + made.error.release());
  out->impl_->index = std::move(made.index);
  return out;
}

Status HnswIndex::Reserve(size_t n) {
  Index& idx = impl_->index;
  if (n <= idx.capacity()) return Status::OK();
  size_t cap = std::max<size_t>({n, idx.capacity() * 2, 1024});
  size_t threads = std::max<size_t>(1, std::thread::hardware_concurrency());
  if (!idx.try_reserve(us::index_limits_t(cap, threads))) return Status::Internal("HNSW: out of memory");
  return Status::OK();
}

bool HnswIndex::Contains(int64_t seq) const { return impl_->index.contains(static_cast<uint64_t>(seq)); }

Status HnswIndex::Add(int64_t seq, const float* vec) {
  if (Contains(seq)) return Status::OK();
  STRATAMEM_RETURN_IF_ERROR(Reserve(static_cast<size_t>(state_.count) + 1));
  auto added = impl_->index.add(static_cast<uint64_t>(seq), vec);
  if (!added) return Status::Internal(std::string("HNSW add: ") + added.error.release());
  state_.count += 1;
  state_.seq_hash += SeqHash(seq);
  state_.max_seq = std::max(state_.max_seq, seq);
  return Status::OK();
}

Status HnswIndex::AddMany(const std::vector<int64_t>& seqs, const float* vecs, int threads) {
  STRATAMEM_RETURN_IF_ERROR(Reserve(static_cast<size_t>(state_.count) + seqs.size()));
  size_t nthreads = std::max(1, std::min<int>(threads, static_cast<int>(impl_->index.limits().threads_add)));
  if (may_reuse_slots_) nthreads = 1;
  std::vector<std::string> errors(nthreads);
  std::vector<uint8_t> fresh(seqs.size(), 0);
  for (size_t i = 0; i < seqs.size(); ++i) fresh[i] = !Contains(seqs[i]);
  auto work = [&](size_t t) {
    for (size_t i = t; i < seqs.size(); i += nthreads) {
      if (!fresh[i]) continue;
      auto added = impl_->index.add(static_cast<uint64_t>(seqs[i]), vecs + i * static_cast<size_t>(params_.dimension), t);
      if (!added && errors[t].empty()) errors[t] = added.error.release();
    }
  };
  std::vector<std::thread> pool;
  for (size_t t = 1; t < nthreads; ++t) pool.emplace_back(work, t);
  work(0);
  for (auto& th : pool) th.join();
  for (size_t i = 0; i < seqs.size(); ++i) {
    if (!fresh[i]) continue;
    state_.count += 1;
    state_.seq_hash += SeqHash(seqs[i]);
    state_.max_seq = std::max(state_.max_seq, seqs[i]);
  }
  for (auto& e : errors) {
    if (!e.empty()) return Status::Internal("HNSW add: " + e);
  }
  return Status::OK();
}

void HnswIndex::Remove(int64_t seq) {
  if (!Contains(seq)) return;
  impl_->index.remove(static_cast<uint64_t>(seq));
  may_reuse_slots_ = true;
  state_.count -= 1;
  state_.seq_hash -= SeqHash(seq);
  // max_seq stays: it is the highest seq ever added, which is what a sidecar
  // needs to know (seqs are never reused).
}

std::vector<int64_t> HnswIndex::Seqs() const {
  std::vector<uint64_t> keys(impl_->index.size());
  impl_->index.export_keys(keys.data(), 0, keys.size());
  return std::vector<int64_t>(keys.begin(), keys.end());
}

std::vector<AnnHit> HnswIndex::Search(const float* query, size_t k, size_t ef, AnnFilter filter,
                                      const void* ctx) const {
  std::vector<AnnHit> out;
  if (k == 0 || state_.count == 0) return out;
  Index& idx = impl_->index;
  idx.change_expansion_search(std::max(ef, k));
  auto result = idx.filtered_search(query, k, [filter, ctx](uint64_t key) { return filter(ctx, static_cast<int64_t>(key)); });
  if (!result) return out;
  out.reserve(result.size());
  for (size_t i = 0; i < result.size(); ++i) {
    auto m = result[i];
    out.push_back({static_cast<int64_t>(m.member.key), 1.0f - m.distance});
  }
  return out;
}

size_t HnswIndex::memory_bytes() const { return impl_->index.memory_usage(); }

Status HnswIndex::Save(const std::string& path) const {
  std::string tmp = path + ".tmp";
  File f(std::fopen(tmp.c_str(), "wb"));
  if (!f) return Status::IOError("cannot write " + tmp);
  unsigned char head[kHeaderBytes] = {};
  if (std::fwrite(head, 1, kHeaderBytes, f.get()) != kHeaderBytes) return Status::IOError("cannot write " + tmp);
  Checksum sum;
  uint64_t bytes = 0;
  auto saved = impl_->index.save_to_stream([&](const void* data, size_t n) {
    sum.Update(data, n);
    bytes += n;
    return std::fwrite(data, 1, n, f.get()) == n;
  });
  if (!saved) return Status::IOError("writing " + tmp + ": " + saved.error.release());
  Header h{kFormatVersion, static_cast<uint32_t>(params_.dimension), static_cast<uint32_t>(params_.m),
           static_cast<uint32_t>(params_.ef_construction), static_cast<uint32_t>(params_.scalar), params_.store_tag,
           state_.count, state_.max_seq, state_.seq_hash, bytes, sum.Final()};
  PutHeader(h, head);
  if (std::fseek(f.get(), 0, SEEK_SET) != 0 || std::fwrite(head, 1, kHeaderBytes, f.get()) != kHeaderBytes ||
      std::fflush(f.get()) != 0 || ::fsync(fileno(f.get())) != 0) {
    return Status::IOError("cannot write " + tmp);
  }
  f.reset();
  if (std::rename(tmp.c_str(), path.c_str()) != 0) return Status::IOError("cannot rename " + tmp + " to " + path);
  return Status::OK();
}

Result<std::unique_ptr<HnswIndex>> HnswIndex::Load(const std::string& path, const HnswParams& expected) {
  File f(std::fopen(path.c_str(), "rb"));
  if (!f) return Status::NotFound("no HNSW sidecar at " + path);
  unsigned char head[kHeaderBytes];
  Header h;
  if (std::fread(head, 1, kHeaderBytes, f.get()) != kHeaderBytes || !GetHeader(head, &h)) {
    return Status::Corruption(path + " is not a stratamem HNSW sidecar");
  }
  if (h.version != kFormatVersion) return Status::NotSupported(path + ": unknown sidecar version");
  if (h.dimension != static_cast<uint32_t>(expected.dimension) || h.m != static_cast<uint32_t>(expected.m) ||
      h.ef_construction != static_cast<uint32_t>(expected.ef_construction) ||
      h.scalar != static_cast<uint32_t>(expected.scalar)) {
    return Status::NotSupported(path + " was built with other HNSW parameters");
  }
  if (h.reserved != expected.store_tag) return Status::NotSupported(path + " belongs to another store");
  // Check the whole payload before usearch parses any of it.
  Checksum sum;
  uint64_t bytes = 0;
  std::vector<unsigned char> buf(1 << 20);
  while (size_t n = std::fread(buf.data(), 1, buf.size(), f.get())) {
    sum.Update(buf.data(), n);
    bytes += n;
  }
  if (bytes != h.payload_bytes || sum.Final() != h.payload_checksum) {
    return Status::Corruption(path + ": checksum mismatch (torn or damaged file)");
  }
  if (std::fseek(f.get(), static_cast<long>(kHeaderBytes), SEEK_SET) != 0) return Status::IOError("cannot read " + path);
  std::unique_ptr<HnswIndex> out(new HnswIndex(expected));
  auto loaded = out->impl_->index.load_from_stream(
      [&](void* data, size_t n) { return std::fread(data, 1, n, f.get()) == n; });
  if (!loaded) return Status::Corruption(path + ": " + loaded.error.release());
  Index& idx = out->impl_->index;
  if (idx.dimensions() != static_cast<size_t>(expected.dimension) || idx.size() != h.count) {
    return Status::Corruption(path + ": header and index disagree");
  }
  if (!idx.try_change_metric(MakeMetric(expected))) return Status::Corruption(path + ": metric mismatch");
  size_t threads = std::max<size_t>(1, std::thread::hardware_concurrency());
  if (!idx.try_reserve(us::index_limits_t(std::max<size_t>(idx.capacity(), idx.size()), threads))) {
    return Status::Internal("HNSW: out of memory");
  }
  out->state_ = {h.count, h.max_seq, h.seq_hash};
  out->may_reuse_slots_ = idx.stats().nodes > idx.size();  // freed slots saved with it
  return out;
}

}  // namespace stratamem
