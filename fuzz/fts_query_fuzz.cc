// libFuzzer target: the FTS5 query builder. Whatever the text, the query it
// builds is valid FTS5 (SQLite accepts it as a MATCH expression), so user text
// can never be read as FTS5 syntax.
#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fts/fts_query.h"

namespace {

sqlite3* Db() {
  static sqlite3* db = [] {
    sqlite3* d = nullptr;
    if (sqlite3_open(":memory:", &d) != SQLITE_OK ||
        sqlite3_exec(d, "CREATE VIRTUAL TABLE t USING fts5(content, user_key); "
                        "INSERT INTO t VALUES ('a memory about tea', 'u61')", nullptr, nullptr, nullptr) != SQLITE_OK) {
      std::abort();
    }
    return d;
  }();
  return db;
}

void MustMatch(const std::string& query) {
  if (query.empty()) return;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(Db(), "SELECT count(*) FROM t WHERE t MATCH ?1", -1, &stmt, nullptr) != SQLITE_OK) std::abort();
  sqlite3_bind_text(stmt, 1, query.data(), static_cast<int>(query.size()), SQLITE_TRANSIENT);
  int rc = sqlite3_step(stmt);
  if (rc != SQLITE_ROW) {
    std::fprintf(stderr, "FTS5 refused %s: %s\n", query.c_str(), sqlite3_errmsg(Db()));
    std::abort();
  }
  sqlite3_finalize(stmt);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string terms = stratamem::BuildFtsQuery(text);
  MustMatch(terms);
  if (!terms.empty()) MustMatch(stratamem::UserFtsQuery(text.substr(0, 16), terms));
  return 0;
}
