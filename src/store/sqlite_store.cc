#include "store/sqlite_store.h"

#include <algorithm>
#include <filesystem>
#include <string>
#include <unordered_set>
#include <utility>

#include "fts/fts_rank.h"
#include "search/visibility_sql.h"
#include "store/graph_schema.h"
#include "store/record_io.h"
#include "store/schema.h"
#include "store/validate.h"
#include "util/sha256.h"
#include "util/utf8.h"
#include "vector/dot.h"

namespace stratamem {

MemoryStore::~MemoryStore() = default;

Result<std::unique_ptr<MemoryStore>> MemoryStore::Open(const OpenOptions& options,
                                                       std::unique_ptr<Embedder> embedder) {
  return SqliteStore::Open(options, std::move(embedder));
}

Result<std::string> MemoryStore::Save(const SaveRequest& request) {
  auto out = SaveDetailed({request});
  if (!out.ok()) return out.status();
  return std::move(out->front().id);
}

Result<std::vector<std::string>> MemoryStore::SaveBatch(const std::vector<SaveRequest>& requests) {
  auto out = SaveDetailed(requests);
  if (!out.ok()) return out.status();
  std::vector<std::string> ids;
  ids.reserve(out->size());
  for (auto& o : *out) ids.push_back(std::move(o.id));
  return ids;
}

SqliteStore::SqliteStore(const OpenOptions& options, std::unique_ptr<Embedder> embedder)
    : options_(options),
      env_(options.env ? options.env : Env::Default()),
      embedder_(std::move(embedder)),
      query_cache_(options.cache_enabled ? options.cache_max_size : 0),
      embed_cache_(options.cache_enabled ? options.cache_max_size : 0) {}

SqliteStore::~SqliteStore() { Close(); }

Result<std::unique_ptr<MemoryStore>> SqliteStore::Open(const OpenOptions& options,
                                                       std::unique_ptr<Embedder> embedder) {
  if (!embedder) return Status::InvalidArgument("an embedder is required to open a store");
  if (options.db_path.empty()) return Status::InvalidArgument("db_path is empty");
  if (options.max_content_bytes == 0) return Status::InvalidArgument("max_content_bytes must be positive");
  if (options.vector_dimension < 0) return Status::InvalidArgument("vector_dimension must be >= 0");
  if (options.hnsw_m < 2 || options.hnsw_ef_construction < 1 || options.hnsw_ef_search < 1) {
    return Status::InvalidArgument("hnsw_m must be >= 2 and hnsw_ef_construction, hnsw_ef_search >= 1");
  }
  std::unique_ptr<SqliteStore> store(new SqliteStore(options, std::move(embedder)));
  STRATAMEM_RETURN_IF_ERROR(store->Init());
  return std::unique_ptr<MemoryStore>(std::move(store));
}

// Damage and permissions get a message that says what is wrong with which
// file; nothing is ever written to a file that is not a sound store.
Status SqliteStore::Init() {
  Status st = OpenFiles();
  if (st.ok()) return st;
  std::lock_guard<std::mutex> lock(mu_);
  db_.reset();
  const std::string& path = options_.db_path;
  switch (st.code()) {
    case Status::Code::kCorruption:
      return Status::Corruption("'" + path + "' is damaged or is not a stratamem store (" + st.message() +
                                "); it was left as it is");
    case Status::Code::kIOError:
      if (st.message().find("readonly") != std::string::npos ||
          st.message().find("unable to open") != std::string::npos) {
        return Status::IOError("cannot open '" + path + "' for writing: the file or its directory is read-only or "
                               "missing (" + st.message() + "); open it with read_only=True to read it");
      }
      return st;
    default:
      return st;
  }
}

Status SqliteStore::OpenFiles() {
  std::lock_guard<std::mutex> lock(mu_);
  const std::string& path = options_.db_path;
  if (options_.create_if_missing && !options_.read_only && path != ":memory:" && path.rfind("file:", 0) != 0) {
    // A fresh machine has no ~/.stratamem yet (docs/agents.md): make the parent.
    std::filesystem::path parent = std::filesystem::path(path).parent_path();
    std::error_code ec;
    if (!parent.empty() && !std::filesystem::exists(parent, ec)) {
      std::filesystem::create_directories(parent, ec);
      if (ec) return Status::IOError("cannot create the directory '" + parent.string() + "': " + ec.message());
    }
  }
  auto db = Db::Open(options_.db_path, options_.read_only, options_.create_if_missing);
  if (!db.ok()) return db.status();
  db_ = std::move(db).value();
  // Read the file's header first: a file that is not SQLite is then reported as
  // such (Corruption), not as the FTS5 API missing (SQLite 3.54 loads the schema
  // when preparing `SELECT fts5(?1)`).
  STRATAMEM_RETURN_IF_ERROR(db_->QueryInt("PRAGMA schema_version").status());
  STRATAMEM_RETURN_IF_ERROR(RegisterFtsRank(db_->raw()));
  STRATAMEM_RETURN_IF_ERROR(db_->Exec("PRAGMA busy_timeout = " + std::to_string(options_.busy_timeout_ms)));
  STRATAMEM_RETURN_IF_ERROR(Migrate(db_.get(), options_.read_only));
  if (options_.db_path != ":memory:" && !options_.read_only) {
    // WAL: readers never block the writer and a commit is one append.
    auto mode = db_->QueryText("PRAGMA journal_mode = WAL");
    if (!mode.ok()) return mode.status();
  }
  const char* sync = options_.durability == Durability::kFull ? "FULL" : "NORMAL";
  STRATAMEM_RETURN_IF_ERROR(db_->Exec(std::string("PRAGMA synchronous = ") + sync));
  STRATAMEM_RETURN_IF_ERROR(CheckModelLocked());
  graph_writer_ = std::make_unique<GraphWriter>(db_.get());
  cache_.Reset(dim_);
  STRATAMEM_RETURN_IF_ERROR(SyncCacheLocked());
  return OpenAnnLocked();
}

// A store remembers the model and dimension its vectors came from and refuses
// to mix in another model's vectors.
Status SqliteStore::CheckModelLocked() {
  auto stored_dim = GetMeta(db_.get(), "dimension");
  if (!stored_dim.ok()) return stored_dim.status();
  auto stored_model = GetMeta(db_.get(), "embedder_model");
  if (!stored_model.ok()) return stored_model.status();
  int embedder_dim = embedder_->dimension();
  int requested = options_.vector_dimension;
  std::string model = embedder_->model_id();
  calibration_ = CalibrationFor(model);
  if (requested > 0 && embedder_dim > 0 && requested != embedder_dim) {
    return Status::DimensionMismatch("vector_dimension is " + std::to_string(requested) + " but the embedder " +
                                     model + " produces " + std::to_string(embedder_dim));
  }
  if (!stored_dim->empty()) {
    int stored = std::stoi(*stored_dim);
    if ((embedder_dim > 0 && embedder_dim != stored) || (requested > 0 && requested != stored)) {
      return Status::DimensionMismatch(
          "this store holds " + std::to_string(stored) + "-dimensional vectors (model " + *stored_model +
          ") but " + std::to_string(embedder_dim > 0 ? embedder_dim : requested) + " were configured");
    }
    if (!stored_model->empty() && *stored_model != model) {
      return Status::InvalidArgument("this store was built with embedder model '" + *stored_model +
                                     "'; opening it with '" + model +
                                     "' would mix incomparable vectors (export and re-import to switch)");
    }
    dim_ = stored;
    return Status::OK();
  }
  dim_ = embedder_dim > 0 ? embedder_dim : requested;
  if (options_.read_only || dim_ == 0) return Status::OK();
  auto txn = Transaction::Begin(db_.get(), true);
  if (!txn.ok()) return txn.status();
  STRATAMEM_RETURN_IF_ERROR(SetMeta(db_.get(), "dimension", std::to_string(dim_)));
  STRATAMEM_RETURN_IF_ERROR(SetMeta(db_.get(), "embedder_model", model));
  return (*txn)->Commit();
}

Status SqliteStore::CheckOpenLocked() const {
  return db_ ? Status::OK() : Status::IOError("the store is closed");
}

Status SqliteStore::Close() {
  // The index builder adopts its result under mu_: stop and join it first.
  closing_ = true;
  std::thread builder;
  {
    std::lock_guard<std::mutex> lock(mu_);
    builder = std::move(ann_builder_);
  }
  if (builder.joinable()) builder.join();
  std::lock_guard<std::mutex> lock(mu_);
  if (!db_) return Status::OK();
  // The sidecar is derived: a failed save (read-only directory, full disk)
  // only costs a repair or rebuild on the next open, so it does not fail Close.
  (void)SaveAnnLocked();
  // Access counts are a ranking hint: a failed write here loses only those.
  if (!pending_access_.empty() && !options_.read_only) {
    auto txn = Transaction::Begin(db_.get(), true);
    if (txn.ok() && FlushAccessLocked().ok()) (void)(*txn)->Commit();
  }
  graph_writer_.reset();  // its prepared statements must go before the connection
  db_.reset();  // sqlite3_close checkpoints the WAL when it is the last connection
  return Status::OK();
}

int SqliteStore::dimension() const {
  std::lock_guard<std::mutex> lock(mu_);
  return dim_;
}

Result<std::unique_ptr<Transaction>> SqliteStore::BeginWriteLocked() {
  auto txn = Transaction::Begin(db_.get(), /*immediate=*/true);
  if (!txn.ok()) return txn.status();
  STRATAMEM_RETURN_IF_ERROR(SyncCacheLocked());
  STRATAMEM_RETURN_IF_ERROR(FlushAccessLocked());
  return txn;
}

// Brings the cache up to date with commits made by other connections.
Status SqliteStore::SyncCacheLocked() {
  auto version = db_->QueryInt("PRAGMA data_version");
  if (!version.ok()) return version.status();
  if (*version == data_version_) return Status::OK();
  query_cache_.Clear();  // another connection wrote; which rows is not known
  if (cache_.dimension() != dim_) {
    if (dim_ == 0) {  // another process may have fixed the dimension
      auto stored = GetMeta(db_.get(), "dimension");
      if (!stored.ok()) return stored.status();
      if (!stored->empty()) dim_ = std::stoi(*stored);
    }
    cache_.Reset(dim_);
  }
  // seq is AUTOINCREMENT (never reused), so rows added elsewhere are exactly
  // those above our max; if the counts then differ, something was deleted or
  // retired by a new version: reload.
  STRATAMEM_RETURN_IF_ERROR(LoadRowsLocked(cache_.max_seq()));
  auto count = db_->QueryInt("SELECT count(*) FROM memories WHERE valid_to IS NULL");
  if (!count.ok()) return count.status();
  if (static_cast<size_t>(*count) != cache_.size()) {
    cache_.Reset(dim_);
    STRATAMEM_RETURN_IF_ERROR(LoadRowsLocked(0));
    auto repaired = cache_.ReconcileAnn();  // drop from the index what was deleted elsewhere
    if (!repaired.ok()) return repaired.status();
  }
  data_version_ = *version;
  return Status::OK();
}

Status SqliteStore::LoadRowsLocked(int64_t after_seq) {
  if (dim_ == 0) return Status::OK();
  auto stmt = db_->Prepare(
      "SELECT m.seq, m.scope, m.user_id, m.session_id, m.agent_id, m.turn_id, v.dimension, v.data "
      "FROM memories m JOIN vectors v ON v.seq = m.seq WHERE m.seq > ?1 AND m.valid_to IS NULL ORDER BY m.seq");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, after_seq);
  std::vector<float> vec(static_cast<size_t>(dim_));
  while (true) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    int64_t seq = stmt->Int(0);
    if (stmt->Int(6) != dim_ || !DecodeVector(stmt->Blob(7), dim_, vec.data())) {
      return Status::Corruption("vector of memory seq " + std::to_string(seq) + " has the wrong size");
    }
    ScopeContext ctx{stmt->Text(2), stmt->Text(3), stmt->Text(4), stmt->Text(5)};
    cache_.Add(seq, cache_.KeysForRow(static_cast<Scope>(stmt->Int(1)), ctx), vec.data());
  }
  return Status::OK();
}

