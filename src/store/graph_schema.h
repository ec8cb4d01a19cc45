// The graph's tables (docs/format.md, "Graph"): one migration, self-contained
// so it can be renumbered if another migration lands first, and the backfill
// that gives memories written before it their extracted entities.
#ifndef STRATAMEM_STORE_GRAPH_SCHEMA_H_
#define STRATAMEM_STORE_GRAPH_SCHEMA_H_

#include "stratamem/status.h"
#include "store/sqlite_db.h"

namespace stratamem {

// World time on memories; entities, mentions, relations; the triggers that
// delete a memory version's mentions and relations with it and an entity
// with its last mention.
extern const char* const kGraphMigrationSql;

// Runs the native extractor over every stored memory version and writes its
// mentions (inside the migration's transaction).
Status BackfillGraph(Db* db);

// Verify(): every mention and relation belongs to a stored memory version,
// every relation's ends are mentioned by its version, every entity has a mention.
Status VerifyGraph(Db* db);

}  // namespace stratamem

#endif  // STRATAMEM_STORE_GRAPH_SCHEMA_H_
