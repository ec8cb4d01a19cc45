#include "store/graph_schema.h"

#include <string>
#include <utility>
#include <vector>

#include "graph/extractor.h"
#include "store/graph_writer.h"

namespace stratamem {

const char* const kGraphMigrationSql = R"sql(
ALTER TABLE memories ADD COLUMN world_from INTEGER;       -- world time: the fact began to hold; NULL unknown
ALTER TABLE memories ADD COLUMN world_to INTEGER;         -- it stopped holding; NULL: holds, or unknown
ALTER TABLE memories ADD COLUMN world_closed_at INTEGER;  -- store time a supersede set world_to; NULL if given

CREATE TABLE entities(
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id    TEXT NOT NULL,
  key        TEXT NOT NULL,                -- folded identity within the user (src/graph/fold.h)
  type       TEXT NOT NULL,                -- the most specific type any mention gave it
  created_at INTEGER NOT NULL,
  UNIQUE(user_id, key)
);

CREATE TABLE mentions(
  seq        INTEGER NOT NULL,             -- memories.seq: one version of one memory
  entity_id  INTEGER NOT NULL,
  user_id    TEXT NOT NULL,                -- the memory's user: keeps key lookups within one user
  key        TEXT NOT NULL,                -- the folded surface: an alias key of the entity
  surface    TEXT NOT NULL,                -- as written
  type       TEXT NOT NULL,
  role       INTEGER NOT NULL DEFAULT 0,   -- 0 mention, 1 subject, 2 addressee
  source     INTEGER NOT NULL DEFAULT 0,   -- 0 extracted, 1 given inline
  count      INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY(seq, entity_id)
) WITHOUT ROWID;
CREATE INDEX mentions_by_entity ON mentions(entity_id, seq);
CREATE INDEX mentions_by_key ON mentions(user_id, key);

CREATE TABLE relations(
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  seq        INTEGER NOT NULL,             -- the memory version it came from
  user_id    TEXT NOT NULL,
  subject_id INTEGER NOT NULL,
  predicate  TEXT NOT NULL,                -- "works_at"
  object_id  INTEGER NOT NULL,
  world_from INTEGER,
  world_to   INTEGER,
  world_closed_at INTEGER,
  UNIQUE(seq, subject_id, predicate, object_id)
);
CREATE INDEX relations_by_subject ON relations(subject_id);
CREATE INDEX relations_by_object ON relations(object_id);

CREATE TRIGGER memories_graph_ad AFTER DELETE ON memories BEGIN
  DELETE FROM relations WHERE seq = old.seq;
  DELETE FROM mentions WHERE seq = old.seq;
END;
CREATE TRIGGER mentions_ad AFTER DELETE ON mentions
  WHEN NOT EXISTS (SELECT 1 FROM mentions WHERE entity_id = old.entity_id) BEGIN
  DELETE FROM entities WHERE id = old.entity_id;
END;
)sql";

Status BackfillGraph(Db* db) {
  auto stmt = db->Prepare("SELECT seq, user_id, content, updated_at FROM memories ORDER BY seq");
  if (!stmt.ok()) return stmt.status();
  GraphWriter writer(db);
  graph::InlineGraph none;
  while (true) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    std::string content = stmt->Text(2);
    STRATAMEM_RETURN_IF_ERROR(
        writer.Write(stmt->Int(0), stmt->Text(1), graph::ExtractEntities(content), none, stmt->Int(3)));
  }
  return Status::OK();
}

Status VerifyGraph(Db* db) {
  auto bad = db->QueryInt(
      "SELECT (SELECT count(*) FROM mentions t WHERE NOT EXISTS (SELECT 1 FROM memories m WHERE m.seq = t.seq)) + "
      "(SELECT count(*) FROM relations r WHERE NOT EXISTS (SELECT 1 FROM memories m WHERE m.seq = r.seq)) + "
      "(SELECT count(*) FROM relations r WHERE NOT EXISTS (SELECT 1 FROM mentions t WHERE t.seq = r.seq AND "
      "t.entity_id = r.subject_id) OR NOT EXISTS (SELECT 1 FROM mentions t WHERE t.seq = r.seq AND "
      "t.entity_id = r.object_id)) + "
      "(SELECT count(*) FROM entities e WHERE NOT EXISTS (SELECT 1 FROM mentions t WHERE t.entity_id = e.id)) + "
      "(SELECT count(*) FROM mentions t JOIN memories m ON m.seq = t.seq WHERE t.user_id <> m.user_id) + "
      "(SELECT count(*) FROM mentions t JOIN entities e ON e.id = t.entity_id WHERE e.user_id <> t.user_id)");
  if (!bad.ok()) return bad.status();
  if (*bad != 0) return Status::Corruption(std::to_string(*bad) + " graph rows point at nothing or at another user");
  return Status::OK();
}

}  // namespace stratamem
