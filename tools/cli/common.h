// What every subcommand shares: the store path, the scope ids, --json and the
// embedder choice; and opening the store from them.
#ifndef STRATAMEM_TOOLS_CLI_COMMON_H_
#define STRATAMEM_TOOLS_CLI_COMMON_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "stratamem/stratamem.h"

namespace stratamem::cli {

struct CommonOptions {
  std::string db = "stratamem.db";
  ScopeContext context;
  bool json = false;
  std::string model_dir;
  std::string embedder = "native";
  std::string embedder_model;
  std::string embedder_url;
};

// A parsed subcommand's body; returns the process exit code.
using CommandFn = std::function<int()>;

// One subcommand: adds itself to `app` and returns its body.
// Every Register* function lives in its own cmd_*.cc.
CommandFn RegisterAdd(CLI::App& app, CommonOptions& common);
CommandFn RegisterSearch(CLI::App& app, CommonOptions& common);
CommandFn RegisterList(CLI::App& app, CommonOptions& common);
CommandFn RegisterGet(CLI::App& app, CommonOptions& common);
CommandFn RegisterDelete(CLI::App& app, CommonOptions& common);
CommandFn RegisterClear(CLI::App& app, CommonOptions& common);
CommandFn RegisterStats(CLI::App& app, CommonOptions& common);
CommandFn RegisterGraph(CLI::App& app, CommonOptions& common);
CommandFn RegisterExport(CLI::App& app, CommonOptions& common);
CommandFn RegisterImport(CLI::App& app, CommonOptions& common);
CommandFn RegisterIngest(CLI::App& app, CommonOptions& common);
CommandFn RegisterServe(CLI::App& app, CommonOptions& common);
CommandFn RegisterMcp(CLI::App& app, CommonOptions& common);
CommandFn RegisterModels(CLI::App& app, CommonOptions& common);

// Adds --db, --user/--session/--agent/--turn, --json and the embedder options
// to a subcommand, so each one's --help is complete on its own.
void AddCommonOptions(CLI::App* sub, CommonOptions* common);

// Adds a --scope option accepting user|session|agent|turn.
CLI::Option* AddScopeOption(CLI::App* sub, const std::string& name, std::string* target,
                            const std::string& help);
CLI::Option* AddScopeListOption(CLI::App* sub, std::vector<std::string>* target,
                                const std::string& help);
std::vector<Scope> ToScopes(const std::vector<std::string>& names);

enum class CreateMode { kCreate, kMustExist };
// When the native model's weights load: on the first embed (one-shot commands;
// those that never embed never load them) or at once (servers: a broken model
// fails at start, and the first request does not wait for the load).
enum class ModelLoad { kOnFirstUse, kNow };

// Opens the store named by --db with the embedder the options name (the store
// checks it matches the one the store was built with). On failure prints the error (see errors.h)
// and returns nullptr with *exit_code set.
std::unique_ptr<MemoryStore> OpenStore(const CommonOptions& common, CreateMode create, int* exit_code,
                                       ModelLoad load = ModelLoad::kOnFirstUse);

// A usage error unless --user was given; returns 0 when it was.
int RequireUser(const CommonOptions& common, const char* command);

}  // namespace stratamem::cli

#endif  // STRATAMEM_TOOLS_CLI_COMMON_H_
