// The on-disk schema (docs/format.md) and its versioned migrations.
#ifndef STRATAMEM_STORE_SCHEMA_H_
#define STRATAMEM_STORE_SCHEMA_H_

#include <string>

#include "stratamem/status.h"
#include "store/sqlite_db.h"

namespace stratamem {

// Written to meta('magic'): tells a stratamem store from any other SQLite file.
inline constexpr const char* kStoreMagic = "stratamem-store";
// PRAGMA user_version after all migrations have run.
inline constexpr int kSchemaVersion = 3;

// Brings an empty or older store to kSchemaVersion, in one transaction per
// migration. A non-empty SQLite file that is not a stratamem store, or one
// written by a newer stratamem, is refused (Corruption / NotSupported) and left
// untouched.
Status Migrate(Db* db, bool read_only);
// Stops at `target_version` (tests build older stores with it).
Status MigrateTo(Db* db, bool read_only, int target_version);

// meta table accessors.
Result<std::string> GetMeta(Db* db, const std::string& key);  // "" when missing
Status SetMeta(Db* db, const std::string& key, const std::string& value);

}  // namespace stratamem

#endif  // STRATAMEM_STORE_SCHEMA_H_
