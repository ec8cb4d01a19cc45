// SqliteStore's write path: save with dedup, update, supersede, import, history.
#include <algorithm>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>

#include "graph/extractor.h"
#include "graph/inline_graph.h"
#include "search/planner.h"
#include "store/dedup.h"
#include "store/record_io.h"
#include "store/schema.h"
#include "store/sqlite_store.h"
#include "store/validate.h"
#include "util/sha256.h"
#include "util/utf8.h"
#include "vector/dot.h"

namespace stratamem {

Result<std::vector<std::vector<float>>> SqliteStore::EmbedTexts(const std::vector<std::string>& texts) {
  std::vector<std::vector<float>> out;
  Status st = embedder_->EmbedBatch(texts, &out);
  if (!st.ok()) return st;
  if (out.size() != texts.size()) return Status::EmbedderError("the embedder returned a wrong number of vectors");
  return out;
}

Status SqliteStore::AcceptDimensionLocked(size_t n) {
  if (dim_ == 0) {
    if (n == 0) return Status::DimensionMismatch("the embedder returned an empty vector");
    dim_ = static_cast<int>(n);
    cache_.Reset(dim_);
    STRATAMEM_RETURN_IF_ERROR(SetMeta(db_.get(), "dimension", std::to_string(dim_)));
    return SetMeta(db_.get(), "embedder_model", embedder_->model_id());
  }
  if (n != static_cast<size_t>(dim_)) {
    return Status::DimensionMismatch("vector has " + std::to_string(n) + " dimensions; the store's is " +
                                     std::to_string(dim_));
  }
  return Status::OK();
}

namespace {

// A relation stated in a fact holds when the fact does, unless it says otherwise.
void InheritWorldTime(const SaveRequest& r, graph::InlineGraph* g) {
  for (graph::InlineRelation& rel : g->relations) {
    if (rel.world_from == 0) rel.world_from = r.world_from;
    if (rel.world_to == 0) rel.world_to = r.world_to;
  }
}

}  // namespace

std::vector<graph::Mention> SqliteStore::Extract(const std::string& content) const {
  return options_.graph_extract ? graph::ExtractEntities(content) : std::vector<graph::Mention>{};
}

SqliteStore::PendingRow SqliteStore::NewRow(const SaveRequest& r, std::string metadata, int64_t now) {
  PendingRow row;
  MemoryRecord& rec = row.record;
  rec.content = r.content;
  rec.scope = r.scope;
  rec.context = r.context;
  rec.source_agent = r.source_agent.empty() ? r.context.agent_id : r.source_agent;
  rec.importance = r.importance;
  rec.metadata_json = std::move(metadata);
  rec.created_at = rec.updated_at = rec.valid_from = rec.last_seen_at = now;
  rec.world_from = r.world_from;
  rec.world_to = r.world_to;
  if (!rec.source_agent.empty()) rec.sources.push_back(rec.source_agent);
  row.dedup = r.dedup;
  return row;
}

Status SqliteStore::InsertRowLocked(const MemoryRecord& rec, const std::vector<float>& vector, int64_t* seq) {
  auto insert = db_->Prepare(
      "INSERT INTO memories(id, version, content, scope, user_id, session_id, agent_id, turn_id, source_agent, "
      "importance, created_at, updated_at, content_hash, metadata, valid_from, valid_to, superseded_by, sources, "
      "seen_count, last_seen_at, access_count, last_accessed_at, world_from, world_to) VALUES (?1, ?2, ?3, ?4, ?5, "
      "?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)");
  if (!insert.ok()) return insert.status();
  insert->Bind(1, rec.id).Bind(2, rec.version).Bind(3, rec.content).Bind(4, static_cast<int>(rec.scope))
      .Bind(5, rec.context.user_id).Bind(6, rec.context.session_id).Bind(7, rec.context.agent_id)
      .Bind(8, rec.context.turn_id).Bind(9, rec.source_agent).Bind(10, rec.importance).Bind(11, rec.created_at)
      .Bind(12, rec.updated_at).Bind(13, Sha256Hex(NormalizeForHash(rec.content))).Bind(14, rec.metadata_json)
      .Bind(15, rec.valid_from).Bind(17, rec.superseded_by).Bind(18, SourcesJson(rec.sources))
      .Bind(19, rec.seen_count).Bind(20, rec.last_seen_at).Bind(21, rec.access_count)
      .Bind(22, rec.last_accessed_at);
  if (rec.valid_to != 0) insert->Bind(16, rec.valid_to); else insert->BindNull(16);
  if (rec.world_from != 0) insert->Bind(23, rec.world_from); else insert->BindNull(23);
  if (rec.world_to != 0) insert->Bind(24, rec.world_to); else insert->BindNull(24);
  STRATAMEM_RETURN_IF_ERROR(insert->Run());
  *seq = sqlite3_last_insert_rowid(db_->raw());
  std::string blob = EncodeVector(vector);
  auto insert_vec = db_->Prepare("INSERT INTO vectors(seq, dimension, data) VALUES (?1, ?2, ?3)");
  if (!insert_vec.ok()) return insert_vec.status();
  insert_vec->Bind(1, *seq).Bind(2, dim_).BindBlob(3, blob.data(), blob.size());
  return insert_vec->Run();
}

// "The same fact in the same visible scope": a current memory at the same scope
// level with the same scope ids whose normalised text is equal, or whose vector
// is at least dedup_threshold similar and whose words nearly match.
Result<std::string> SqliteStore::FindDuplicateLocked(const MemoryRecord& rec, const std::vector<float>& vector) {
  auto exact = db_->Prepare(
      "SELECT m.id FROM memories m WHERE m.user_id = :vu AND m.content_hash = :h AND m.valid_to IS NULL "
      "AND m.scope = :sc AND (:sc = 0 OR m.session_id = :vs) AND (:sc <> 2 OR m.agent_id = :va) "
      "AND (:sc <> 3 OR m.turn_id = :vt) LIMIT 1");
  if (!exact.ok()) return exact.status();
  exact->BindNamed(":vu", rec.context.user_id).BindNamed(":vs", rec.context.session_id)
      .BindNamed(":va", rec.context.agent_id).BindNamed(":vt", rec.context.turn_id)
      .BindNamed(":h", Sha256Hex(NormalizeForHash(rec.content)));
  exact->Bind(exact->ParamIndex(":sc"), static_cast<int>(rec.scope));
  auto row = exact->Step();
  if (!row.ok()) return row.status();
  if (*row) return exact->Text(0);
  if (options_.dedup_threshold > 1.0 || cache_.size() == 0) return std::string();
  // The viewer at the fact's own level sees exactly the memories of that scope.
  uint8_t level = static_cast<uint8_t>(rec.scope);
  ScopeKeys viewer = cache_.KeysForViewer(rec.context);
  auto same_level = [level](int64_t, const ScopeKeys& keys) { return keys.scope == level; };
  // A user with many memories: ask the approximate index when the planner
  // would (and it is built); a near-duplicate is by definition a close neighbour.
  VectorPlan plan = PlanLocked(viewer.user, 3);
  auto hits = plan.use_hnsw && cache_.ann() ? cache_.SearchAnn(vector.data(), viewer, 3, plan.ef, same_level)
                                            : cache_.Search(vector.data(), viewer, 3, same_level);
  auto by_seq = db_->Prepare("SELECT id, content FROM memories WHERE seq = ?1");
  if (!by_seq.ok()) return by_seq.status();
  for (const VectorHit& hit : hits) {
    if (hit.score < options_.dedup_threshold) break;
    by_seq->Reset();
    by_seq->Bind(1, hit.seq);
    auto found = by_seq->Step();
    if (!found.ok()) return found.status();
    // Similar vectors must also say it in nearly the same words (dedup.h).
    if (*found && SameWordsNearly(by_seq->Text(1), rec.content)) return by_seq->Text(0);
  }
  return std::string();
}

// One row, importance and last-seen updated, every stating agent kept.
Status SqliteStore::MergeLocked(const std::string& id, const MemoryRecord& rec, int64_t now) {
  auto current = db_->Prepare("SELECT sources FROM memories WHERE id = ?1 AND valid_to IS NULL");
  if (!current.ok()) return current.status();
  current->Bind(1, id);
  auto row = current->Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status::Internal("duplicate vanished during merge");
  std::vector<std::string> sources = ParseSources(current->Text(0));
  for (const auto& s : rec.sources) {
    if (std::find(sources.begin(), sources.end(), s) == sources.end()) sources.push_back(s);
  }
  auto update = db_->Prepare(
      "UPDATE memories SET importance = max(importance, ?2), seen_count = seen_count + 1, last_seen_at = ?3, "
      "sources = ?4, metadata = json_patch(?5, metadata) WHERE id = ?1 AND valid_to IS NULL");
  if (!update.ok()) return update.status();
  update->Bind(1, id).Bind(2, rec.importance).Bind(3, now).Bind(4, SourcesJson(sources)).Bind(5, rec.metadata_json);
  return update->Run();
}

Result<std::vector<SaveOutcome>> SqliteStore::InsertRows(std::vector<PendingRow>& rows,
                                                         std::vector<std::vector<float>>& vectors) {
  for (auto& v : vectors) {
    if (!L2Normalize(&v)) return Status::InvalidArgument("vector is zero or not finite");
  }
  std::lock_guard<std::mutex> lock(mu_);
  STRATAMEM_RETURN_IF_ERROR(CheckOpenLocked());
  if (options_.read_only) return Status::IOError("the store was opened read-only");
  auto txn = BeginWriteLocked();
  if (!txn.ok()) return txn.status();
  for (const auto& v : vectors) STRATAMEM_RETURN_IF_ERROR(AcceptDimensionLocked(v.size()));
  // Rows join the cache as they are inserted, so a batch dedups against
  // itself; on failure they are taken out again with the rollback.
  std::vector<int64_t> added;
  auto fail = [&](Status st) {
    for (int64_t seq : added) cache_.Remove(seq);
    return st;
  };
  std::vector<SaveOutcome> outcomes;
  int64_t now = env_->NowMicros();
  for (size_t i = 0; i < rows.size(); ++i) {
    MemoryRecord& rec = rows[i].record;
    if (rows[i].dedup) {
      auto dup = FindDuplicateLocked(rec, vectors[i]);
      if (!dup.ok()) return fail(dup.status());
      if (!dup->empty()) {
        Status st = MergeLocked(*dup, rec, now);
        if (st.ok()) st = MergeGraphLocked(*dup, rows[i], now);
        if (!st.ok()) return fail(st);
        query_cache_.InvalidateVisible(rec.scope, rec.context);  // same scope as the merged-into memory
        outcomes.push_back({*dup, true});
        continue;
      }
    }
    if (rec.id.empty()) rec.id = env_->NewId();
    int64_t seq = 0;
    Status st = InsertRowLocked(rec, vectors[i], &seq);
    if (st.ok()) st = graph_writer_->Write(seq, rec.context.user_id, rows[i].mentions, rows[i].inline_graph, now);
    if (!st.ok()) return fail(st);
    if (rec.valid_to == 0) {
      cache_.Add(seq, cache_.KeysForRow(rec.scope, rec.context), vectors[i].data());
      added.push_back(seq);
    }
    query_cache_.InvalidateVisible(rec.scope, rec.context);
    outcomes.push_back({rec.id, false});
  }
  // Acknowledge only after the commit (fsync'd under Durability::kFull).
  Status st = (*txn)->Commit();
  if (!st.ok()) return fail(st);
  return outcomes;
}

Result<std::vector<SaveOutcome>> SqliteStore::SaveDetailed(const std::vector<SaveRequest>& requests) {
  std::vector<PendingRow> rows;
  rows.reserve(requests.size());
  std::vector<std::string> texts;
  texts.reserve(requests.size());
  int64_t now = env_->NowMicros();
  for (size_t i = 0; i < requests.size(); ++i) {
    std::string metadata;
    Status st = ValidateSave(requests[i], options_.max_content_bytes, &metadata);
    if (!st.ok()) {
      if (requests.size() == 1 || st.code() != Status::Code::kInvalidArgument) return st;
      return Status::InvalidArgument("item " + std::to_string(i) + ": " + st.message());
    }
    auto given = graph::PrepareInlineGraph(requests[i].entities, requests[i].relations);
    if (!given.ok()) {
      if (requests.size() == 1) return given.status();
      return Status::InvalidArgument("item " + std::to_string(i) + ": " + given.status().message());
    }
    rows.push_back(NewRow(requests[i], std::move(metadata), now));
    rows.back().inline_graph = std::move(given).value();
    InheritWorldTime(requests[i], &rows.back().inline_graph);
    rows.back().mentions = Extract(requests[i].content);
    texts.push_back(requests[i].content);
  }
  if (rows.empty()) return std::vector<SaveOutcome>{};
  auto vectors = EmbedTexts(texts);  // outside the lock: the slow part
  if (!vectors.ok()) return vectors.status();
  return InsertRows(rows, vectors.value());
}

Result<std::string> SqliteStore::SaveWithVector(const SaveRequest& request, const std::vector<float>& vector) {
  std::string metadata;
  STRATAMEM_RETURN_IF_ERROR(ValidateSave(request, options_.max_content_bytes, &metadata));
  auto given = graph::PrepareInlineGraph(request.entities, request.relations);
  if (!given.ok()) return given.status();
  std::vector<PendingRow> rows{NewRow(request, std::move(metadata), env_->NowMicros())};
  rows[0].inline_graph = std::move(given).value();
  InheritWorldTime(request, &rows[0].inline_graph);
  rows[0].mentions = Extract(request.content);
  std::vector<std::vector<float>> vectors{vector};
  auto out = InsertRows(rows, vectors);
  if (!out.ok()) return out.status();
  return std::move(out->front().id);
}

Result<bool> SqliteStore::Import(const MemoryRecord& record, const std::vector<float>* vector) {
  if (record.id.empty() || record.id.size() > 64 || !IsValidUtf8(record.id)) {
    return Status::InvalidArgument("imported id must be 1..64 bytes of UTF-8");
  }
  if (record.created_at <= 0 || record.updated_at < record.created_at || record.version < 1 ||
      (record.valid_to != 0 && record.valid_to < record.valid_from)) {
    return Status::InvalidArgument("imported record has inconsistent version or timestamps");
  }
  SaveRequest check;
  check.content = record.content;
  check.scope = record.scope;
  check.context = record.context;
  check.source_agent = record.source_agent;
  check.importance = record.importance;
  check.metadata_json = record.metadata_json;
  check.world_from = record.world_from;
  check.world_to = record.world_to;
  std::vector<PendingRow> rows(1);
  rows[0].record = record;
  STRATAMEM_RETURN_IF_ERROR(ValidateSave(check, options_.max_content_bytes, &rows[0].record.metadata_json));
  MemoryRecord& rec = rows[0].record;
  rows[0].mentions = Extract(rec.content);
  if (rec.valid_from == 0) rec.valid_from = rec.updated_at;
  if (rec.last_seen_at == 0) rec.last_seen_at = rec.updated_at;
  if (rec.seen_count < 1) rec.seen_count = 1;
  {
    std::lock_guard<std::mutex> lock(mu_);
    STRATAMEM_RETURN_IF_ERROR(CheckOpenLocked());
    auto stmt = db_->Prepare("SELECT 1 FROM memories WHERE id = ?1 AND version = ?2");
    if (!stmt.ok()) return stmt.status();
    stmt->Bind(1, record.id).Bind(2, record.version);
    auto exists = stmt->Step();
    if (!exists.ok()) return exists.status();
    if (*exists) return false;
  }
  std::vector<std::vector<float>> vectors;
  if (vector) {
    vectors.push_back(*vector);
  } else {
    auto embedded = EmbedTexts({record.content});
    if (!embedded.ok()) return embedded.status();
    vectors = std::move(embedded).value();
  }
  auto ids = InsertRows(rows, vectors);
  if (!ids.ok()) {
    if (ids.status().code() == Status::Code::kInvalidArgument &&
        ids.status().message().find("UNIQUE") != std::string::npos) {
      // Another importer won the race for this version, or another version of
      // this id is current: nothing changed.
      return false;
    }
    return ids.status();
  }
  return true;
}

Result<std::pair<int64_t, MemoryRecord>> SqliteStore::CurrentLocked(const std::string& id) {
  auto stmt = db_->Prepare(std::string("SELECT ") + kRecordColumns + " FROM memories m WHERE m.id = ?1 AND " +
                           kCurrentSql);
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, id);
  auto row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) {
    auto any = db_->Prepare("SELECT superseded_by FROM memories WHERE id = ?1 ORDER BY version DESC LIMIT 1");
    if (!any.ok()) return any.status();
    any->Bind(1, id);
    auto old = any->Step();
    if (!old.ok()) return old.status();
    if (*old) {
      return Status::InvalidArgument("memory '" + id + "' was superseded by '" + any->Text(0) +
                                     "'; change that one instead");
    }
    return Status::NotFound("no memory with id '" + id + "'");
  }
  std::pair<int64_t, MemoryRecord> out;
  out.first = ReadRecord(*stmt, &out.second);
  return out;
}

