// Writes a memory version's graph rows (entities, mentions, relations) inside
// the caller's write transaction. The decisions (which mentions, which
// entity) are graph::ResolveMentions'; this is the SQL. Statements are
// prepared once per writer: a writer must not outlive its Db.
//
// Not thread-safe: used under the store's lock.
#ifndef STRATAMEM_STORE_GRAPH_WRITER_H_
#define STRATAMEM_STORE_GRAPH_WRITER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "graph/inline_graph.h"
#include "graph/mention.h"
#include "graph/resolve.h"
#include "stratamem/status.h"
#include "store/sqlite_db.h"

namespace stratamem {

class GraphWriter final : private graph::EntityDirectory {
 public:
  explicit GraphWriter(Db* db) : db_(db) {}
  GraphWriter(const GraphWriter&) = delete;
  GraphWriter& operator=(const GraphWriter&) = delete;

  // Stores the mentions of memory version `seq` of `user_id` and its inline
  // relations. On a version that already has some (a dedup merge), adds what
  // is missing and keeps what is there.
  Status Write(int64_t seq, const std::string& user_id, const std::vector<graph::Mention>& extracted,
               const graph::InlineGraph& given, int64_t now);

  // A supersede at `now`: the retired version's relations that still held
  // get world_to = `world_to`, noted as closed at `now`.
  Status CloseRelations(int64_t seq, int64_t world_to, int64_t now);

 private:
  // graph::EntityDirectory, for the user being written.
  Result<bool> Known(std::string_view key) override;
  Result<std::vector<std::string>> PeopleFirstNamed(std::string_view word, size_t limit) override;

  Result<int64_t> EntityId(const std::string& key, const std::string& type, int64_t now);
  // The statement in *slot, prepared from `sql` on first use and reset.
  Result<Stmt*> Use(Stmt* slot, const char* sql);

  Db* db_;
  std::string user_id_;  // the user of the Write in progress
  Stmt known_, people_, find_, insert_entity_, retype_, insert_mention_, insert_relation_, close_;
};

}  // namespace stratamem

#endif  // STRATAMEM_STORE_GRAPH_WRITER_H_
