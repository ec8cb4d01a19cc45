#include "store/sqlite_graph_source.h"

#include <unordered_set>
#include <utility>

#include "search/visibility_sql.h"

namespace stratamem {
namespace {

// A surface the viewer may see, and the user-wide count, for entity `e`.
// Every read here joins memories with CROSS JOIN, which makes SQLite start
// from the mentions / relations index (docs/graph.md, "Cost"): with a plain
// JOIN it could pick memories_by_user and read every memory of the user.
constexpr const char* kDescribeColumns =
    "e.id, e.key, e.type, (SELECT count(*) FROM mentions c WHERE c.entity_id = e.id), "
    "(SELECT t.surface FROM mentions t CROSS JOIN memories m ON m.seq = t.seq WHERE t.entity_id = e.id";

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
  // One index lookup per key (UNION ALL): an OR of ranges made SQLite read
  // every mention of the user.
  auto run = [&](const std::vector<std::string>& where, const std::vector<std::pair<std::string, std::string>>& binds) {
    if (where.empty()) return Status::OK();
    std::string lookups;
    for (const std::string& w : where) {
      lookups += (lookups.empty() ? "" : " UNION ALL ") +
                 std::string("SELECT entity_id, seq FROM mentions WHERE user_id = :vu AND ") + w;
    }
    auto stmt = db_->Prepare(std::string("SELECT ") + kDescribeColumns + VisibleSql() +
                             " ORDER BY t.seq DESC LIMIT 1) FROM entities e WHERE e.id IN (SELECT t.entity_id FROM (" +
                             lookups + ") t CROSS JOIN memories m ON m.seq = t.seq WHERE 1" + VisibleSql() + ")");
    if (!stmt.ok()) return stmt.status();
    Bind(&*stmt);
    for (const auto& [name, value] : binds) stmt->BindNamed(name.c_str(), value);
    return stmt->ForEachRow([&] {
      int64_t id = stmt->Int(0);
      for (const graph::EntityRow& e : out) {
        if (e.id == id) return;
      }
      out.push_back({id, stmt->Text(1), stmt->Text(4), stmt->Text(2), stmt->Int(3)});
    });
  };
  std::vector<std::string> exact;
  std::vector<std::pair<std::string, std::string>> binds;
  for (size_t i = 0; i < keys.size(); ++i) {
    exact.push_back("key = :k" + std::to_string(i));
    binds.emplace_back(":k" + std::to_string(i), keys[i]);
  }
  STRATAMEM_RETURN_IF_ERROR(run(exact, binds));
  // One-word keys also find the full names they begin ("caroline" ->
  // "caroline smith"), unless the query named such a full name itself: then
  // "Alice Verstad" does not seed every other Alice too.
  std::unordered_set<std::string> named_in_full;
  for (const graph::EntityRow& e : out) {
    if (size_t sp = e.key.find(' '); sp != std::string::npos) named_in_full.insert(e.key.substr(0, sp));
  }
  std::vector<std::string> ranges;
  binds.clear();
  for (size_t i = 0; i < keys.size(); ++i) {
    if (keys[i].find(' ') != std::string::npos || named_in_full.count(keys[i])) continue;
    std::string n = std::to_string(i);
    ranges.push_back("key > :lo" + n + " AND key < :hi" + n);
    binds.emplace_back(":lo" + n, keys[i] + " ");
    binds.emplace_back(":hi" + n, keys[i] + "!");
  }
  STRATAMEM_RETURN_IF_ERROR(run(ranges, binds));
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
  auto stmt = db_->Prepare("SELECT t.seq, t.role FROM mentions t CROSS JOIN memories m ON m.seq = t.seq "
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
  auto stmt = db_->Prepare("SELECT t.seq, t.entity_id, t.role FROM mentions t CROSS JOIN memories m ON m.seq = t.seq "
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
  // CROSS JOIN: relations by their subject / object index first; a plain JOIN
  // let SQLite walk all of the user's memories instead.
  auto stmt = db_->Prepare("SELECT r.id, r.seq, r.subject_id, r.object_id, r.predicate FROM relations r "
                           "CROSS JOIN memories m ON m.seq = r.seq WHERE (r.subject_id IN (" + ids +
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
