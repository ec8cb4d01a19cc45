// SqliteStore::Search: scoped vector scan + scoped BM25, fused (search/fusion.h).
#include <algorithm>
#include <limits>
#include <string>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "fts/fts_query.h"
#include "search/fusion.h"
#include "search/planner.h"
#include "search/ranking.h"
#include "search/visibility_sql.h"
#include "store/record_io.h"
#include "store/sqlite_store.h"
#include "store/time_sql.h"
#include "store/validate.h"
#include "util/utf8.h"
#include "vector/dot.h"

namespace stratamem {
namespace {

constexpr int kMaxTopK = 1000;

// How deep each signal's list goes before fusion.
size_t CandidateDepth(int top_k) { return static_cast<size_t>(std::max(50, top_k * 5)); }

Status ValidateSearch(const SearchRequest& r) {
  if (r.context.user_id.empty()) return Status::InvalidArgument("search needs a user_id");
  if (r.top_k < 1 || r.top_k > kMaxTopK) {
    return Status::InvalidArgument("top_k must be between 1 and " + std::to_string(kMaxTopK));
  }
  if (!(r.min_score >= 0 && r.min_score <= 1)) return Status::InvalidArgument("min_score must be between 0 and 1");
  if (!IsValidUtf8(r.query)) return Status::InvalidArgument("query is not valid UTF-8");
  if (r.as_of < 0) return Status::InvalidArgument("as_of must be a positive time");
  if (r.valid_at < 0) return Status::InvalidArgument("valid_at must be a positive time");
  if (!(r.graph_weight >= 0 && r.graph_weight < 1)) return Status::InvalidArgument("graph_weight must be in [0, 1)");
  if (!(r.vector_weight >= 0 && r.text_weight >= 0 && r.vector_weight + r.text_weight > 0)) {
    return Status::InvalidArgument("fusion weights must be >= 0 and not both 0");
  }
  if (r.query.find('\0') != std::string::npos) return Status::InvalidArgument("query contains a NUL character");
  if (IsBlank(r.query)) return Status::InvalidArgument("query is empty");
  for (const auto& [key, value] : r.metadata_equals) {
    if (key.empty() || key.find('"') != std::string::npos || !IsValidUtf8(key)) {
      return Status::InvalidArgument("metadata filter key must be non-empty UTF-8 without '\"'");
    }
  }
  return Status::OK();
}

// "AND json_extract(m.metadata, :p0) IS :f0 ..." for each filter.
std::string MetadataSql(const SearchRequest& r) {
  std::string sql;
  for (size_t i = 0; i < r.metadata_equals.size(); ++i) {
    std::string n = std::to_string(i);
    sql += " AND json_extract(m.metadata, :p" + n + ") IS :f" + n;
  }
  return sql;
}

// Current versions, those current at request.as_of, or what held at valid_at (time_sql.h).
std::string TimeSql(const SearchRequest& r) { return MemoryTimeSql({r.as_of, r.valid_at}); }

void BindTime(Stmt* stmt, const SearchRequest& r) { BindReadTime(stmt, {r.as_of, r.valid_at}); }

// A past moment or a world-time filter: versions the vector cache does not hold.
bool PastRead(const SearchRequest& r) { return r.as_of != 0 || r.valid_at != 0; }

std::string ScopeSql(const SearchRequest& r) {
  if (r.scopes.empty()) return "";
  std::string sql = " AND m.scope IN (";
  for (size_t i = 0; i < r.scopes.size(); ++i) sql += (i ? "," : "") + std::to_string(static_cast<int>(r.scopes[i]));
  return sql + ")";
}

// Binds filter values by JSON type so 3 matches 3 and "3" matches "3".
Status BindMetadata(Stmt* stmt, const SearchRequest& r) {
  for (size_t i = 0; i < r.metadata_equals.size(); ++i) {
    const auto& [key, value_json] = r.metadata_equals[i];
    std::string n = std::to_string(i);
    stmt->Bind(stmt->ParamIndex((":p" + n).c_str()), "$.\"" + key + "\"");
    int idx = stmt->ParamIndex((":f" + n).c_str());
    nlohmann::json v = nlohmann::json::parse(value_json, nullptr, false);
    if (v.is_discarded()) return Status::InvalidArgument("metadata filter value for '" + key + "' is not JSON");
    if (v.is_string()) {
      stmt->Bind(idx, v.get<std::string>());
    } else if (v.is_boolean()) {
      stmt->Bind(idx, static_cast<int64_t>(v.get<bool>() ? 1 : 0));
    } else if (v.is_number_integer() || v.is_number_unsigned()) {
      stmt->Bind(idx, v.get<int64_t>());
    } else if (v.is_number_float()) {
      stmt->Bind(idx, v.get<double>());
    } else if (v.is_null()) {
      stmt->BindNull(idx);
    } else {
      return Status::InvalidArgument("metadata filter for '" + key + "' must be a string, number, boolean or null");
    }
  }
  return Status::OK();
}

}  // namespace

Result<std::unordered_set<int64_t>> SqliteStore::FilteredSeqsLocked(const SearchRequest& r) {
  auto stmt = db_->Prepare(std::string("SELECT m.seq FROM memories m WHERE ") + kVisibleSql + TimeSql(r) +
                           MetadataSql(r));
  if (!stmt.ok()) return stmt.status();
  BindViewer(&*stmt, r.context);
  BindTime(&*stmt, r);
  STRATAMEM_RETURN_IF_ERROR(BindMetadata(&*stmt, r));
  std::unordered_set<int64_t> seqs;
  while (true) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    seqs.insert(stmt->Int(0));
  }
  return seqs;
}

