// graph::GraphSource over the SQLite store: the SQL of the graph's reads, for
// one viewer and one read time. Every query joins the memory version a row
// comes from and applies the visibility rule (kVisibleSql) and the time rule
// (time_sql.h) to it, so nothing another context may not see comes back.
#ifndef STRATAMEM_STORE_SQLITE_GRAPH_SOURCE_H_
#define STRATAMEM_STORE_SQLITE_GRAPH_SOURCE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "graph/graph_source.h"
#include "stratamem/scope.h"
#include "store/sqlite_db.h"
#include "store/time_sql.h"

namespace stratamem {

class SqliteGraphSource final : public graph::GraphSource {
 public:
  // `user_memories` >= 0: the user's memory count when the caller knows it
  // (the vector cache does for current reads); -1: counted here.
  SqliteGraphSource(Db* db, const ScopeContext& viewer, ReadTime time, int64_t user_memories = -1)
      : db_(db), viewer_(viewer), time_(time), user_memories_(user_memories) {}

  Result<std::vector<graph::EntityRow>> MatchKeys(const std::vector<std::string>& keys) override;
  Result<std::vector<graph::MentionRow>> MentionsOf(const std::vector<int64_t>& entities, size_t per_entity) override;
  Result<std::vector<graph::MentionRow>> MentionsIn(const std::vector<int64_t>& seqs) override;
  Result<std::vector<graph::RelationRow>> RelationsOf(const std::vector<int64_t>& entities) override;
  Result<std::vector<graph::EntityRow>> Entities(const std::vector<int64_t>& ids) override;
  Result<int64_t> Memories() override;

  // " AND <visible> <time>" over `memories m` (the clause every read adds).
  std::string VisibleSql() const;
  void Bind(Stmt* stmt) const;

 private:
  Db* db_;
  ScopeContext viewer_;
  ReadTime time_;
  int64_t user_memories_;
};

// "1,2,3": integer ids inlined into SQL (they are numbers, never text).
std::string IdList(const std::vector<int64_t>& ids);

}  // namespace stratamem

#endif  // STRATAMEM_STORE_SQLITE_GRAPH_SOURCE_H_
