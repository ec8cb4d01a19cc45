// stratamem add: save one memory.
#include <iostream>
#include <iterator>

#include "cli/common.h"
#include "cli/errors.h"
#include "cli/record_json.h"

namespace stratamem::cli {
namespace {

struct AddArgs {
  std::string content;
  std::string scope = "user";
  double importance = 0.5;
  std::string metadata;
  std::string source_agent;
  bool no_dedup = false;
};

int RunAdd(const AddArgs& args, const CommonOptions& common) {
  if (int rc = RequireUser(common, "add")) return rc;
  SaveRequest request;
  request.content = args.content;
  if (args.content == "-") {  // read the content from stdin
    request.content.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  }
  request.scope = ParseScope(args.scope).value();  // validated by the option's check
  request.context = common.context;
  request.source_agent = args.source_agent;
  request.importance = args.importance;
  request.metadata_json = args.metadata;
  request.dedup = !args.no_dedup;
  // Check the ids before loading a model: a usage error should be instant.
  if (Status st = ValidateContextFor(request.scope, request.context); !st.ok()) {
    return ReportUsageError(st.message() + " (see stratamem add --help)", common.json);
  }
  int rc = 0;
  auto store = OpenStore(common, CreateMode::kCreate, &rc);
  if (!store) return rc;
  auto outcome = store->SaveDetailed({request});
  if (!outcome.ok()) return ReportError(outcome.status(), common.json);
  const SaveOutcome& saved = outcome->front();
  if (!common.json) {
    std::printf("%s\n", saved.id.c_str());
    if (saved.merged) std::fprintf(stderr, "stratamem: note: the same fact was already stored; merged into it\n");
    return kExitOk;
  }
  auto record = store->Get(saved.id);
  if (!record.ok()) return ReportError(record.status(), common.json);
  Json out = RecordToJson(*record);
  out["merged"] = saved.merged;
  std::printf("%s\n", Dump(out).c_str());
  return kExitOk;
}

}  // namespace

CommandFn RegisterAdd(CLI::App& app, CommonOptions& common) {
  auto* sub = app.add_subcommand("add", "Save one memory and print its id (the full record with --json).");
  auto args = std::make_shared<AddArgs>();
  sub->add_option("content", args->content, "The text to remember; - reads it from stdin")->required();
  AddScopeOption(sub, "--scope", &args->scope,
                 "Level to save at: user (all sessions), session, agent (this agent in this session) "
                 "or turn; session/agent/turn need --session, agent needs --agent, turn needs --turn")
      ->capture_default_str();
  sub->add_option("--importance", args->importance, "Importance from 0 to 1")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  sub->add_option("--metadata", args->metadata, "A JSON object stored with the memory, e.g. '{\"topic\": \"tools\"}'");
  sub->add_option("--source-agent", args->source_agent, "Provenance: the agent that wrote it (default: --agent)");
  sub->add_flag("--no-dedup", args->no_dedup,
                "Store it even if the same (or a near-identical) fact is already stored at this scope; "
                "by default it is merged into that memory, whose id is printed");
  AddCommonOptions(sub, &common);
  sub->footer(
      "Examples:\n"
      "  stratamem add \"Project uses uv, not pip\" --user team --agent claude\n"
      "  stratamem add \"Draft is due Friday\" --scope session --user bob --session morning-session");
  return [args, &common] { return RunAdd(*args, common); };
}

}  // namespace stratamem::cli
