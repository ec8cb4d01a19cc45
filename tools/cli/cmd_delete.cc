// stratamem delete and stratamem clear: remove memories.
#include <cstdio>

#include "cli/common.h"
#include "cli/errors.h"
#include "cli/record_json.h"

namespace stratamem::cli {
namespace {

int RunDelete(const std::string& id, const CommonOptions& common) {
  int rc = 0;
  auto store = OpenStore(common, CreateMode::kMustExist, &rc);
  if (!store) return rc;
  if (Status st = store->Delete(id); !st.ok()) return ReportError(st, common.json);
  if (common.json) {
    std::printf("%s\n", Dump(Json{{"deleted", id}}).c_str());
  } else {
    std::printf("deleted %s\n", id.c_str());
  }
  return kExitOk;
}

// What Clear removes for the ids given (the narrowest one decides), in words.
std::string ClearTarget(const ScopeContext& c) {
  if (!c.turn_id.empty()) return "the turn-level memories of turn '" + c.turn_id + "'";
  if (!c.agent_id.empty()) return "the agent-level memories of agent '" + c.agent_id + "'";
  if (!c.session_id.empty()) return "the session, agent and turn-level memories of session '" + c.session_id + "'";
  return "every memory of user '" + c.user_id + "'";
}

int RunClear(bool yes, const CommonOptions& common) {
  if (int rc = RequireUser(common, "clear")) return rc;
  const ScopeContext& c = common.context;
  if ((!c.agent_id.empty() || !c.turn_id.empty()) && c.session_id.empty()) {
    return ReportUsageError("clear with --agent or --turn also needs --session", common.json);
  }
  if (!yes) {
    return ReportUsageError("clear would delete " + ClearTarget(c) + "; pass --yes to delete them", common.json);
  }
  int rc = 0;
  auto store = OpenStore(common, CreateMode::kMustExist, &rc);
  if (!store) return rc;
  auto deleted = store->Clear(c);
  if (!deleted.ok()) return ReportError(deleted.status(), common.json);
  if (common.json) {
    std::printf("%s\n", Dump(Json{{"deleted", *deleted}}).c_str());
  } else {
    std::printf("deleted %lld %s (%s)\n", static_cast<long long>(*deleted), *deleted == 1 ? "memory" : "memories",
                ClearTarget(c).c_str());
  }
  return kExitOk;
}

}  // namespace

CommandFn RegisterDelete(CLI::App& app, CommonOptions& common) {
  auto* sub = app.add_subcommand("delete", "Delete one memory by id.");
  auto id = std::make_shared<std::string>();
  sub->add_option("id", *id, "The memory's id")->required();
  AddCommonOptions(sub, &common);
  sub->footer("Example:\n  stratamem delete 0193f0c2-7d1e-7b4a-9c1e-2f5d8a9b0c3d");
  return [id, &common] { return RunDelete(*id, common); };
}

CommandFn RegisterClear(CLI::App& app, CommonOptions& common) {
  auto* sub = app.add_subcommand(
      "clear",
      "Delete the memories private to the narrowest id given (needs --yes).");
  auto yes = std::make_shared<bool>(false);
  sub->add_flag("-y,--yes", *yes, "Really delete");
  AddCommonOptions(sub, &common);
  sub->footer(
      "What is deleted: --user alone: all of the user's memories; +--session: that session's\n"
      "session/agent/turn-level ones; +--agent: that agent's agent-level ones in that session;\n"
      "+--turn: that turn's turn-level ones. Asks nothing: without --yes it only says what it\n"
      "would delete and exits with code 2.\n"
      "\n"
      "Examples:\n"
      "  stratamem clear --user bob --yes\n"
      "  stratamem clear --user bob --session morning-session --yes");
  return [yes, &common] { return RunClear(*yes, common); };
}

}  // namespace stratamem::cli