// The row of `id` that Get() means: the current version, else the last one.
// Positioned on that row, or NotFound.
Result<Stmt> SqliteStore::LatestVersionLocked(const std::string& select_from, const std::string& id) {
  auto stmt = db_->Prepare(select_from + " WHERE m.id = ?1 ORDER BY (m.valid_to IS NULL) DESC, m.version DESC LIMIT 1");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, id);
  auto row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::NotFound("no memory with id '" + id + "'");
  return std::move(stmt).value();
}

Result<MemoryRecord> SqliteStore::Get(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  STRATAMEM_RETURN_IF_ERROR(CheckOpenLocked());
  auto stmt = LatestVersionLocked(std::string("SELECT ") + kRecordColumns + " FROM memories m", id);
  if (!stmt.ok()) return stmt.status();
  MemoryRecord rec;
  ReadRecord(*stmt, &rec);
  return rec;
}

Result<std::vector<float>> SqliteStore::GetVector(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  STRATAMEM_RETURN_IF_ERROR(CheckOpenLocked());
  auto stmt = LatestVersionLocked("SELECT v.dimension, v.data FROM memories m JOIN vectors v ON v.seq = m.seq", id);
  if (!stmt.ok()) return stmt.status();
  std::vector<float> v(static_cast<size_t>(stmt->Int(0)));
  if (!DecodeVector(stmt->Blob(1), static_cast<int>(v.size()), v.data())) {
    return Status::Corruption("vector of memory '" + id + "' has the wrong size");
  }
  return v;
}

