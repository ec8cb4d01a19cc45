// SqliteStore::Search: scoped vector scan + scoped BM25, fused (search/fusion.h).
#include <algorithm>
#include <limits>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "fts/fts_query.h"
#include "fts/fts_rank.h"
#include "stratamem/limits.h"
#include "search/fusion.h"
#include "search/planner.h"
#include "search/ranking.h"
#include "search/visibility_sql.h"
#include "store/record_io.h"
#include "store/sqlite_store.h"
#include "store/time_sql.h"
#include "store/validate.h"
#include "util/sha256.h"
#include "util/utf8.h"
#include "vector/dot.h"

namespace stratamem {
namespace {

constexpr int kMaxTopK = 1000;

// The embedding cache's key: the kind's byte, then the text.
std::string EmbedCacheKey(EmbedKind kind, const std::string& text) {
  return std::string(1, static_cast<char>('0' + static_cast<int>(kind))) + text;
}

// How deep each signal's list goes before fusion.
size_t CandidateDepth(int top_k) { return static_cast<size_t>(std::max(50, top_k * 5)); }

Status ValidateSearch(const SearchRequest& r) {
  if (r.context.user_id.empty()) return Status::InvalidArgument("search needs a user_id");
  // The same rules as for saving: an id no save could have written matches nothing
  // and is a caller's mistake (a NUL, invalid UTF-8, only white space).
  STRATAMEM_RETURN_IF_ERROR(ValidateIdText("user_id", r.context.user_id));
  STRATAMEM_RETURN_IF_ERROR(ValidateIdText("session_id", r.context.session_id));
  STRATAMEM_RETURN_IF_ERROR(ValidateIdText("agent_id", r.context.agent_id));
  STRATAMEM_RETURN_IF_ERROR(ValidateIdText("turn_id", r.context.turn_id));
  if (r.top_k < 1 || r.top_k > kMaxTopK) {
    return Status::InvalidArgument("top_k must be between 1 and " + std::to_string(kMaxTopK));
  }
  if (!(r.min_score >= 0 && r.min_score <= 1)) return Status::InvalidArgument("min_score must be between 0 and 1");
  if (!IsValidUtf8(r.query)) return Status::InvalidArgument("query is not valid UTF-8");
  if (r.as_of < 0) return Status::InvalidArgument("as_of must be a positive time");
  if (r.valid_at < 0) return Status::InvalidArgument("valid_at must be a positive time");
  if (!(r.graph_weight >= 0 && r.graph_weight < 1)) return Status::InvalidArgument("graph_weight must be in [0, 1)");
  bool model_weights = r.vector_weight < 0 && r.text_weight < 0;
  if (!model_weights && !(r.vector_weight >= 0 && r.text_weight >= 0 && r.vector_weight + r.text_weight > 0)) {
    return Status::InvalidArgument("fusion weights must be >= 0 and not both 0 (or both negative: the model's)");
  }
  if (r.query.find('\0') != std::string::npos) return Status::InvalidArgument("query contains a NUL character");
  if (IsBlank(r.query)) return Status::InvalidArgument("query is empty");
  for (const auto& [key, value] : r.metadata_equals) {
    if (key.empty() || key.find('"') != std::string::npos || !IsValidUtf8(key)) {
      return Status::InvalidArgument("metadata filter key must be non-empty UTF-8 without '\"'");
    }
    if (value.size() > kMaxMetadataBytes || JsonNestingDepth(value) > kMaxJsonDepth) {
      return Status::InvalidArgument("metadata filter value for '" + key + "' is larger than the metadata limits");
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
  // BM25 over the content column as a fraction of the query's attainable
  // score (fts/fts_rank.h); the user_key phrase, when there, only narrows.
  auto stmt = db_->Prepare(std::string("SELECT m.seq, ") + kFtsMatchFunction +
                           "(memories_fts, :first) AS relevance FROM memories_fts "
                           "JOIN memories m ON m.seq = memories_fts.rowid "
                           "WHERE memories_fts MATCH :q AND " +
                           kVisibleSql + TimeSql(r) + MetadataSql(r) + ScopeSql(r) +
                           " ORDER BY relevance DESC, m.seq DESC LIMIT :n");
  if (!stmt.ok()) return stmt.status();
  BindViewer(&*stmt, r.context);
  BindTime(&*stmt, r);
  STRATAMEM_RETURN_IF_ERROR(BindMetadata(&*stmt, r));
  bool narrow = cache_.UserRows(cache_.KeysForViewer(r.context).user) * 2 < cache_.size();
  stmt->BindNamed(":q", narrow ? UserFtsQuery(r.context.user_id, fts) : fts);
  stmt->Bind(stmt->ParamIndex(":first"), static_cast<int64_t>(narrow ? 1 : 0));
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
  // The key carries the kind: a model with query/passage prefixes gives the same
  // text two vectors, and only the query one may answer a search.
  const std::string key = EmbedCacheKey(EmbedKind::kQuery, query);
  {
    std::lock_guard<std::mutex> lock(embed_cache_mu_);
    if (const std::vector<float>* v = embed_cache_.Find(key)) return *v;
  }
  std::vector<float> vec;
  STRATAMEM_RETURN_IF_ERROR(embedder_->Embed(query, &vec, EmbedKind::kQuery));
  std::lock_guard<std::mutex> lock(embed_cache_mu_);
  embed_cache_.Put(key, vec);
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
  bool model_weights = r.vector_weight < 0 && r.text_weight < 0;
  fusion.vector_weight = model_weights ? calibration_.vector_weight : r.vector_weight;
  fusion.text_weight = model_weights ? calibration_.text_weight : r.text_weight;
  fusion.cosine_floor = calibration_.cosine_floor;
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
  std::unordered_set<int64_t> verbatim;
  if (!PastRead(r)) {
    auto promoted = PromoteVerbatimLocked(r, filtered ? &allowed : nullptr, query_vec, &fused);
    if (!promoted.ok()) return promoted.status();
    verbatim = std::move(promoted).value();
  }
  auto results = RankLocked(r, fused, graph_marks, verbatim);
  if (!results.ok()) return results.status();
  int64_t now = env_->NowMicros();
  NoteAccessLocked(*results, now);
  if (!cache_key.empty()) query_cache_.Put(cache_key, r.context, now, *results);
  return results;
}

// A verbatim query (issue 9): an index lookup on (user_id, content_hash) finds
// the memories whose text is the query, whatever the approximate walk or the
// BM25 list did; the same visibility, scope and metadata rules apply.
Result<std::unordered_set<int64_t>> SqliteStore::PromoteVerbatimLocked(const SearchRequest& r,
                                                                       const std::unordered_set<int64_t>* allowed,
                                                                       const std::vector<float>& query,
                                                                       std::vector<FusedHit>* fused) {
  std::unordered_set<int64_t> verbatim;
  if (r.context.user_id.empty()) return verbatim;
  auto stmt = db_->Prepare(
      "SELECT m.seq, m.scope, m.user_id, m.session_id, m.agent_id, m.turn_id FROM memories m "
      "WHERE m.user_id = :vu AND m.content_hash = :h AND m.valid_to IS NULL");
  if (!stmt.ok()) return stmt.status();
  stmt->BindNamed(":vu", r.context.user_id).BindNamed(":h", Sha256Hex(NormalizeForHash(r.query)));
  while (true) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    int64_t seq = stmt->Int(0);
    Scope scope = static_cast<Scope>(stmt->Int(1));
    ScopeContext owner{stmt->Text(2), stmt->Text(3), stmt->Text(4), stmt->Text(5)};
    if (!IsVisible(scope, owner, r.context)) continue;
    if (!r.scopes.empty() && std::find(r.scopes.begin(), r.scopes.end(), scope) == r.scopes.end()) continue;
    if (allowed != nullptr && allowed->count(seq) == 0) continue;
    verbatim.insert(seq);
  }
  if (verbatim.empty()) return verbatim;
  double top = fused->empty() ? 1.0 : fused->front().score;
  for (int64_t seq : verbatim) {
    auto it = std::find_if(fused->begin(), fused->end(), [&](const FusedHit& h) { return h.seq == seq; });
    FusedHit hit{seq, top, 0.0, 0.0, 0, 0};
    if (it != fused->end()) {
      hit = *it;
      fused->erase(it);
    } else if (float cos = 0; !query.empty() && cache_.Similarity(seq, query.data(), &cos)) {
      hit.vector_score = cos;
    }
    hit.score = std::max(hit.score, top);  // the best relevance: it is what was asked for
    fused->insert(fused->begin(), hit);
  }
  return verbatim;
}

}  // namespace stratamem
