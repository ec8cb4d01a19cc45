// Thin RAII wrappers over the SQLite C API that turn result codes into Status.
// Not thread-safe: the store serialises access to one Db.
#ifndef STRATAMEM_STORE_SQLITE_DB_H_
#define STRATAMEM_STORE_SQLITE_DB_H_

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "stratamem/status.h"

namespace stratamem {

// Maps a SQLite result code (and the connection's message) to a Status.
Status SqliteStatus(sqlite3* db, int rc, std::string_view what);

class Stmt {
 public:
  Stmt() = default;
  Stmt(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Stmt() { sqlite3_finalize(stmt_); }
  Stmt(Stmt&& o) noexcept : db_(o.db_), stmt_(o.stmt_) { o.stmt_ = nullptr; }
  Stmt& operator=(Stmt&& o) noexcept {
    if (this != &o) {
      sqlite3_finalize(stmt_);
      db_ = o.db_;
      stmt_ = o.stmt_;
      o.stmt_ = nullptr;
    }
    return *this;
  }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;

  // Binding is 1-based, as in SQLite. Text and blobs are copied (SQLITE_TRANSIENT).
  Stmt& Bind(int i, std::string_view v);
  Stmt& Bind(int i, int64_t v);
  Stmt& Bind(int i, int v) { return Bind(i, static_cast<int64_t>(v)); }
  Stmt& Bind(int i, double v);
  Stmt& BindBlob(int i, const void* data, size_t n);
  Stmt& BindNull(int i);
  // Binds a named parameter (":name"); does nothing when the statement has none.
  int ParamIndex(const char* name) const { return sqlite3_bind_parameter_index(stmt_, name); }
  Stmt& BindNamed(const char* name, std::string_view v) {
    int i = sqlite3_bind_parameter_index(stmt_, name);
    return i > 0 ? Bind(i, v) : *this;
  }

  // Returns true when a row is available, false when done, or an error Status.
  Result<bool> Step();
  // Steps through every row, calling `row()` at each (it reads the columns);
  // the first error ends the walk and is returned.
  template <typename F>
  Status ForEachRow(F&& row) {
    while (true) {
      Result<bool> more = Step();
      if (!more.ok()) return more.status();
      if (!*more) return Status::OK();
      row();
    }
  }
  bool prepared() const { return stmt_ != nullptr; }
  // Runs to completion, ignoring rows.
  Status Run();
  void Reset();

  int64_t Int(int col) const { return sqlite3_column_int64(stmt_, col); }
  double Double(int col) const { return sqlite3_column_double(stmt_, col); }
  std::string Text(int col) const;
  std::string_view Blob(int col) const;
  bool IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
};

class Db {
 public:
  // Opens `path` (":memory:" allowed). read_only opens without write access;
  // create makes the file when missing.
  static Result<std::unique_ptr<Db>> Open(const std::string& path, bool read_only, bool create);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  Status Exec(std::string_view sql);
  Result<Stmt> Prepare(std::string_view sql);
  // First column of the first row as integer / text (error when no row).
  Result<int64_t> QueryInt(std::string_view sql);
  Result<std::string> QueryText(std::string_view sql);
  int64_t changes() const { return sqlite3_changes64(db_); }
  sqlite3* raw() const { return db_; }

 private:
  explicit Db(sqlite3* db) : db_(db) {}
  sqlite3* db_;
};

// Commits on Commit(), rolls back in the destructor otherwise.
class Transaction {
 public:
  // immediate: take the write lock now (BEGIN IMMEDIATE), so the reads done
  // inside see the state the writes will apply to.
  static Result<std::unique_ptr<Transaction>> Begin(Db* db, bool immediate);
  ~Transaction();
  Status Commit();

 private:
  explicit Transaction(Db* db) : db_(db) {}
  Db* db_;
  bool done_ = false;
};

}  // namespace stratamem

#endif  // STRATAMEM_STORE_SQLITE_DB_H_
