// SqliteStore and its HNSW index: the sidecar file `<db>.hnsw` is loaded on
// open and brought in step with the table (it may be stale after a crash
// between a commit and the next save, or after another process's writes), or
// rebuilt when missing, damaged or built with other parameters. SQLite stays
// the source of truth.
#include <cstdio>
#include <thread>
#include <unordered_set>

#include "store/record_io.h"
#include "store/schema.h"
#include "store/sqlite_store.h"

namespace stratamem {

static_assert(static_cast<int>(HnswScalar::kF16) == static_cast<int>(IndexScalar::kF16) &&
              static_cast<int>(HnswScalar::kI8) == static_cast<int>(IndexScalar::kI8));

std::string SqliteStore::AnnPathLocked() const {
  if (options_.db_path.empty() || options_.db_path == ":memory:" || options_.db_path.rfind("file:", 0) == 0) {
    return "";
  }
  return options_.db_path + ".hnsw";
}

std::string SqliteStore::PartialAnnPathLocked() const {
  std::string path = AnnPathLocked();
  return path.empty() ? path : path + ".partial";
}

HnswParams SqliteStore::AnnParamsLocked() const {
  HnswParams p;
  p.dimension = dim_;
  p.m = options_.hnsw_m;
  p.ef_construction = options_.hnsw_ef_construction;
  p.scalar = static_cast<HnswScalar>(options_.hnsw_scalar);  // same numbering (static_asserts below)
  p.store_tag = store_tag_;
  return p;
}

// The store's id (meta "store_id", made on first open for writing) folded to
// 32 bits (FNV-1a) for the sidecar header: a sidecar from another store is
// rebuilt, not trusted.
Status SqliteStore::LoadStoreTagLocked() {
  auto id = GetMeta(db_.get(), "store_id");
  if (!id.ok()) return id.status();
  std::string value = *id;
  if (value.empty() && !options_.read_only) {
    value = env_->NewId();
    auto txn = Transaction::Begin(db_.get(), /*immediate=*/true);
    if (!txn.ok()) return txn.status();
    auto again = GetMeta(db_.get(), "store_id");  // another process may have made it first
    if (!again.ok()) return again.status();
    if (again->empty()) {
      STRATAMEM_RETURN_IF_ERROR(SetMeta(db_.get(), "store_id", value));
    } else {
      value = *again;
    }
    STRATAMEM_RETURN_IF_ERROR((*txn)->Commit());
  }
  uint32_t h = 2166136261u;
  for (unsigned char c : value) h = (h ^ c) * 16777619u;
  store_tag_ = h;
  return Status::OK();
}

Status SqliteStore::OpenAnnLocked() {
  if (options_.vector_backend == VectorBackend::kExact || dim_ == 0) return Status::OK();
  STRATAMEM_RETURN_IF_ERROR(LoadStoreTagLocked());
  std::string path = AnnPathLocked();
  if (!path.empty()) {
    auto loaded = HnswIndex::Load(path, AnnParamsLocked());
    if (loaded.ok()) {
      auto changed = cache_.AdoptAnn(std::move(loaded).value());
      if (changed.ok()) {
        ann_repaired_ = static_cast<int64_t>(*changed);
        ann_source_ = *changed ? "repaired" : "sidecar";
        return Status::OK();
      }
      // A repair that failed (out of memory) leaves no index: rebuild below.
    }
    // Missing, damaged or other parameters: the table rebuilds it (kHnsw now,
    // kAuto when a query first needs it).
  }
  if (options_.vector_backend == VectorBackend::kHnsw) return BuildAnnLocked();
  return Status::OK();
}

Status SqliteStore::BuildAnnLocked() {
  if (dim_ == 0) return Status::OK();
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  STRATAMEM_RETURN_IF_ERROR(cache_.BuildAnn(AnnParamsLocked(), threads));
  ann_source_ = "built";
  ann_repaired_ = 0;
  // Saved at once, so the next open does not pay for the build again; a
  // failed save (derived data) must not fail the search that asked for it.
  (void)SaveAnnLocked();
  return Status::OK();
}

Status SqliteStore::StartAnnBuildLocked() {
  if (ann_building_ || dim_ == 0) return Status::OK();
  if (AnnPathLocked().empty()) return BuildAnnLocked();  // no file a second connection could read
  if (ann_builder_.joinable()) ann_builder_.join();  // a finished earlier attempt
  ann_building_ = true;
  ann_source_ = "building";
  // A build an earlier process had to stop hands its progress over in the
  // .partial sidecar (docs/architecture.md): continue from it.
  std::unique_ptr<HnswIndex> start;
  if (!options_.read_only) {
    auto partial = HnswIndex::Load(PartialAnnPathLocked(), AnnParamsLocked());
    if (partial.ok()) start = std::move(partial).value();
  }
  ann_builder_ = std::thread(&SqliteStore::BuildAnnInBackground, this, AnnParamsLocked(), std::move(start));
  return Status::OK();
}

void SqliteStore::BuildAnnInBackground(HnswParams params, std::unique_ptr<HnswIndex> start) {
  // Reads the current rows through its own connection (WAL: a consistent
  // snapshot, no lock held against writers) in chunks, so no second copy of
  // every vector is made.
  bool partial = false;
  auto build = [&]() -> Result<std::unique_ptr<HnswIndex>> {
    auto db = Db::Open(options_.db_path, /*read_only=*/true, /*create=*/false);
    if (!db.ok()) return db.status();
    STRATAMEM_RETURN_IF_ERROR((*db)->Exec("PRAGMA busy_timeout = " + std::to_string(options_.busy_timeout_ms)));
    Result<std::unique_ptr<HnswIndex>> index = start ? Result<std::unique_ptr<HnswIndex>>(std::move(start))
                                                     : HnswIndex::Create(params);
    if (!index.ok()) return index.status();
    auto txn = Transaction::Begin(db->get(), /*immediate=*/false);  // one snapshot for every chunk
    if (!txn.ok()) return txn.status();
    auto stmt = (*db)->Prepare(
        "SELECT m.seq, v.data FROM memories m JOIN vectors v ON v.seq = m.seq WHERE m.valid_to IS NULL");
    if (!stmt.ok()) return stmt.status();
    int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    constexpr size_t kChunk = 16384;
    std::vector<int64_t> seqs;
    std::vector<float> vecs;
    bool done = false;
    size_t added = 0;  // rows this run inserted
    // One node per distinct vector (vector_cache.h): a row whose vector was
    // already seen is answered for by that row's node. By hash alone, so no
    // copy of the vectors is kept; a collision only leaves a row out, which
    // the reconcile at adoption adds back.
    std::unordered_set<uint64_t> seen;
    size_t dim_bytes = sizeof(float) * static_cast<size_t>(params.dimension);
    while (!done) {
      seqs.clear();
      vecs.clear();
      while (seqs.size() < kChunk) {
        auto row = stmt->Step();
        if (!row.ok()) return row.status();
        if (!*row) {
          done = true;
          break;
        }
        size_t at = vecs.size();
        vecs.resize(at + static_cast<size_t>(params.dimension));
        if (!DecodeVector(stmt->Blob(1), params.dimension, vecs.data() + at)) {
          return Status::Corruption("stored vector has the wrong size");
        }
        uint64_t h = 1469598103934665603ull;  // FNV-1a, as VectorCache::HashVector
        const unsigned char* p = reinterpret_cast<const unsigned char*>(vecs.data() + at);
        for (size_t i = 0; i < dim_bytes; ++i) h = (h ^ p[i]) * 1099511628211ull;
        if (!seen.insert(h).second) {
          vecs.resize(at);
          continue;
        }
        seqs.push_back(stmt->Int(0));
      }
      // Rows the partial index already holds are skipped by AddMany (cheaply:
      // a handed-over index's chunks are read again but not re-inserted).
      size_t before = (*index)->size();
      STRATAMEM_RETURN_IF_ERROR((*index)->AddMany(seqs, vecs.data(), threads));
      added += (*index)->size() - before;
      // Closing: stop once this process has added at least one chunk's worth
      // of new rows, and hand the progress over below.
      if (closing_ && !done && added > 0) {
        partial = true;
        break;
      }
    }
    return index;
  };
  auto index = build();
  std::lock_guard<std::mutex> lock(mu_);
  ann_building_ = false;
  if (partial && index.ok() && db_ && !options_.read_only) {
    // The next process's build starts from here instead of from nothing.
    (void)(*index)->Save(PartialAnnPathLocked());
    if (ann_source_ == "building") ann_source_.clear();
    return;
  }
  // A build that completed as the store was closing is kept and saved.
  if (!index.ok() || !db_ || cache_.ann()) {
    // A failed build leaves the exact scan in charge; the next query that
    // needs the index tries again.
    if (ann_source_ == "building") ann_source_.clear();
    return;
  }
  auto changed = cache_.AdoptAnn(std::move(index).value());  // rows written meanwhile
  if (!changed.ok()) {
    ann_source_.clear();
    return;
  }
  ann_source_ = "built";
  ann_repaired_ = 0;
  cache_.MarkAnnDirty();  // built here, not loaded: save it
  if (SaveAnnLocked().ok()) std::remove(PartialAnnPathLocked().c_str());
}

Status SqliteStore::SaveAnnLocked() {
  std::string path = AnnPathLocked();
  if (!cache_.ann() || !cache_.ann_dirty() || path.empty() || options_.read_only) return Status::OK();
  STRATAMEM_RETURN_IF_ERROR(cache_.ann()->Save(path));
  cache_.MarkAnnSaved();
  return Status::OK();
}

// The index must hold exactly the cache's rows (which Verify checks against the table).
Status SqliteStore::VerifyAnnLocked() const {
  const HnswIndex* ann = cache_.ann();
  if (!ann) return Status::OK();
  HnswState have = ann->state(), want = cache_.RepState();  // one node per distinct vector
  if (have.count != want.count || have.seq_hash != want.seq_hash) {
    return Status::Corruption("HNSW index holds " + std::to_string(have.count) + " nodes, the cache " +
                              std::to_string(want.count) + " distinct vectors");
  }
  for (int64_t seq : ann->Seqs()) {
    if (!cache_.IsRep(seq)) return Status::Corruption("HNSW index holds seq " + std::to_string(seq) + " not in the table");
  }
  return Status::OK();
}

}  // namespace stratamem
