// stratamem: the command-line tool. Each subcommand lives in tools/cli/cmd_*.cc
// and uses only the public API (include/stratamem). See docs/cli.md.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

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

// Edit distance (insert, delete, substitute, swap two neighbours), for "did you mean".
size_t Distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] != b[j - 1])});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

// The word in the subcommand's place: the first argument, after any of the
// top level's own flags. Empty when an option comes first (`--db x` before any
// command): that one is the parser's to report.
std::string FirstWord(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--json" || arg == "--help" || arg == "-h" || arg == "--version") continue;
    return arg.empty() || arg[0] == '-' ? "" : arg;
  }
  return "";
}

// "unknown command 'serach'; did you mean 'search'?" (the closest command
// within a third of the word's length; without a suggestion otherwise).
std::string UnknownCommand(const std::string& word,
                           const std::map<std::string, stratamem::cli::CommandFn>& commands) {
  std::string best;
  size_t best_distance = std::string::npos;
  for (const auto& [name, fn] : commands) {
    const size_t d = Distance(word, name);
    if (d < best_distance) best = name, best_distance = d;
  }
  std::string message = "unknown command '" + word + "'";
  if (best_distance <= std::max<size_t>(1, (word.size() + 2) / 3)) message += "; did you mean '" + best + "'?";
  std::string names;
  for (const auto& [name, fn] : commands) names += (names.empty() ? "" : " ") + name;
  return message + " (commands: " + names + "; see stratamem --help)";
}

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
      {"mcp", RegisterMcp(app, common)},       {"models", RegisterModels(app, common)},
  };

  if (const std::string word = FirstWord(argc, argv); !word.empty() && commands.count(word) == 0) {
    return ReportUsageError(UnknownCommand(word, commands), HasJsonFlag(argc, argv));
  }
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
