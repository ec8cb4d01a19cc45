#include "embed/model_settings.h"

#include "embed/model_files.h"
#include "embed/model_registry.h"

namespace stratamem::embed {
namespace {

using nlohmann::json;

// Optional JSON object file: false (and OK) when it does not exist.
Status ReadOptionalJson(const std::string& path, json* out, bool* found) {
  *found = FileExists(path);
  if (!*found) return Status::OK();
  return ReadJsonFile(path, out);
}

Status ParsePoolingName(const std::string& path, const std::string& value, Pooling* pooling) {
  if (value == "mean") {
    *pooling = Pooling::kMean;
  } else if (value == "cls") {
    *pooling = Pooling::kCls;
  } else {
    return Status::NotSupported(path + ": pooling '" + value + "' is not supported (mean or cls)");
  }
  return Status::OK();
}

// The pooling module of a sentence-transformers directory: the one named in
// modules.json (usually 1_Pooling/config.json). Sets *found when there is one.
Status ReadStPooling(const std::string& dir, Pooling* pooling, bool* found) {
  *found = false;
  std::string pool_dir = "1_Pooling";
  json modules;
  bool have_modules = false;
  const std::string modules_path = ModelPath(dir, "modules.json");
  if (FileExists(modules_path)) {
    std::string text;
    STRATAMEM_RETURN_IF_ERROR(ReadTextFile(modules_path, &text));
    modules = json::parse(text, nullptr, false);
    have_modules = modules.is_array();
  }
  if (have_modules) {
    for (const auto& m : modules) {
      if (m.is_object() && m.value("type", "").find("Pooling") != std::string::npos) {
        pool_dir = m.value("path", pool_dir);
      }
    }
  }
  const std::string path = ModelPath(dir, pool_dir + "/config.json");
  json j;
  STRATAMEM_RETURN_IF_ERROR(ReadOptionalJson(path, &j, found));
  if (!*found) return Status::OK();
  auto flag = [&](const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_boolean() && it->get<bool>();
  };
  if (flag("pooling_mode_cls_token")) {
    *pooling = Pooling::kCls;
  } else if (flag("pooling_mode_max_tokens") || flag("pooling_mode_mean_sqrt_len_tokens") ||
             flag("pooling_mode_weightedmean_tokens") || flag("pooling_mode_lasttoken")) {
    return Status::NotSupported(path + ": only mean and CLS pooling are supported");
  } else {
    *pooling = Pooling::kMean;
  }
  return Status::OK();
}

// A string field of a JSON object, if it is one.
bool StringField(const json& j, const char* key, std::string* out) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return false;
  *out = it->get<std::string>();
  return true;
}

}  // namespace

std::string ShortModelName(const std::string& name) {
  const size_t slash = name.find_last_of('/');
  return slash == std::string::npos ? name : name.substr(slash + 1);
}

std::string ModelNameFromDir(const std::string& dir_in) {
  std::string dir = dir_in;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  // A Hugging Face cache snapshot: models--ORG--NAME/snapshots/HASH.
  if (size_t snap = dir.rfind("/snapshots/"); snap != std::string::npos) {
    const std::string repo = dir.substr(0, snap);
    std::string base = repo.substr(repo.find_last_of('/') + 1);
    if (base.rfind("models--", 0) == 0) {
      base = base.substr(8);
      if (size_t sep = base.find("--"); sep != std::string::npos) {
        return base.substr(0, sep) + "/" + base.substr(sep + 2);
      }
      return base;
    }
  }
  std::string base = dir.substr(dir.find_last_of('/') + 1);
  if (size_t sep = base.find("__"); sep != std::string::npos) {
    return base.substr(0, sep) + "/" + base.substr(sep + 2);
  }
  return base;
}

Status ReadModelSettings(const std::string& dir, const std::string& name_hint,
                         ModelSettings* settings) {
  *settings = ModelSettings();
  settings->name = name_hint.empty() ? ModelNameFromDir(dir) : name_hint;
  bool have_pooling = false, have_query = false, have_passage = false;

  // 1. Our manifest.
  json manifest;
  bool found = false;
  const std::string manifest_path = ModelPath(dir, kManifestFile);
  STRATAMEM_RETURN_IF_ERROR(ReadOptionalJson(manifest_path, &manifest, &found));
  if (found) {
    std::string value;
    if (StringField(manifest, "name", &value) && name_hint.empty()) settings->name = value;
    if (StringField(manifest, "pooling", &value)) {
      STRATAMEM_RETURN_IF_ERROR(ParsePoolingName(manifest_path, value, &settings->pooling));
      have_pooling = true;
    }
    have_query = StringField(manifest, "query_prefix", &settings->query_prefix);
    have_passage = StringField(manifest, "passage_prefix", &settings->passage_prefix);
    if (auto it = manifest.find("max_tokens"); it != manifest.end()) {
      if (!it->is_number_integer() || it->get<int64_t>() < 2 || it->get<int64_t>() > 1 << 20) {
        return Status::Corruption(manifest_path + ": max_tokens must be an integer >= 2");
      }
      settings->max_tokens = it->get<int>();
    }
    if (auto it = manifest.find("normalize"); it != manifest.end() && it->is_boolean()) {
      settings->normalize = it->get<bool>();
    }
  }

  // 2. sentence-transformers files.
  if (!have_pooling) {
    bool st_found = false;
    STRATAMEM_RETURN_IF_ERROR(ReadStPooling(dir, &settings->pooling, &st_found));
    have_pooling = st_found;
  }
  json st_config;
  STRATAMEM_RETURN_IF_ERROR(
      ReadOptionalJson(ModelPath(dir, "config_sentence_transformers.json"), &st_config, &found));
  if (found && st_config.contains("prompts") && st_config["prompts"].is_object()) {
    const json& prompts = st_config["prompts"];
    if (!have_query) have_query = StringField(prompts, "query", &settings->query_prefix);
    if (!have_passage) {
      have_passage = StringField(prompts, "passage", &settings->passage_prefix) ||
                     StringField(prompts, "document", &settings->passage_prefix);
    }
  }
  if (settings->max_tokens == 0) {
    json bert_config;
    STRATAMEM_RETURN_IF_ERROR(
        ReadOptionalJson(ModelPath(dir, "sentence_bert_config.json"), &bert_config, &found));
    if (found) {
      auto it = bert_config.find("max_seq_length");
      if (it != bert_config.end() && it->is_number_integer() && it->get<int64_t>() >= 2) {
        settings->max_tokens = it->get<int>();
      }
    }
  }

  // 3. The registry, for what the files did not say.
  if (const KnownModel* known = FindKnownModel(settings->name)) {
    settings->name = known->name;
    if (!have_pooling) settings->pooling = known->pooling;
    if (!have_query) settings->query_prefix = known->query_prefix;
    if (!have_passage) settings->passage_prefix = known->passage_prefix;
    if (settings->max_tokens == 0) settings->max_tokens = known->max_tokens;
  }
  return Status::OK();
}

void ApplyPrefixOverrides(const EmbedderOptions& options, ModelSettings* settings) {
  if (options.query_prefix) settings->query_prefix = *options.query_prefix;
  if (options.passage_prefix) settings->passage_prefix = *options.passage_prefix;
}

}  // namespace stratamem::embed
