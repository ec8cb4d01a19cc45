#include "store/graph_writer.h"

#include <unordered_map>

#include "graph/fold.h"

namespace stratamem {

Result<Stmt*> GraphWriter::Use(Stmt* slot, const char* sql) {
  if (!slot->prepared()) {
    auto stmt = db_->Prepare(sql);
    if (!stmt.ok()) return stmt.status();
    *slot = std::move(stmt).value();
  }
  slot->Reset();
  return slot;
}

Result<bool> GraphWriter::Known(std::string_view key) {
  auto stmt = Use(&known_, "SELECT 1 FROM entities WHERE user_id = ?1 AND key = ?2");
  if (!stmt.ok()) return stmt.status();
  (*stmt)->Bind(1, user_id_).Bind(2, key);
  auto row = (*stmt)->Step();
  (*stmt)->Reset();  // a statement left on a row would hold the read snapshot
  return row;
}

Result<std::vector<std::string>> GraphWriter::PeopleFirstNamed(std::string_view word, size_t limit) {
  // Keys "word ..." sort between "word " and "word!" ('!' follows ' ').
  auto stmt = Use(&people_,
                  "SELECT key FROM entities WHERE user_id = ?1 AND key >= ?2 AND key < ?3 AND type = 'person' "
                  "LIMIT ?4");
  if (!stmt.ok()) return stmt.status();
  std::string w(word);
  (*stmt)->Bind(1, user_id_).Bind(2, w + " ").Bind(3, w + "!").Bind(4, static_cast<int64_t>(limit));
  std::vector<std::string> out;
  while (true) {
    auto row = (*stmt)->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back((*stmt)->Text(0));
  }
  return out;
}

Result<int64_t> GraphWriter::EntityId(const std::string& key, const std::string& type, int64_t now) {
  auto find = Use(&find_, "SELECT id, type FROM entities WHERE user_id = ?1 AND key = ?2");
  if (!find.ok()) return find.status();
  (*find)->Bind(1, user_id_).Bind(2, key);
  auto row = (*find)->Step();
  if (!row.ok()) return row.status();
  if (*row) {
    int64_t id = (*find)->Int(0);
    std::string stored_type = (*find)->Text(1);
    (*find)->Reset();
    if (graph::TypeRank(type) > graph::TypeRank(stored_type)) {
      auto up = Use(&retype_, "UPDATE entities SET type = ?2 WHERE id = ?1");
      if (!up.ok()) return up.status();
      (*up)->Bind(1, id).Bind(2, type);
      STRATAMEM_RETURN_IF_ERROR((*up)->Run());
    }
    return id;
  }
  auto insert = Use(&insert_entity_, "INSERT INTO entities(user_id, key, type, created_at) VALUES (?1, ?2, ?3, ?4)");
  if (!insert.ok()) return insert.status();
  (*insert)->Bind(1, user_id_).Bind(2, key).Bind(3, type).Bind(4, now);
  STRATAMEM_RETURN_IF_ERROR((*insert)->Run());
  return static_cast<int64_t>(sqlite3_last_insert_rowid(db_->raw()));
}

Status GraphWriter::Write(int64_t seq, const std::string& user_id, const std::vector<graph::Mention>& extracted,
                          const graph::InlineGraph& given, int64_t now) {
  if (extracted.empty() && given.empty()) return Status::OK();
  user_id_ = user_id;
  auto resolved = graph::ResolveMentions(extracted, given, this);
  if (!resolved.ok()) return resolved.status();
  std::unordered_map<std::string, int64_t> ids;  // entity key -> id
  for (const graph::ResolvedMention& r : *resolved) {
    auto id = EntityId(r.entity_key, r.mention.type, now);
    if (!id.ok()) return id.status();
    ids[r.entity_key] = *id;
    auto insert = Use(&insert_mention_,
                      "INSERT INTO mentions(seq, entity_id, user_id, key, surface, type, role, source, count) "
                      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT(seq, entity_id) DO NOTHING");
    if (!insert.ok()) return insert.status();
    (*insert)->Bind(1, seq).Bind(2, *id).Bind(3, user_id).Bind(4, r.mention.key).Bind(5, r.mention.surface)
        .Bind(6, r.mention.type).Bind(7, static_cast<int>(r.mention.role)).Bind(8, static_cast<int>(r.source))
        .Bind(9, r.mention.count);
    STRATAMEM_RETURN_IF_ERROR((*insert)->Run());
  }
  for (const graph::InlineRelation& r : given.relations) {
    auto s = ids.find(r.subject_key), o = ids.find(r.object_key);
    if (s == ids.end() || o == ids.end()) return Status::Internal("a relation's entity was not written");
    auto rel = Use(&insert_relation_,
                   "INSERT INTO relations(seq, user_id, subject_id, predicate, object_id, world_from, world_to) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT(seq, subject_id, predicate, object_id) DO NOTHING");
    if (!rel.ok()) return rel.status();
    (*rel)->Bind(1, seq).Bind(2, user_id).Bind(3, s->second).Bind(4, r.predicate).Bind(5, o->second);
    if (r.world_from) (*rel)->Bind(6, r.world_from); else (*rel)->BindNull(6);
    if (r.world_to) (*rel)->Bind(7, r.world_to); else (*rel)->BindNull(7);
    STRATAMEM_RETURN_IF_ERROR((*rel)->Run());
  }
  return Status::OK();
}

Status GraphWriter::CloseRelations(int64_t seq, int64_t world_to, int64_t now) {
  auto stmt = Use(&close_,
                  "UPDATE relations SET world_to = max(?2, coalesce(world_from, ?2)), world_closed_at = ?3 "
                  "WHERE seq = ?1 AND world_to IS NULL");
  if (!stmt.ok()) return stmt.status();
  (*stmt)->Bind(1, seq).Bind(2, world_to).Bind(3, now);
  return (*stmt)->Run();
}

}  // namespace stratamem
