// stratamem: the command-line tool. Each subcommand lives in tools/cli/cmd_*.cc
// and uses only the public API (include/stratamem). See docs/cli.md.
#include <cstdio>
#include <cstring>
#include <map>
#include <string>

#include <CLI/CLI.hpp>

#include "cli/common.h"
#include "cli/errors.h"
#include "stratamem/stratamem.h"

namespace {

constexpr char kFooter[] =
    "Every subcommand takes --db PATH (default stratamem.db, or $STRATAMEM_DB), the scope ids\n"
    "--user/--session/--agent/--turn, --json, and the embedder options (--model-dir or\n"
    "$STRATAMEM_MODEL_DIR for the native embedder). Run `stratamem COMMAND --help` for details.\n"
    "\n"
    "Exit codes: 0 ok, 2 usage, 3 invalid argument, 4 not found, 5 corruption, 6 I/O error,\n"
    "7 dimension mismatch, 8 not supported, 9 embedder error, 10 internal error.\n"
    "Errors are one line on stderr (`stratamem: error: ...`); with --json also\n"
    "{\"error\": {\"code\", \"exit_code\", \"message\"}} on stdout.\n"
    "\n"
    "Examples:\n"
    "  stratamem add \"Project uses uv\" --user team --agent claude\n"
    "  stratamem search \"package manager\" --user team";

bool HasJsonFlag(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--") == 0) return false;
    if (std::strcmp(argv[i], "--json") == 0) return true;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace stratamem::cli;
  CLI::App app{"stratamem: persistent memory for LLM applications (scoped hybrid search, offline embeddings).",
               "stratamem"};
  app.set_version_flag("--version", stratamem::Version(), "Print the version and exit");
  app.require_subcommand(1);
  app.footer(kFooter);

  CommonOptions common;
  std::map<std::string, CommandFn> commands = {
      {"add", RegisterAdd(app, common)},       {"search", RegisterSearch(app, common)},
      {"list", RegisterList(app, common)},     {"get", RegisterGet(app, common)},
      {"delete", RegisterDelete(app, common)}, {"clear", RegisterClear(app, common)},
      {"stats", RegisterStats(app, common)},   {"export", RegisterExport(app, common)},
      {"import", RegisterImport(app, common)}, {"ingest", RegisterIngest(app, common)},
      {"graph", RegisterGraph(app, common)},   {"serve", RegisterServe(app, common)},
      {"mcp", RegisterMcp(app, common)},
  };

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) return app.exit(e);  // --help, --version
    std::string hint = "stratamem --help";
    if (!app.get_subcommands().empty()) hint = "stratamem " + app.get_subcommands()[0]->get_name() + " --help";
    return ReportUsageError(std::string(e.what()) + " (see " + hint + ")", HasJsonFlag(argc, argv));
  }
  return commands.at(app.get_subcommands()[0]->get_name())();
}
