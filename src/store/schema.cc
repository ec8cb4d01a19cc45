#include "store/schema.h"

#include <string>

#include "store/graph_schema.h"
#include "util/compat_names.h"

namespace stratamem {
namespace {

// Migration 1: records, vectors (same file, same transaction), and the FTS5
// index kept in sync by triggers so no code path can forget it.
constexpr const char* kMigration1 = R"sql(
CREATE TABLE meta(
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE memories(
  seq          INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: the vector cache relies on it
  id           TEXT NOT NULL,                      -- the memory; one row per version
  version      INTEGER NOT NULL DEFAULT 1,
  content      TEXT NOT NULL,
  scope        INTEGER NOT NULL CHECK (scope BETWEEN 0 AND 3),
  user_id      TEXT NOT NULL CHECK (user_id <> ''),
  session_id   TEXT NOT NULL DEFAULT '',
  agent_id     TEXT NOT NULL DEFAULT '',
  turn_id      TEXT NOT NULL DEFAULT '',
  source_agent TEXT NOT NULL DEFAULT '',
  importance   REAL NOT NULL CHECK (importance BETWEEN 0 AND 1),
  created_at   INTEGER NOT NULL,
  updated_at   INTEGER NOT NULL,
  content_hash TEXT NOT NULL,
  metadata     TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(metadata)),
  valid_from   INTEGER NOT NULL,
  valid_to     INTEGER,                            -- NULL: the current version
  superseded_by TEXT NOT NULL DEFAULT '',
  sources      TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(sources)),
  seen_count   INTEGER NOT NULL DEFAULT 1,
  last_seen_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX memories_by_version ON memories(id, version);
CREATE UNIQUE INDEX memories_current ON memories(id) WHERE valid_to IS NULL;
CREATE INDEX memories_by_user ON memories(user_id, scope, session_id);
CREATE INDEX memories_by_hash ON memories(user_id, content_hash) WHERE valid_to IS NULL;

CREATE TABLE vectors(
  seq       INTEGER PRIMARY KEY,   -- memories.seq
  dimension INTEGER NOT NULL,
  data      BLOB NOT NULL          -- dimension little-endian float32, L2-normalised
);

CREATE VIRTUAL TABLE memories_fts USING fts5(
  content,
  content='memories',
  content_rowid='seq',
  tokenize='porter unicode61 remove_diacritics 2'
);

CREATE TRIGGER memories_ai AFTER INSERT ON memories BEGIN
  INSERT INTO memories_fts(rowid, content) VALUES (new.seq, new.content);
END;
CREATE TRIGGER memories_ad AFTER DELETE ON memories BEGIN
  INSERT INTO memories_fts(memories_fts, rowid, content) VALUES ('delete', old.seq, old.content);
  DELETE FROM vectors WHERE seq = old.seq;
END;
CREATE TRIGGER memories_au AFTER UPDATE OF content ON memories BEGIN
  INSERT INTO memories_fts(memories_fts, rowid, content) VALUES ('delete', old.seq, old.content);
  INSERT INTO memories_fts(rowid, content) VALUES (new.seq, new.content);
END;
)sql";

// Migration 2: the full-text index also holds each row's user as one token
// (user_key, a generated column: 'u' || hex(user_id)), so a search matches
// within its user only. Without it FTS5 scored every user's matching rows
// before the scope filter ran: 111 ms p50 at 1M memories / 10k users.
// Also: access_count / last_accessed_at, the access ranking signal.
constexpr const char* kMigration2 = R"sql(
ALTER TABLE memories ADD COLUMN user_key TEXT GENERATED ALWAYS AS ('u' || hex(user_id)) VIRTUAL;
ALTER TABLE memories ADD COLUMN access_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE memories ADD COLUMN last_accessed_at INTEGER NOT NULL DEFAULT 0;
DROP TRIGGER memories_ai;
DROP TRIGGER memories_ad;
DROP TRIGGER memories_au;
DROP TABLE memories_fts;

CREATE VIRTUAL TABLE memories_fts USING fts5(
  content,
  user_key,
  content='memories',
  content_rowid='seq',
  tokenize='porter unicode61 remove_diacritics 2'
);
INSERT INTO memories_fts(memories_fts) VALUES ('rebuild');

CREATE TRIGGER memories_ai AFTER INSERT ON memories BEGIN
  INSERT INTO memories_fts(rowid, content, user_key) VALUES (new.seq, new.content, new.user_key);
END;
CREATE TRIGGER memories_ad AFTER DELETE ON memories BEGIN
  INSERT INTO memories_fts(memories_fts, rowid, content, user_key)
    VALUES ('delete', old.seq, old.content, old.user_key);
  DELETE FROM vectors WHERE seq = old.seq;
END;
CREATE TRIGGER memories_au AFTER UPDATE OF content, user_id ON memories BEGIN
  INSERT INTO memories_fts(memories_fts, rowid, content, user_key)
    VALUES ('delete', old.seq, old.content, old.user_key);
  INSERT INTO memories_fts(rowid, content, user_key) VALUES (new.seq, new.content, new.user_key);
END;
)sql";

