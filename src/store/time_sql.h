// Which memory versions a read sees, as SQL over `memories m` (and, for
// relations, `relations r`): the two clocks of docs/format.md, "Time".
//   store time  as_of = 0: current versions; as_of = T: the versions current at T.
//   world time  valid_at = W: what was believed (now, or at as_of) to hold at
//               W: current versions and the last versions of superseded
//               memories, whose world interval contains W (unknown ends are open).
// A world_to closed by a supersede after T was not known at T: it reads as open.
#ifndef STRATAMEM_STORE_TIME_SQL_H_
#define STRATAMEM_STORE_TIME_SQL_H_

#include <cstdint>
#include <string>

#include "store/sqlite_db.h"

namespace stratamem {

struct ReadTime {
  int64_t as_of = 0;     // store time, 0 = now
  int64_t valid_at = 0;  // world time, 0 = any
};

// " AND ..." selecting the versions of `m` a read at `t` sees (parameters :asof, :validat).
inline std::string MemoryTimeSql(const ReadTime& t) {
  std::string sql;
  if (t.valid_at == 0) {
    if (t.as_of == 0) return " AND m.valid_to IS NULL";
    return " AND m.valid_from <= :asof AND (m.valid_to IS NULL OR m.valid_to > :asof)";
  }
  if (t.as_of == 0) {
    sql = " AND (m.valid_to IS NULL OR m.superseded_by <> '')";
  } else {
    sql = " AND m.valid_from <= :asof AND (m.valid_to IS NULL OR m.valid_to > :asof OR m.superseded_by <> '')";
  }
  std::string world_to = t.as_of == 0 ? "m.world_to"
                                      : "(CASE WHEN m.world_closed_at > :asof THEN NULL ELSE m.world_to END)";
  return sql + " AND (m.world_from IS NULL OR m.world_from <= :validat) AND (" + world_to + " IS NULL OR " +
         world_to + " > :validat)";
}

// The same world-time test for relations `r` (their memory's store time is MemoryTimeSql's).
inline std::string RelationWorldSql(const ReadTime& t) {
  if (t.valid_at == 0) return "";
  std::string world_to = t.as_of == 0 ? "r.world_to"
                                      : "(CASE WHEN r.world_closed_at > :asof THEN NULL ELSE r.world_to END)";
  return " AND (r.world_from IS NULL OR r.world_from <= :validat) AND (" + world_to + " IS NULL OR " + world_to +
         " > :validat)";
}

inline void BindReadTime(Stmt* stmt, const ReadTime& t) {
  if (t.as_of != 0) stmt->Bind(stmt->ParamIndex(":asof"), t.as_of);
  if (t.valid_at != 0) stmt->Bind(stmt->ParamIndex(":validat"), t.valid_at);
}

}  // namespace stratamem

#endif  // STRATAMEM_STORE_TIME_SQL_H_