// A past moment's versions are not in the cache: scan their stored vectors.
// Slower than the cache (reads every visible version's blob) but exact.
Result<std::vector<RankedHit>> SqliteStore::VectorHitsAsOfLocked(const SearchRequest& r,
                                                                 const std::vector<float>& query, size_t depth) {
  auto stmt = db_->Prepare(std::string("SELECT m.seq, v.data FROM memories m JOIN vectors v ON v.seq = m.seq WHERE ") +
                           kVisibleSql + TimeSql(r) + MetadataSql(r) + ScopeSql(r));
  if (!stmt.ok()) return stmt.status();
  BindViewer(&*stmt, r.context);
  BindTime(&*stmt, r);
  STRATAMEM_RETURN_IF_ERROR(BindMetadata(&*stmt, r));
  std::vector<RankedHit> hits;
  std::vector<float> vec(static_cast<size_t>(dim_));
  while (true) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    if (!DecodeVector(stmt->Blob(1), dim_, vec.data())) return Status::Corruption("stored vector has the wrong size");
    hits.push_back({stmt->Int(0), Dot(query.data(), vec.data(), vec.size())});
  }
  std::sort(hits.begin(), hits.end(), [](const RankedHit& a, const RankedHit& b) { return a.score > b.score; });
  if (hits.size() > depth) hits.resize(depth);
  return hits;
}

Result<std::vector<MemoryRecord>> SqliteStore::FetchBySeqLocked(const std::vector<int64_t>& seqs) {
  std::vector<MemoryRecord> out(seqs.size());
  if (seqs.empty()) return out;
  std::string sql = std::string("SELECT ") + kRecordColumns + " FROM memories m WHERE m.seq IN (";
  for (size_t i = 0; i < seqs.size(); ++i) sql += (i ? "," : "") + std::to_string(seqs[i]);
  sql += ")";
  auto stmt = db_->Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  std::unordered_map<int64_t, size_t> pos;
  for (size_t i = 0; i < seqs.size(); ++i) pos[seqs[i]] = i;
  while (true) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    MemoryRecord rec;
    int64_t seq = ReadRecord(*stmt, &rec);
    out[pos[seq]] = std::move(rec);
  }
  return out;
}

VectorPlan SqliteStore::PlanLocked(uint32_t user, size_t depth, size_t max_candidates) const {
  PlanInput in;
  in.backend = options_.vector_backend;
  in.candidate_rows = std::min(cache_.UserRows(user), max_candidates);
  in.index_rows = cache_.size();
  in.depth = depth;
  in.ef_search = options_.hnsw_ef_search;
  return PlanVectorSearch(in);
}