struct Migration {
  int version;
  const char* sql;
  Status (*then)(Db*);  // runs after `sql` in the same transaction, or nullptr
};
// 3: the graph (store/graph_schema.h), with the extractor run over what is stored.
const Migration kMigrations[] = {{1, kMigration1, nullptr}, {2, kMigration2, nullptr},
                                 {3, kGraphMigrationSql, &BackfillGraph}};

}  // namespace

Result<std::string> GetMeta(Db* db, const std::string& key) {
  auto stmt = db->Prepare("SELECT value FROM meta WHERE key = ?1");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, key);
  auto row = stmt->Step();
  if (!row.ok()) return row.status();
  return *row ? stmt->Text(0) : std::string();
}

Status SetMeta(Db* db, const std::string& key, const std::string& value) {
  auto stmt = db->Prepare("INSERT INTO meta(key, value) VALUES (?1, ?2) "
                          "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, key).Bind(2, value);
  return stmt->Run();
}

namespace {

// A store written under the project's old name gets the new magic, in its own
// transaction (re-checked under the lock: another process may have done it).
Status RenameLegacyMagic(Db* db) {
  auto txn = Transaction::Begin(db, /*immediate=*/true);
  if (!txn.ok()) return txn.status();
  auto magic = GetMeta(db, "magic");
  if (!magic.ok()) return magic.status();
  if (*magic != kLegacyStoreMagic) return Status::OK();
  STRATAMEM_RETURN_IF_ERROR(SetMeta(db, "magic", kStoreMagic));
  return (*txn)->Commit();
}

}  // namespace

Status Migrate(Db* db, bool read_only) { return MigrateTo(db, read_only, kSchemaVersion); }

Status MigrateTo(Db* db, bool read_only, int target_version) {
  // Reading the schema is the first touch of the file: a non-SQLite file fails here.
  auto tables = db->QueryInt("SELECT count(*) FROM sqlite_master");
  if (!tables.ok()) {
    if (tables.status().code() == Status::Code::kCorruption) {
      return Status::Corruption("not a stratamem store (the file is not a SQLite database or is damaged)");
    }
    return tables.status();
  }
  auto version = db->QueryInt("PRAGMA user_version");
  if (!version.ok()) return version.status();
  if (*tables > 0) {
    auto has_meta = db->QueryInt("SELECT count(*) FROM sqlite_master WHERE type='table' AND name='meta'");
    if (!has_meta.ok()) return has_meta.status();
    std::string magic;
    if (*has_meta) {
      auto m = GetMeta(db, "magic");
      if (!m.ok()) return m.status();
      magic = *m;
    }
    if (magic == kLegacyStoreMagic) {
      // Written before the rename: the same format under the old name.
      if (!read_only) STRATAMEM_RETURN_IF_ERROR(RenameLegacyMagic(db));
    } else if (magic != kStoreMagic) {
      return Status::Corruption("not a stratamem store (a SQLite database with other tables); left untouched");
    }
  }
  if (*version > kSchemaVersion) {
    return Status::NotSupported("store schema version " + std::to_string(*version) +
                                " is newer than this stratamem (" + std::to_string(kSchemaVersion) +
                                "); upgrade stratamem");
  }
  if (*version >= target_version) return Status::OK();
  if (read_only) return Status::IOError("store needs a schema upgrade but was opened read-only");

  for (const Migration& m : kMigrations) {
    if (m.version <= *version || m.version > target_version) continue;
    auto txn = Transaction::Begin(db, /*immediate=*/true);
    if (!txn.ok()) return txn.status();
    // Another process may have migrated while we waited for the lock.
    auto now = db->QueryInt("PRAGMA user_version");
    if (!now.ok()) return now.status();
    if (*now >= m.version) continue;
    STRATAMEM_RETURN_IF_ERROR(db->Exec(m.sql));
    if (m.then) STRATAMEM_RETURN_IF_ERROR(m.then(db));
    if (m.version == 1) STRATAMEM_RETURN_IF_ERROR(SetMeta(db, "magic", kStoreMagic));
    STRATAMEM_RETURN_IF_ERROR(SetMeta(db, "schema_version", std::to_string(m.version)));
    STRATAMEM_RETURN_IF_ERROR(db->Exec("PRAGMA user_version = " + std::to_string(m.version)));
    STRATAMEM_RETURN_IF_ERROR((*txn)->Commit());
  }
  return Status::OK();
}

}  // namespace stratamem