Result<std::vector<float>> SqliteStore::EmbedNormalized(const std::string& text) {
  std::vector<float> vec;
  STRATAMEM_RETURN_IF_ERROR(embedder_->Embed(text, &vec));
  if (!L2Normalize(&vec)) return Status::EmbedderError("the embedder returned a zero vector");
  return vec;
}

// The shared step of Update and Supersede, in one write transaction: close the
// current version of `id` at a moment after it began, and insert the row that
// `make_next` builds from it (same id for a new version, a new id to supersede).
// A merged save's graph joins the memory it merged into (its current version),
// and world times it gives fill the ones that memory lacks.
Status SqliteStore::MergeGraphLocked(const std::string& id, const PendingRow& row, int64_t now) {
  auto seq = db_->Prepare("SELECT seq, user_id FROM memories WHERE id = ?1 AND valid_to IS NULL");
  if (!seq.ok()) return seq.status();
  seq->Bind(1, id);
  auto found = seq->Step();
  if (!found.ok()) return found.status();
  if (!*found) return Status::Internal("duplicate vanished during merge");
  int64_t at = seq->Int(0);
  std::string user = seq->Text(1);
  seq->Reset();
  if (row.record.world_from != 0 || row.record.world_to != 0) {
    auto fill = db_->Prepare(
        "UPDATE memories SET world_from = coalesce(world_from, ?2), world_to = coalesce(world_to, ?3) WHERE seq = ?1");
    if (!fill.ok()) return fill.status();
    fill->Bind(1, at);
    if (row.record.world_from) fill->Bind(2, row.record.world_from); else fill->BindNull(2);
    if (row.record.world_to) fill->Bind(3, row.record.world_to); else fill->BindNull(3);
    STRATAMEM_RETURN_IF_ERROR(fill->Run());
  }
  return graph_writer_->Write(at, user, row.mentions, row.inline_graph, now);
}

