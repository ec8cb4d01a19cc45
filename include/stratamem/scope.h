// Scope levels and the context (whose, where) a memory is saved or searched in.
//
// A memory is written at exactly one level:
//   user    — long-term, every session of the user        needs user_id
//   session — this session only                           needs user_id, session_id
//   agent   — this agent within this session              needs user_id, session_id, agent_id
//   turn    — this turn of this session only              needs user_id, session_id, turn_id
// A search from context (u, s?, a?, t?) sees user-level memories of u, session-level
// ones of (u, s), agent-level ones of (u, s, a) and turn-level ones of (u, s, t);
// never another user's, never a sibling session's, agent's or turn's.
#ifndef STRATAMEM_SCOPE_H_
#define STRATAMEM_SCOPE_H_

#include <optional>
#include <string>
#include <string_view>

#include "stratamem/export.h"
#include "stratamem/status.h"

namespace stratamem {

// Values are stored on disk (memories.scope): never renumber.
enum class Scope : int { kUser = 0, kSession = 1, kAgent = 2, kTurn = 3 };

STRATAMEM_EXPORT const char* ScopeName(Scope scope);  // "user", "session", ...
STRATAMEM_EXPORT Result<Scope> ParseScope(std::string_view name);

// Who and where. Empty string means "not given".
struct ScopeContext {
  std::string user_id;
  std::string session_id;
  std::string agent_id;
  std::string turn_id;
};

// OK when `ctx` carries every id that `scope` needs, InvalidArgument otherwise.
STRATAMEM_EXPORT Status ValidateContextFor(Scope scope, const ScopeContext& ctx);

// True when a memory written at `scope` in context `owner` is visible from `viewer`.
// This is the reference definition; the SQL and in-memory filters implement it and
// the tests check them against it.
STRATAMEM_EXPORT bool IsVisible(Scope scope, const ScopeContext& owner, const ScopeContext& viewer);

}  // namespace stratamem

#endif  // STRATAMEM_SCOPE_H_