Result<std::vector<MemoryRecord>> SqliteStore::List(const ListRequest& request) {
  const ScopeContext& c = request.context;
  if (c.user_id.empty() && request.visible_only) {
    return Status::InvalidArgument("listing memories needs a user_id");
  }
  if (request.limit < 0 || request.offset < 0) return Status::InvalidArgument("limit and offset must be >= 0");
  std::string sql = std::string("SELECT ") + kRecordColumns + " FROM memories m WHERE ";
  if (request.visible_only) {
    sql += kVisibleSql;
  } else {
    sql += "(:vu = '' OR m.user_id = :vu) AND (:vs = '' OR m.session_id = :vs) AND (:va = '' OR m.agent_id = :va) "
           "AND (:vt = '' OR m.turn_id = :vt)";
  }
  if (!request.include_history) sql += std::string(" AND ") + kCurrentSql;
  if (!request.scopes.empty()) {
    sql += " AND m.scope IN (";
    for (size_t i = 0; i < request.scopes.size(); ++i) {
      sql += (i ? "," : "") + std::to_string(static_cast<int>(request.scopes[i]));
    }
    sql += ")";
  }
  sql += " ORDER BY m.created_at DESC, m.id DESC, m.version DESC LIMIT :limit OFFSET :offset";
  std::lock_guard<std::mutex> lock(mu_);
  STRATAMEM_RETURN_IF_ERROR(CheckOpenLocked());
  auto stmt = db_->Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  BindViewer(&*stmt, c);
  stmt->Bind(stmt->ParamIndex(":limit"), static_cast<int64_t>(request.limit > 0 ? request.limit : -1));
  stmt->Bind(stmt->ParamIndex(":offset"), static_cast<int64_t>(request.offset));
  std::vector<MemoryRecord> out;
  STRATAMEM_RETURN_IF_ERROR(ReadRecords(&*stmt, &out));
  return out;
}