// The current versions' vector signal: the exact scan of the viewer's rows or
// the HNSW walk, as the planner decides; `allowed` (metadata filters) and the
// request's scope levels narrow both inside the scan or walk.
Result<std::vector<RankedHit>> SqliteStore::VectorHitsLocked(const SearchRequest& r, const std::vector<float>& query,
                                                             size_t depth, const std::unordered_set<int64_t>* allowed) {
  if (query.size() != static_cast<size_t>(dim_)) {
    return Status::DimensionMismatch("query vector has " + std::to_string(query.size()) +
                                     " dimensions; the store's is " + std::to_string(dim_));
  }
  unsigned scope_mask = 0;
  for (Scope s : r.scopes) scope_mask |= 1u << static_cast<int>(s);
  ScopeKeys viewer = cache_.KeysForViewer(r.context);
  auto accept = [&](int64_t seq, const ScopeKeys& keys) {
    if (scope_mask && !(scope_mask & (1u << keys.scope))) return false;
    return allowed == nullptr || allowed->count(seq) > 0;
  };
  VectorPlan plan = PlanLocked(viewer.user, depth, allowed ? allowed->size() : SIZE_MAX);
  if (plan.use_hnsw && !cache_.ann()) {
    // First query that needs the index (kAuto): built in the background; this
    // query (and those until it is ready) scans exactly.
    STRATAMEM_RETURN_IF_ERROR(StartAnnBuildLocked());
  }
  std::vector<VectorHit> hits = plan.use_hnsw && cache_.ann()
                                    ? cache_.SearchAnn(query.data(), viewer, depth, plan.ef, accept)
                                    : cache_.Search(query.data(), viewer, depth, accept);
  std::vector<RankedHit> out;
  out.reserve(hits.size());
  for (const auto& h : hits) out.push_back({h.seq, h.score});
  return out;
}

// The BM25 signal: FTS5 matched within the viewer's user (user_key), then the
// visibility rule, time, metadata and scope filters in SQL. A user holding
// most of the store is matched without the user_key term: intersecting with
// a doclist as long as the whole index cost ~30% more than it saved
// (measured at 100k rows, one user); the visibility predicate filters either way.
Result<std::vector<RankedHit>> SqliteStore::TextHitsLocked(const SearchRequest& r, size_t depth) {
  std::vector<RankedHit> hits;
  std::string fts = BuildFtsQuery(r.query);
  if (fts.empty()) return hits;
  // bm25 weights: content 1, user_key 0 (that column only narrows the match).
  auto stmt = db_->Prepare(std::string("SELECT m.seq, -bm25(memories_fts, 1.0, 0.0) AS relevance FROM memories_fts "
                                       "JOIN memories m ON m.seq = memories_fts.rowid "
                                       "WHERE memories_fts MATCH :q AND ") +
                           kVisibleSql + TimeSql(r) + MetadataSql(r) + ScopeSql(r) +
                           " ORDER BY relevance DESC LIMIT :n");
  if (!stmt.ok()) return stmt.status();
  BindViewer(&*stmt, r.context);
  BindTime(&*stmt, r);
  STRATAMEM_RETURN_IF_ERROR(BindMetadata(&*stmt, r));
  bool narrow = cache_.UserRows(cache_.KeysForViewer(r.context).user) * 2 < cache_.size();
  stmt->BindNamed(":q", narrow ? UserFtsQuery(r.context.user_id, fts) : fts);
  stmt->Bind(stmt->ParamIndex(":n"), static_cast<int64_t>(depth));
  while (true) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    hits.push_back({stmt->Int(0), stmt->Double(1)});
  }
  return hits;
}

Result<std::vector<float>> SqliteStore::EmbedQuery(const std::string& query) {
  {
    std::lock_guard<std::mutex> lock(embed_cache_mu_);
    if (const std::vector<float>* v = embed_cache_.Find(query)) return *v;
  }
  std::vector<float> vec;
  STRATAMEM_RETURN_IF_ERROR(embedder_->Embed(query, &vec));
  std::lock_guard<std::mutex> lock(embed_cache_mu_);
  embed_cache_.Put(query, vec);
  return vec;
}

