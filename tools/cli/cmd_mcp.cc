// stratamem mcp: serve the store to a coding agent over the Model Context
// Protocol (stdio). The server itself lives in tools/mcp/; this file parses
// the options, opens the store and runs it. See docs/agents.md.
#include <csignal>
#include <iostream>

#include "cli/common.h"
#include "cli/errors.h"
#include "mcp/memory_tools.h"
#include "mcp/server.h"

namespace stratamem::cli {
namespace {

constexpr char kInstructions[] =
    "stratamem is the user's long-term memory, shared by all of their coding agents. At the start of a "
    "task, call memory_search to recall the user's preferences and the project's facts. When the user "
    "states a preference, decision or convention, or you learn a durable project fact, save it with "
    "memory_save (one self-contained fact per call). Correct outdated facts with memory_update, and "
    "delete with memory_forget only what the user asks you to forget or what is plainly wrong.";

int RunMcp(const CommonOptions& common) {
  if (common.context.user_id.empty()) {
    return ReportUsageError("mcp needs --user ID (or STRATAMEM_USER): whose memories this server serves",
                            /*json=*/false);
  }
  // stdout is the protocol: a closed pipe must be an error we see, not a signal.
  std::signal(SIGPIPE, SIG_IGN);
  int rc = 0;
  auto store = OpenStore(common, CreateMode::kCreate, &rc, ModelLoad::kNow);
  if (!store) return rc;
  mcp::MemoryTools tools(store.get(), common.context);
  mcp::ServerInfo info;
  info.version = Version();
  info.instructions = kInstructions;
  mcp::Server server(&tools, info, &std::cerr);
  std::cerr << "stratamem mcp: serving user '" << common.context.user_id << "'"
            << (common.context.agent_id.empty() ? "" : " as agent '" + common.context.agent_id + "'")
            << " from " << common.db << "\n";
  rc = server.Run(std::cin, std::cout);
  if (Status st = store->Close(); !st.ok()) return ReportError(st, /*json=*/false);
  return rc;
}

}  // namespace

CommandFn RegisterMcp(CLI::App& app, CommonOptions& common) {
  auto* sub = app.add_subcommand(
      "mcp", "Serve the store to a coding agent as an MCP server over stdio (docs/agents.md).");
  AddCommonOptions(sub, &common);
  // stdout carries the protocol, so --json means nothing here; a server has no turn.
  sub->remove_option(sub->get_option("--json"));
  sub->remove_option(sub->get_option("--turn"));
  sub->get_option("--user")->envname("STRATAMEM_USER")->description(
      "User id: whose memories the agent reads and writes (required; or $STRATAMEM_USER)");
  sub->get_option("--agent")->description(
      "This agent's name (claude-code, codex, gemini-cli, ...): recorded as the source of what it saves");
  sub->get_option("--session")->description(
      "Session id: enables the session and agent scopes; user-scope memories are shared regardless");
  sub->footer(
      "Speaks JSON-RPC 2.0 on stdin/stdout, one message per line (MCP revisions 2024-11-05 to 2025-11-25);\n"
      "logs go to stderr. Several servers (one per agent) may share one --db at once.\n"
      "\n"
      "Examples:\n"
      "  stratamem mcp --db ~/.stratamem/memory.db --user alice --agent claude-code\n"
      "  claude mcp add stratamem -- stratamem mcp --db ~/.stratamem/memory.db --user alice --agent claude-code");
  return [&common] { return RunMcp(common); };
}

}  // namespace stratamem::cli
