// stratamem list and stratamem get: read memories back.
#include <cstdio>

#include "cli/common.h"
#include "cli/errors.h"
#include "cli/record_json.h"
#include "cli/text_output.h"

namespace stratamem::cli {
namespace {

struct ListArgs {
  std::vector<std::string> scopes;
  int limit = 0;
  int offset = 0;
  bool all = false;
};

int RunList(const ListArgs& args, const CommonOptions& common) {
  if (int rc = RequireUser(common, "list")) return rc;
  ListRequest request;
  request.context = common.context;
  request.visible_only = !args.all;
  request.scopes = ToScopes(args.scopes);
  request.limit = args.limit;
  request.offset = args.offset;
  int rc = 0;
  auto store = OpenStore(common, CreateMode::kMustExist, &rc);
  if (!store) return rc;
  auto records = store->List(request);
  if (!records.ok()) return ReportError(records.status(), common.json);
  if (common.json) {
    Json out = Json::array();
    for (const MemoryRecord& record : *records) out.push_back(RecordToJson(record));
    std::printf("%s\n", Dump(out).c_str());
    return kExitOk;
  }
  if (records->empty()) {
    std::printf("no memories\n");
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const MemoryRecord& r : *records) {
    rows.push_back({r.id, ScopeName(r.scope), r.context.session_id.empty() ? "-" : r.context.session_id,
                    r.source_agent.empty() ? "-" : r.source_agent, FormatTime(r.created_at, false),
                    Excerpt(r.content, 60)});
  }
  PrintTable({"ID", "SCOPE", "SESSION", "AGENT", "CREATED", "CONTENT"}, rows);
  return kExitOk;
}

int RunGet(const std::string& id, const CommonOptions& common) {
  int rc = 0;
  auto store = OpenStore(common, CreateMode::kMustExist, &rc);
  if (!store) return rc;
  auto record = store->Get(id);
  if (!record.ok()) return ReportError(record.status(), common.json);
  if (common.json) {
    std::printf("%s\n", Dump(RecordToJson(*record)).c_str());
  } else {
    PrintRecord(*record);
  }
  return kExitOk;
}

}  // namespace

CommandFn RegisterList(CLI::App& app, CommonOptions& common) {
  auto* sub = app.add_subcommand(
      "list", "List the memories visible from --user/--session/--agent/--turn, newest first.");
  auto args = std::make_shared<ListArgs>();
  AddScopeListOption(sub, &args->scopes, "Only these levels (repeatable or comma-separated)");
  sub->add_option("--limit", args->limit, "At most this many (0: no limit)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  sub->add_option("--offset", args->offset, "Skip this many first")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  sub->add_flag("--all", args->all,
                "Every memory of the user saved with the given ids, not only those visible from "
                "them (an admin view: e.g. all sessions' session-level memories)");
  AddCommonOptions(sub, &common);
  sub->footer(
      "Examples:\n"
      "  stratamem list --user team\n"
      "  stratamem list --user bob --all --scope session,agent --json");
  return [args, &common] { return RunList(*args, common); };
}

CommandFn RegisterGet(CLI::App& app, CommonOptions& common) {
  auto* sub = app.add_subcommand("get", "Show one memory by id.");
  auto id = std::make_shared<std::string>();
  sub->add_option("id", *id, "The memory's id (as printed by add, list or search)")->required();
  AddCommonOptions(sub, &common);
  sub->footer("Example:\n  stratamem get 0193f0c2-7d1e-7b4a-9c1e-2f5d8a9b0c3d --json");
  return [id, &common] { return RunGet(*id, common); };
}

}  // namespace stratamem::cli