Result<std::vector<SearchResult>> SqliteStore::Search(const SearchRequest& r) {
  STRATAMEM_RETURN_IF_ERROR(ValidateSearch(r));
  STRATAMEM_RETURN_IF_ERROR(ValidateRanking(r));
  std::string cache_key = options_.cache_enabled ? QueryCache::Key(r) : std::string();
  if (!cache_key.empty()) {
    std::lock_guard<std::mutex> lock(mu_);
    STRATAMEM_RETURN_IF_ERROR(CheckOpenLocked());
    STRATAMEM_RETURN_IF_ERROR(SyncCacheLocked());  // another process's write empties the cache
    std::vector<SearchResult> cached;
    int64_t now = env_->NowMicros();
    if (query_cache_.Get(cache_key, now, &cached)) {
      NoteAccessLocked(cached, now);
      return cached;
    }
  }
  bool use_vector = r.mode != SearchMode::kText;
  bool use_text = r.mode != SearchMode::kVector;
  std::vector<float> query_vec;
  if (use_vector) {  // outside the lock
    auto vec = EmbedQuery(r.query);
    if (!vec.ok()) return vec.status();
    query_vec = std::move(vec).value();
  }

  std::lock_guard<std::mutex> lock(mu_);
  STRATAMEM_RETURN_IF_ERROR(CheckOpenLocked());
  STRATAMEM_RETURN_IF_ERROR(SyncCacheLocked());
  size_t depth = CandidateDepth(r.top_k);

  // Metadata filters narrow the candidate set before ranking, like scopes do.
  std::unordered_set<int64_t> allowed;
  bool filtered = !r.metadata_equals.empty();
  if (filtered) {
    auto seqs = FilteredSeqsLocked(r);
    if (!seqs.ok()) return seqs.status();
    allowed = std::move(seqs).value();
  }
  std::vector<RankedHit> vector_hits;
  std::unordered_map<int64_t, float> past_cosines;  // as_of: every visible version's cosine
  if (use_vector && dim_ > 0 && PastRead(r)) {
    auto hits = VectorHitsAsOfLocked(r, query_vec, std::numeric_limits<size_t>::max());
    if (!hits.ok()) return hits.status();
    for (const auto& h : *hits) past_cosines[h.seq] = static_cast<float>(h.score);
    vector_hits = std::move(hits).value();
    if (vector_hits.size() > depth) vector_hits.resize(depth);
  } else if (use_vector && dim_ > 0) {
    auto hits = VectorHitsLocked(r, query_vec, depth, filtered ? &allowed : nullptr);
    if (!hits.ok()) return hits.status();
    vector_hits = std::move(hits).value();
  }

  std::vector<RankedHit> text_hits;
  if (use_text) {
    auto hits = TextHitsLocked(r, depth);
    if (!hits.ok()) return hits.status();
    text_hits = std::move(hits).value();
  }

  FusionOptions fusion;
  fusion.use_vector = use_vector;
  fusion.use_text = use_text;
  fusion.vector_weight = r.vector_weight;
  fusion.text_weight = r.text_weight;
  // Candidates outside the vector list still get their real cosine.
  auto cosine_of = [&](int64_t seq, float* cos) {
    if (query_vec.empty()) return false;
    if (PastRead(r)) {
      auto it = past_cosines.find(seq);
      if (it == past_cosines.end()) return false;
      *cos = it->second;
      return true;
    }
    return cache_.Similarity(seq, query_vec.data(), cos);
  };
  std::vector<FusedHit> fused;
  if (r.fusion == FusionMethod::kRrf) {
    fused = FuseRanks(vector_hits, text_hits, fusion);
  } else {
    fused = FuseScores(vector_hits, text_hits, fusion, cosine_of);
  }
  std::unordered_map<int64_t, GraphMark> graph_marks;
  if (UsesGraph(r)) {  // the third signal (search/graph_signal.h)
    auto hits = GraphHitsLocked(r, filtered ? &allowed : nullptr);
    if (!hits.ok()) return hits.status();
    AddGraphSignal(&fused, *hits, r.graph_weight, fusion, r.fusion == FusionMethod::kRrf, cosine_of, &graph_marks);
  }
  auto results = RankLocked(r, fused, graph_marks);
  if (!results.ok()) return results.status();
  int64_t now = env_->NowMicros();
  NoteAccessLocked(*results, now);
  if (!cache_key.empty()) query_cache_.Put(cache_key, r.context, now, *results);
  return results;
}

}  // namespace stratamem