Result<MemoryRecord> SqliteStore::ReplaceCurrent(const std::string& id, const std::vector<float>& vec,
                                                 const NextVersionFn& make_next, const PendingRow& graph,
                                                 bool supersede) {
  std::lock_guard<std::mutex> lock(mu_);
  STRATAMEM_RETURN_IF_ERROR(CheckOpenLocked());
  auto txn = BeginWriteLocked();
  if (!txn.ok()) return txn.status();
  STRATAMEM_RETURN_IF_ERROR(AcceptDimensionLocked(vec.size()));
  auto current = CurrentLocked(id);
  if (!current.ok()) return current.status();
  const auto& [old_seq, old] = *current;
  int64_t now = std::max(env_->NowMicros(), old.valid_from + 1);  // versions never overlap
  MemoryRecord next;
  STRATAMEM_RETURN_IF_ERROR(make_next(old, now, &next));
  // A supersede says the old fact stopped holding: its world_to (and its
  // relations') closes when the new one starts, which is now unless given.
  graph::InlineGraph given = graph.inline_graph;
  if (supersede && next.world_from == 0) {
    next.world_from = now;
    for (graph::InlineRelation& r : given.relations) r.world_from = r.world_from ? r.world_from : now;
  }
  int64_t closes = next.world_from;
  auto retire = db_->Prepare(
      "UPDATE memories SET valid_to = ?2, superseded_by = ?3, "
      "world_closed_at = CASE WHEN ?4 AND world_to IS NULL THEN ?2 ELSE world_closed_at END, "
      "world_to = CASE WHEN ?4 AND world_to IS NULL THEN max(?5, coalesce(world_from, ?5)) ELSE world_to END "
      "WHERE seq = ?1");
  if (!retire.ok()) return retire.status();
  retire->Bind(1, old_seq).Bind(2, now).Bind(3, next.id == old.id ? std::string() : next.id)
      .Bind(4, supersede ? 1 : 0).Bind(5, closes);
  STRATAMEM_RETURN_IF_ERROR(retire->Run());
  if (supersede) STRATAMEM_RETURN_IF_ERROR(graph_writer_->CloseRelations(old_seq, closes, now));
  int64_t seq = 0;
  STRATAMEM_RETURN_IF_ERROR(InsertRowLocked(next, vec, &seq));
  STRATAMEM_RETURN_IF_ERROR(graph_writer_->Write(seq, next.context.user_id, graph.mentions, given, now));
  STRATAMEM_RETURN_IF_ERROR((*txn)->Commit());
  cache_.Remove(old_seq);
  cache_.Add(seq, cache_.KeysForRow(next.scope, next.context), vec.data());
  query_cache_.InvalidateVisible(old.scope, old.context);
  query_cache_.InvalidateVisible(next.scope, next.context);
  next.content_hash = Sha256Hex(NormalizeForHash(next.content));
  return next;
}