Status SqliteStore::Delete(const std::string& id) {
  // Every version goes: a deleted memory leaves no history behind.
  auto deleted = DeleteWhere("id = :id", [&](Stmt* stmt) { stmt->BindNamed(":id", id); });
  if (!deleted.ok()) return deleted.status();
  if (*deleted == 0) return Status::NotFound("no memory with id '" + id + "'");
  return Status::OK();
}

// One write transaction deleting the rows `where` selects; after the commit
// their vectors leave the cache and the query-cache entries that saw them go.
Result<int64_t> SqliteStore::DeleteWhere(const std::string& where, const std::function<void(Stmt*)>& bind) {
  std::lock_guard<std::mutex> lock(mu_);
  STRATAMEM_RETURN_IF_ERROR(CheckOpenLocked());
  auto txn = BeginWriteLocked();
  if (!txn.ok()) return txn.status();
  auto stmt = db_->Prepare("DELETE FROM memories WHERE " + where +
                           " RETURNING seq, scope, user_id, session_id, agent_id, turn_id, id");
  if (!stmt.ok()) return stmt.status();
  bind(&*stmt);
  std::vector<int64_t> seqs;
  std::vector<std::pair<Scope, ScopeContext>> rows;
  std::unordered_set<std::string> ids;  // a memory's versions share its id
  while (true) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    seqs.push_back(stmt->Int(0));
    ids.insert(stmt->Text(6));
    rows.push_back({static_cast<Scope>(stmt->Int(1)),
                    ScopeContext{stmt->Text(2), stmt->Text(3), stmt->Text(4), stmt->Text(5)}});
  }
  STRATAMEM_RETURN_IF_ERROR((*txn)->Commit());
  for (int64_t seq : seqs) cache_.Remove(seq);
  for (const auto& [scope, ctx] : rows) query_cache_.InvalidateVisible(scope, ctx);
  return static_cast<int64_t>(ids.size());
}

