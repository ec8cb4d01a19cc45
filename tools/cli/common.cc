#include "cli/common.h"

#include <cstdlib>
#include <filesystem>

#include "cli/errors.h"

namespace stratamem::cli {
namespace {

const std::vector<std::string> kScopeNames = {"user", "session", "agent", "turn"};

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::string(value) : fallback;
}

// "…/sentence-transformers__all-MiniLM-L6-v2" names "all-MiniLM-L6-v2" and
// "sentence-transformers/all-MiniLM-L6-v2".
bool SameModelName(const std::string& dir, const std::string& name) {
  std::string base = std::filesystem::path(dir).filename().string();
  if (base.empty()) base = std::filesystem::path(dir).parent_path().filename().string();
  if (size_t sep = base.rfind("__"); sep != std::string::npos) base = base.substr(sep + 2);
  const std::string short_name = name.substr(name.find_last_of('/') + 1);
  return !base.empty() && base == short_name;
}

// Builds the embedder the options ask for. Every command needs one, even
// those that do not embed: the store checks it is the model it was built with
// (from the model's config.json alone when the weights load on first use).
// A missing model dir for the native embedder is a usage error with the fix.
std::unique_ptr<Embedder> MakeEmbedder(const CommonOptions& common, bool json, ModelLoad load,
                                       int* exit_code) {
  EmbedderOptions options;
  options.load_on_first_use = load == ModelLoad::kOnFirstUse;
  options.model = common.embedder_model;
  if (common.embedder == "native") {
    options.model.clear();  // the native encoder labels vectors with its model's own name
    std::string model_dir = common.model_dir;
    if (!common.embedder_model.empty()) {
      // A name is found offline (a path, the Hugging Face cache, the model store);
      // the bundled model's name also matches the --model-dir the shim sets.
      auto resolved = ResolveModel(common.embedder_model);
      if (resolved.ok()) {
        model_dir = resolved->dir;
      } else if (model_dir.empty() || !SameModelName(model_dir, common.embedder_model)) {
        *exit_code = ReportError(resolved.status(), json);
        return nullptr;
      }
    }
    if (model_dir.empty()) {
      *exit_code = ReportUsageError(
          "no embedding model: pass --model-dir DIR or set STRATAMEM_MODEL_DIR to a directory "
          "with config.json, vocab.txt and model.safetensors (the pip-installed `stratamem` "
          "command sets it to the bundled model)",
          json);
      return nullptr;
    }
    options.backend = EmbedderBackend::kNative;
    options.model_dir = model_dir;
  } else if (common.embedder == "openai") {
    options.backend = EmbedderBackend::kOpenAI;
    options.base_url = common.embedder_url.empty() ? "https://api.openai.com/v1" : common.embedder_url;
    if (options.model.empty()) options.model = "text-embedding-3-small";
    options.api_key = EnvOr("OPENAI_API_KEY", "");
  } else {  // ollama (the option's validator admits nothing else)
    options.backend = EmbedderBackend::kOllama;
    options.base_url = common.embedder_url.empty() ? "http://127.0.0.1:11434/v1" : common.embedder_url;
    if (options.model.empty()) options.model = "nomic-embed-text";
    options.api_key = EnvOr("OPENAI_API_KEY", "");
  }
  auto embedder = NewEmbedder(options);
  if (!embedder.ok()) {
    *exit_code = ReportError(embedder.status(), json);
    return nullptr;
  }
  return std::move(embedder).value();
}

}  // namespace

void AddCommonOptions(CLI::App* sub, CommonOptions* common) {
  sub->add_option("--db", common->db, "Store file (SQLite), created by add/import/ingest")
      ->envname("STRATAMEM_DB")
      ->capture_default_str()
      ->group("Store");
  sub->add_flag("--json", common->json, "Print JSON instead of text (errors too: {\"error\": ...})")
      ->group("Store");
  sub->add_option("--user", common->context.user_id, "User id: whose memories")->group("Scope");
  sub->add_option("--session", common->context.session_id, "Session id")->group("Scope");
  sub->add_option("--agent", common->context.agent_id,
                  "Agent id (at user scope: recorded as the memory's source agent)")
      ->group("Scope");
  sub->add_option("--turn", common->context.turn_id, "Turn id")->group("Scope");
  sub->add_option("--model-dir", common->model_dir,
                  "Native embedder: model directory (config.json, vocab.txt, model.safetensors)")
      ->envname("STRATAMEM_MODEL_DIR")
      ->group("Embedder");
  sub->add_option("--embedder", common->embedder, "Embedding backend")
      ->check(CLI::IsMember({"native", "openai", "ollama"}))
      ->capture_default_str()
      ->group("Embedder");
  sub->add_option("--embedder-model", common->embedder_model,
                  "Native: a model found offline by name (e.g. BAAI/bge-small-en-v1.5; see "
                  "`stratamem models`); openai: default text-embedding-3-small; ollama: default "
                  "nomic-embed-text")
      ->group("Embedder");
  sub->add_option("--embedder-url", common->embedder_url,
                  "Base URL ending in /v1 for openai/ollama; the key comes from OPENAI_API_KEY")
      ->group("Embedder");
}

CLI::Option* AddScopeOption(CLI::App* sub, const std::string& name, std::string* target,
                            const std::string& help) {
  return sub->add_option(name, *target, help)->check(CLI::IsMember(kScopeNames));
}

CLI::Option* AddScopeListOption(CLI::App* sub, std::vector<std::string>* target,
                                const std::string& help) {
  return sub->add_option("--scope", *target, help)
      ->delimiter(',')
      ->check(CLI::IsMember(kScopeNames));
}

std::vector<Scope> ToScopes(const std::vector<std::string>& names) {
  std::vector<Scope> scopes;
  for (const std::string& name : names) {
    auto scope = ParseScope(name);
    if (scope.ok()) scopes.push_back(*scope);  // validated by the option's check
  }
  return scopes;
}

std::unique_ptr<MemoryStore> OpenStore(const CommonOptions& common, CreateMode create, int* exit_code,
                                       ModelLoad load) {
  *exit_code = kExitOk;
  OpenOptions options;
  options.db_path = common.db;
  // Reading commands never create a file: a typo in --db should not leave an
  // empty store behind and report "no memories".
  options.create_if_missing = create == CreateMode::kCreate;
  if (create == CreateMode::kMustExist && common.db != ":memory:") {
    std::error_code ec;
    if (!std::filesystem::exists(common.db, ec)) {
      *exit_code = ReportError(
          Status::IOError("no store at '" + common.db +
                          "' (pass --db PATH or set STRATAMEM_DB; add, import and ingest create one)"),
          common.json);
      return nullptr;
    }
  }
  std::unique_ptr<Embedder> embedder = MakeEmbedder(common, common.json, load, exit_code);
  if (*exit_code != kExitOk) return nullptr;
  auto store = MemoryStore::Open(options, std::move(embedder));
  if (!store.ok()) {
    *exit_code = ReportError(store.status(), common.json);
    return nullptr;
  }
  return std::move(store).value();
}

int RequireUser(const CommonOptions& common, const char* command) {
  if (!common.context.user_id.empty()) return kExitOk;
  return ReportUsageError(std::string(command) + " needs --user ID", common.json);
}

}  // namespace stratamem::cli