Result<MemoryRecord> SqliteStore::Update(const std::string& id, const UpdateRequest& request) {
  STRATAMEM_RETURN_IF_ERROR(ValidateContent(request.content, options_.max_content_bytes));
  if (request.importance > 1.0) return Status::InvalidArgument("importance must be between 0 and 1");
  std::string metadata;
  if (!request.metadata_json.empty()) {
    auto meta = CanonicalMetadata(request.metadata_json);
    if (!meta.ok()) return meta.status();
    metadata = std::move(meta).value();
  }
  auto given = graph::PrepareInlineGraph(request.entities, request.relations);
  if (!given.ok()) return given.status();
  PendingRow graph;
  graph.inline_graph = std::move(given).value();
  graph.mentions = Extract(request.content);
  auto vec = EmbedNormalized(request.content);  // outside the lock
  if (!vec.ok()) return vec.status();
  return ReplaceCurrent(id, *vec, [&](const MemoryRecord& old, int64_t now, MemoryRecord* next) {
    *next = old;
    next->version += 1;
    next->content = request.content;
    if (request.importance >= 0) next->importance = request.importance;
    if (!metadata.empty()) next->metadata_json = metadata;
    next->updated_at = next->valid_from = next->last_seen_at = now;
    next->valid_to = 0;
    return Status::OK();
  }, graph, /*supersede=*/false);
}