Result<int64_t> SqliteStore::Clear(const ScopeContext& c) {
  if (c.user_id.empty()) return Status::InvalidArgument("clear needs a user_id");
  if ((!c.agent_id.empty() || !c.turn_id.empty()) && c.session_id.empty()) {
    return Status::InvalidArgument("clearing an agent's or a turn's memories needs its session_id");
  }
  std::string where = "user_id = :vu";
  if (!c.session_id.empty()) {
    if (c.agent_id.empty() && c.turn_id.empty()) {
      where += " AND session_id = :vs AND scope IN (1, 2, 3)";
    } else {
      where += " AND session_id = :vs AND ((:va <> '' AND scope = 2 AND agent_id = :va) OR "
               "(:vt <> '' AND scope = 3 AND turn_id = :vt))";
    }
  }
  return DeleteWhere(where, [&](Stmt* stmt) { BindViewer(stmt, c); });
}

Result<StoreStats> SqliteStore::Stats(const ScopeContext& c) {
  std::lock_guard<std::mutex> lock(mu_);
  STRATAMEM_RETURN_IF_ERROR(CheckOpenLocked());
  StoreStats s;
  std::string where = std::string(kCurrentSql) + " AND " + (c.user_id.empty() ? "1" : kVisibleSql);
  auto stmt = db_->Prepare("SELECT m.scope, count(*) FROM memories m WHERE " + where + " GROUP BY m.scope");
  if (!stmt.ok()) return stmt.status();
  BindViewer(&*stmt, c);
  while (true) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    int scope = static_cast<int>(stmt->Int(0));
    if (scope >= 0 && scope < 4) s.by_scope[scope] = stmt->Int(1);
    s.total += stmt->Int(1);
  }
  auto users = db_->QueryInt("SELECT count(DISTINCT user_id) FROM memories WHERE valid_to IS NULL");
  if (!users.ok()) return users.status();
  s.users = *users;
  auto pages = db_->QueryInt("PRAGMA page_count");
  auto page_size = db_->QueryInt("PRAGMA page_size");
  if (pages.ok() && page_size.ok()) s.db_size_bytes = *pages * *page_size;
  s.dimension = dim_;
  auto model = GetMeta(db_.get(), "embedder_model");
  s.embedder_model = model.ok() && !model->empty() ? *model : embedder_->model_id();
  auto version = db_->QueryInt("PRAGMA user_version");
  s.schema_version = version.ok() ? static_cast<int>(*version) : 0;
  s.ann_rows = static_cast<int64_t>(cache_.AnnRows());  // rows answered for, duplicates included
  s.ann_source = ann_source_;
  s.ann_repaired_rows = ann_repaired_;
  CacheCounters q = query_cache_.counters();
  s.query_cache_hits = q.hits;
  s.query_cache_misses = q.misses;
  s.query_cache_entries = q.entries;
  s.query_cache_invalidations = query_cache_.invalidations();
  std::lock_guard<std::mutex> embed_lock(embed_cache_mu_);
  CacheCounters e = embed_cache_.counters();
  s.embed_cache_hits = e.hits;
  s.embed_cache_misses = e.misses;
  s.embed_cache_entries = e.entries;
  return s;
}

Status SqliteStore::Verify() {
  std::lock_guard<std::mutex> lock(mu_);
  STRATAMEM_RETURN_IF_ERROR(CheckOpenLocked());
  auto check = db_->QueryText("PRAGMA integrity_check");
  if (!check.ok()) return check.status();
  if (*check != "ok") return Status::Corruption("integrity_check: " + *check);
  Status fts = db_->Exec("INSERT INTO memories_fts(memories_fts) VALUES ('integrity-check')");
  if (!fts.ok()) return Status::Corruption("full-text index: " + fts.message());
  auto orphans = db_->QueryInt(
      "SELECT (SELECT count(*) FROM memories m WHERE NOT EXISTS (SELECT 1 FROM vectors v WHERE v.seq = m.seq)) + "
      "(SELECT count(*) FROM vectors v WHERE NOT EXISTS (SELECT 1 FROM memories m WHERE m.seq = v.seq))");
  if (!orphans.ok()) return orphans.status();
  if (*orphans != 0) return Status::Corruption(std::to_string(*orphans) + " memories and vectors do not pair up");
  STRATAMEM_RETURN_IF_ERROR(SyncCacheLocked());
  auto count = db_->QueryInt("SELECT count(*) FROM memories WHERE valid_to IS NULL");
  if (!count.ok()) return count.status();
  if (static_cast<size_t>(*count) != cache_.size()) {
    return Status::Corruption("vector cache holds " + std::to_string(cache_.size()) + " rows, the table " +
                              std::to_string(*count));
  }
  STRATAMEM_RETURN_IF_ERROR(VerifyGraph(db_.get()));
  return VerifyAnnLocked();
}

}  // namespace stratamem
