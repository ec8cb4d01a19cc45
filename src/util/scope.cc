#include "stratamem/scope.h"

namespace stratamem {

const char* ScopeName(Scope scope) {
  switch (scope) {
    case Scope::kUser: return "user";
    case Scope::kSession: return "session";
    case Scope::kAgent: return "agent";
    case Scope::kTurn: return "turn";
  }
  return "unknown";
}

Result<Scope> ParseScope(std::string_view name) {
  if (name == "user") return Scope::kUser;
  if (name == "session") return Scope::kSession;
  if (name == "agent") return Scope::kAgent;
  if (name == "turn") return Scope::kTurn;
  return Status::InvalidArgument("unknown scope '" + std::string(name) +
                                 "' (expected user, session, agent or turn)");
}

Status ValidateContextFor(Scope scope, const ScopeContext& ctx) {
  const char* level = ScopeName(scope);
  if (ctx.user_id.empty()) {
    return Status::InvalidArgument(std::string("scope '") + level + "' needs a user_id");
  }
  bool needs_session = scope != Scope::kUser;
  if (needs_session && ctx.session_id.empty()) {
    return Status::InvalidArgument(std::string("scope '") + level + "' needs a session_id");
  }
  if (scope == Scope::kAgent && ctx.agent_id.empty()) {
    return Status::InvalidArgument("scope 'agent' needs an agent_id");
  }
  if (scope == Scope::kTurn && ctx.turn_id.empty()) {
    return Status::InvalidArgument("scope 'turn' needs a turn_id");
  }
  return Status::OK();
}

bool IsVisible(Scope scope, const ScopeContext& owner, const ScopeContext& viewer) {
  if (viewer.user_id.empty() || owner.user_id != viewer.user_id) return false;
  switch (scope) {
    case Scope::kUser:
      return true;
    case Scope::kSession:
      return !viewer.session_id.empty() && owner.session_id == viewer.session_id;
    case Scope::kAgent:
      return !viewer.session_id.empty() && owner.session_id == viewer.session_id &&
             !viewer.agent_id.empty() && owner.agent_id == viewer.agent_id;
    case Scope::kTurn:
      return !viewer.session_id.empty() && owner.session_id == viewer.session_id &&
             !viewer.turn_id.empty() && owner.turn_id == viewer.turn_id;
  }
  return false;
}

}  // namespace stratamem