Result<std::string> SqliteStore::Supersede(const std::string& old_id, const SaveRequest& replacement) {
  SaveRequest req = replacement;
  if (req.context.user_id.empty()) {  // default: where the old memory lives
    auto old = Get(old_id);
    if (!old.ok()) return old.status();
    req.scope = old->scope;
    req.context = old->context;
    if (req.source_agent.empty()) req.source_agent = old->source_agent;
  }
  std::string metadata;
  STRATAMEM_RETURN_IF_ERROR(ValidateSave(req, options_.max_content_bytes, &metadata));
  auto given = graph::PrepareInlineGraph(req.entities, req.relations);
  if (!given.ok()) return given.status();
  PendingRow graph;
  graph.inline_graph = std::move(given).value();
  InheritWorldTime(req, &graph.inline_graph);
  graph.mentions = Extract(req.content);
  auto vec = EmbedNormalized(req.content);  // outside the lock
  if (!vec.ok()) return vec.status();
  auto next = ReplaceCurrent(old_id, *vec, [&](const MemoryRecord& old, int64_t now, MemoryRecord* out) {
    if (old.context.user_id != req.context.user_id) {
      return Status::InvalidArgument("a memory can only be superseded by one of the same user");
    }
    *out = NewRow(req, metadata, now).record;
    out->id = env_->NewId();
    return Status::OK();
  }, graph, /*supersede=*/true);
  if (!next.ok()) return next.status();
  return next->id;
}

