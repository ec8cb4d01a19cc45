// The visibility rule (stratamem::IsVisible) as a SQL predicate over the
// memories table aliased `m`, with named parameters :vu :vs :va :vt.
#ifndef STRATAMEM_SEARCH_VISIBILITY_SQL_H_
#define STRATAMEM_SEARCH_VISIBILITY_SQL_H_

#include "stratamem/scope.h"
#include "store/sqlite_db.h"

namespace stratamem {

inline constexpr const char* kVisibleSql =
    "(m.user_id = :vu AND (m.scope = 0 OR (:vs <> '' AND m.session_id = :vs AND ("
    "m.scope = 1 OR (m.scope = 2 AND :va <> '' AND m.agent_id = :va) OR "
    "(m.scope = 3 AND :vt <> '' AND m.turn_id = :vt)))))";

// Binds :vu :vs :va :vt (parameters absent from the statement are skipped).
inline void BindViewer(Stmt* stmt, const ScopeContext& viewer) {
  stmt->BindNamed(":vu", viewer.user_id)
      .BindNamed(":vs", viewer.session_id)
      .BindNamed(":va", viewer.agent_id)
      .BindNamed(":vt", viewer.turn_id);
}

}  // namespace stratamem

#endif  // STRATAMEM_SEARCH_VISIBILITY_SQL_H_
