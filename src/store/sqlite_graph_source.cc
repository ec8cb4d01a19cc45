#include "store/sqlite_graph_source.h"

#include "search/visibility_sql.h"

namespace stratamem {
namespace {

// A surface the viewer may see, and the user-wide count, for entity `e`.
constexpr const char* kDescribeColumns =
    "e.id, e.key, e.type, (SELECT count(*) FROM mentions c WHERE c.entity_id = e.id), "
    "(SELECT t.surface FROM mentions t JOIN memories m ON m.seq = t.seq WHERE t.entity_id = e.id";

}  // namespace

std::string IdList(const std::vector<int64_t>& ids) {
  std::string out;
  for (size_t i = 0; i < ids.size(); ++i) out += (i ? "," : "") + std::to_string(ids[i]);
  return out;
}

std::string SqliteGraphSource::VisibleSql() const { return std::string(" AND ") + kVisibleSql + MemoryTimeSql(time_); }

void SqliteGraphSource::Bind(Stmt* stmt) const {
  BindViewer(stmt, viewer_);
  BindReadTime(stmt, time_);
}

Result<std::vector<graph::EntityRow>> SqliteGraphSource::MatchKeys(const std::vector<std::string>& keys) {
  std::vector<graph::EntityRow> out;
  if (keys.empty()) return out;
  // Exact keys, and for one-word keys the full names they begin ("caroline" -> "caroline smith").
  std::string match;
  for (size_t i = 0; i < keys.size(); ++i) {
    std::string n = std::to_string(i);
    match += (i ? " OR " : "") + std::string("t.key = :k") + n;
    if (keys[i].find(' ') == std::string::npos) {
      match += " OR (t.key > :k" + n + " || ' ' AND t.key < :k" + n + " || '!')";
    }
  }
  auto stmt = db_->Prepare(std::string("SELECT ") + kDescribeColumns + VisibleSql() +
                           " ORDER BY t.seq DESC LIMIT 1) FROM entities e WHERE e.id IN (SELECT t.entity_id FROM "
                           "mentions t JOIN memories m ON m.seq = t.seq WHERE t.user_id = :vu AND (" + match + ")" +
                           VisibleSql() + ")");
  if (!stmt.ok()) return stmt.status();
  Bind(&*stmt);
  for (size_t i = 0; i < keys.size(); ++i) stmt->BindNamed((":k" + std::to_string(i)).c_str(), keys[i]);
  STRATAMEM_RETURN_IF_ERROR(stmt->ForEachRow([&] {
    out.push_back({stmt->Int(0), stmt->Text(1), stmt->Text(4), stmt->Text(2), stmt->Int(3)});
  }));
  return out;
}

Result<std::vector<graph::EntityRow>> SqliteGraphSource::Entities(const std::vector<int64_t>& ids) {
  std::vector<graph::EntityRow> out;
  if (ids.empty()) return out;
  auto stmt = db_->Prepare(std::string("SELECT ") + kDescribeColumns + VisibleSql() +
                           " ORDER BY t.seq DESC LIMIT 1) AS surface FROM entities e WHERE e.id IN (" + IdList(ids) +
                           ") AND e.user_id = :vu");
  if (!stmt.ok()) return stmt.status();
  Bind(&*stmt);
  STRATAMEM_RETURN_IF_ERROR(stmt->ForEachRow([&] {
    if (stmt->IsNull(4)) return;  // no visible mention: not here
    out.push_back({stmt->Int(0), stmt->Text(1), stmt->Text(4), stmt->Text(2), stmt->Int(3)});
  }));
  return out;
}

Result<std::vector<graph::MentionRow>> SqliteGraphSource::MentionsOf(const std::vector<int64_t>& entities,
                                                                     size_t per_entity) {
  std::vector<graph::MentionRow> out;
  auto stmt = db_->Prepare("SELECT t.seq, t.role FROM mentions t JOIN memories m ON m.seq = t.seq "
                           "WHERE t.entity_id = :e" + VisibleSql() + " ORDER BY t.seq DESC LIMIT :n");
  if (!stmt.ok()) return stmt.status();
  for (int64_t entity : entities) {
    stmt->Reset();
    Bind(&*stmt);
    stmt->Bind(stmt->ParamIndex(":e"), entity);
    stmt->Bind(stmt->ParamIndex(":n"), static_cast<int64_t>(per_entity));
    STRATAMEM_RETURN_IF_ERROR(stmt->ForEachRow([&] {
      out.push_back({stmt->Int(0), entity, static_cast<graph::MentionRole>(stmt->Int(1))});
    }));
  }
  return out;
}

Result<std::vector<graph::MentionRow>> SqliteGraphSource::MentionsIn(const std::vector<int64_t>& seqs) {
  std::vector<graph::MentionRow> out;
  if (seqs.empty()) return out;
  auto stmt = db_->Prepare("SELECT t.seq, t.entity_id, t.role FROM mentions t JOIN memories m ON m.seq = t.seq "
                           "WHERE t.seq IN (" + IdList(seqs) + ")" + VisibleSql());
  if (!stmt.ok()) return stmt.status();
  Bind(&*stmt);
  STRATAMEM_RETURN_IF_ERROR(stmt->ForEachRow([&] {
    out.push_back({stmt->Int(0), stmt->Int(1), static_cast<graph::MentionRole>(stmt->Int(2))});
  }));
  return out;
}

Result<std::vector<graph::RelationRow>> SqliteGraphSource::RelationsOf(const std::vector<int64_t>& entities) {
  std::vector<graph::RelationRow> out;
  if (entities.empty()) return out;
  std::string ids = IdList(entities);
  auto stmt = db_->Prepare("SELECT r.id, r.seq, r.subject_id, r.object_id, r.predicate FROM relations r "
                           "JOIN memories m ON m.seq = r.seq WHERE (r.subject_id IN (" + ids +
                           ") OR r.object_id IN (" + ids + "))" + VisibleSql() + RelationWorldSql(time_));
  if (!stmt.ok()) return stmt.status();
  Bind(&*stmt);
  STRATAMEM_RETURN_IF_ERROR(stmt->ForEachRow([&] {
    out.push_back({stmt->Int(0), stmt->Int(1), stmt->Int(2), stmt->Int(3), stmt->Text(4)});
  }));
  return out;
}

Result<int64_t> SqliteGraphSource::Memories() {
  if (user_memories_ >= 0) return user_memories_;
  auto stmt = db_->Prepare("SELECT count(*) FROM memories WHERE user_id = ?1");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, viewer_.user_id);
  auto row = stmt->Step();
  if (!row.ok()) return row.status();
  user_memories_ = *row ? stmt->Int(0) : 0;
  return user_memories_;
}

}  // namespace stratamem