Result<std::vector<MemoryRecord>> SqliteStore::History(const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  STRATAMEM_RETURN_IF_ERROR(CheckOpenLocked());
  // Walk back along superseded_by links to every memory this one replaced.
  std::set<std::string> ids{id};
  std::vector<std::string> frontier{id};
  auto back = db_->Prepare("SELECT DISTINCT id FROM memories WHERE superseded_by = ?1");
  if (!back.ok()) return back.status();
  while (!frontier.empty()) {
    std::string cur = frontier.back();
    frontier.pop_back();
    back->Reset();
    back->Bind(1, cur);
    while (true) {
      auto row = back->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      std::string prev = back->Text(0);
      if (ids.insert(prev).second) frontier.push_back(prev);
    }
  }
  std::string sql = std::string("SELECT ") + kRecordColumns + " FROM memories m WHERE m.id IN (";
  int n = 0;
  for (size_t i = 0; i < ids.size(); ++i) sql += (i ? ",?" : "?");
  sql += ") ORDER BY m.valid_from, m.version";
  auto stmt = db_->Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  for (const auto& x : ids) stmt->Bind(++n, x);
  std::vector<MemoryRecord> out;
  STRATAMEM_RETURN_IF_ERROR(ReadRecords(&*stmt, &out));
  if (out.empty()) return Status::NotFound("no memory with id '" + id + "'");
  return out;
}

}  // namespace stratamem
