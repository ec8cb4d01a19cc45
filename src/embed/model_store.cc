// ResolveModel and PullModel (include/stratamem/models.h): model names found
// offline, and the one step that fetches, when the user asks for it.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "embed/model_convert.h"
#include "embed/model_fetch.h"
#include "embed/model_files.h"
#include "embed/model_registry.h"
#include "embed/model_settings.h"
#include "stratamem/models.h"
#include "util/sha256.h"

namespace stratamem {
namespace {

namespace fs = std::filesystem;
using embed::FindKnownModel;
using embed::KnownModel;

// Maven's own default for its "central" repository.
constexpr char kMavenCentral[] = "https://repo.maven.apache.org/maven2";

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? std::string(v) : std::string();
}

std::string Home() {
  std::string home = Env("HOME");
  return home.empty() ? std::string("/") : home;
}

bool IsDir(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// A directory the native encoder can load.
bool HasWeights(const std::string& dir) {
  return embed::FileExists(embed::ModelPath(dir, "config.json")) &&
         embed::FileExists(embed::ModelPath(dir, "model.safetensors"));
}

std::string HfCacheDir(const ModelStoreOptions& o) {
  if (!o.hf_cache_dir.empty()) return o.hf_cache_dir;
  if (std::string v = Env("HF_HUB_CACHE"); !v.empty()) return v;
  if (std::string v = Env("HF_HOME"); !v.empty()) return v + "/hub";
  return Home() + "/.cache/huggingface/hub";
}

// models--ORG--NAME/snapshots/<refs/main>, else the only snapshot with weights.
std::string FindHfSnapshot(const std::string& cache, const std::string& name, std::string* looked) {
  std::string repo = "models--";
  for (char c : name) repo += c == '/' ? std::string("--") : std::string(1, c);
  const std::string root = cache + "/" + repo;
  *looked = root;
  if (!IsDir(root)) return "";
  std::string ref;
  {
    std::ifstream in(root + "/refs/main");
    std::getline(in, ref);
  }
  if (!ref.empty() && HasWeights(root + "/snapshots/" + ref)) return root + "/snapshots/" + ref;
  std::vector<std::string> candidates;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(root + "/snapshots", ec)) {
    if (HasWeights(e.path().string())) candidates.push_back(e.path().string());
  }
  return candidates.size() == 1 ? candidates[0] : "";
}

Status ReadFileBytes(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return Status::IOError("error reading " + path);
  *out = ss.str();
  return Status::OK();
}

// The jar_sha256 recorded by an earlier pull of `dir` ("" when none).
std::string PulledSha(const std::string& dir) {
  nlohmann::json manifest;
  if (!embed::ReadJsonFile(embed::ModelPath(dir, embed::kManifestFile), &manifest).ok()) return "";
  const auto& source = manifest.value("source", nlohmann::json::object());
  return source.is_object() ? source.value("jar_sha256", "") : "";
}

std::string RandomSuffix() {
  std::random_device rd;
  return std::to_string(rd()) + std::to_string(::getpid());
}

std::string KnownNames() {
  std::string names;
  for (const KnownModel& m : embed::KnownModels()) names += (names.empty() ? "" : ", ") + std::string(m.name);
  return names;
}

}  // namespace

std::string ModelStoreDir(const ModelStoreOptions& o) {
  if (!o.store_dir.empty()) return o.store_dir;
  if (std::string v = Env("STRATAMEM_MODELS"); !v.empty()) return v;
  if (std::string v = Env("XDG_CACHE_HOME"); !v.empty()) return v + "/stratamem/models";
  return Home() + "/.cache/stratamem/models";
}

Result<ResolvedModel> ResolveModel(const std::string& name_or_path, const ModelStoreOptions& options) {
  if (name_or_path.empty()) return Status::InvalidArgument("the model name is empty");
  if (IsDir(name_or_path)) {
    return ResolvedModel{name_or_path, embed::ModelNameFromDir(name_or_path), "path"};
  }
  const KnownModel* known = FindKnownModel(name_or_path);
  // A short name of a known model ("e5-small-v2") is looked up by its full name.
  const std::string name = known ? known->name : name_or_path;
  std::vector<std::string> looked = {name_or_path + " (as a directory)"};
  if (name.find('/') != std::string::npos) {
    std::string hf_root;
    if (std::string snap = FindHfSnapshot(HfCacheDir(options), name, &hf_root); !snap.empty()) {
      return ResolvedModel{snap, name, "huggingface-cache"};
    }
    looked.push_back(hf_root + " (Hugging Face cache, with model.safetensors)");
  }
  const std::string store = ModelStoreDir(options) + "/" + embed::StoreDirName(name);
  if (HasWeights(store)) return ResolvedModel{store, name, "model-store"};
  looked.push_back(store + " (model store)");
  std::string msg = "embedding model '" + name_or_path + "' is not on this machine; looked in: ";
  for (size_t i = 0; i < looked.size(); ++i) msg += (i ? "; " : "") + looked[i];
  if (known) {
    msg += ". Fetch it once with `stratamem models pull " + std::string(known->name) + "`";
  } else {
    msg += ". Known to `stratamem models pull`: " + KnownNames() + "; or pass a directory";
  }
  return Status::NotFound(msg);
}

Result<PullResult> PullModel(const std::string& name, const PullOptions& options) {
  const KnownModel* known = FindKnownModel(name);
  if (!known) {
    return Status::NotFound("no known model '" + name + "'; `models pull` knows: " + KnownNames());
  }
  PullResult result;
  result.name = known->name;
  result.licence = known->licence;
  result.jar_sha256 = known->jar_sha256;
  const std::string store = ModelStoreDir(options.store);
  result.dir = store + "/" + embed::StoreDirName(known->name);
  if (!options.force && HasWeights(result.dir) && PulledSha(result.dir) == known->jar_sha256) {
    result.already_present = true;
    result.source = result.dir;
    return result;
  }

  // The artifact: the local Maven repository when it holds the pinned jar, else
  // the remote repository.
  std::string jar;
  const std::string rel = embed::MavenJarPath(*known);
  std::string local = options.local_repository;
  if (local.empty()) local = Home() + "/.m2/repository";
  const std::string local_jar = local + "/" + rel;
  if (embed::FileExists(local_jar) && ReadFileBytes(local_jar, &jar).ok() &&
      Sha256Hex(jar) == known->jar_sha256) {
    result.source = local_jar;
  } else {
    std::string repo = options.repository_url;
    if (repo.empty()) repo = Env("STRATAMEM_MAVEN_REPOSITORY");
    if (repo.empty()) repo = kMavenCentral;
    while (!repo.empty() && repo.back() == '/') repo.pop_back();
    result.source = repo + "/" + rel;
    STRATAMEM_RETURN_IF_ERROR(embed::FetchUrl(result.source, options.timeout_seconds, &jar));
    const std::string got = Sha256Hex(jar);
    if (got != known->jar_sha256) {
      return Status::Corruption("the artifact at " + result.source + " has sha256 " + got +
                                ", not the pinned " + known->jar_sha256 + "; nothing was written");
    }
  }

  // Convert beside the final directory, then rename: a crash leaves a stray
  // temporary directory, never a half-written model.
  std::error_code ec;
  fs::create_directories(store, ec);
  if (ec) return Status::IOError("cannot create the model store " + store + ": " + ec.message());
  const std::string tmp = store + "/." + embed::StoreDirName(known->name) + ".tmp-" + RandomSuffix();
  fs::create_directory(tmp, ec);
  if (ec) return Status::IOError("cannot create " + tmp + ": " + ec.message());
  Status st = embed::ConvertJar(jar, *known, result.source, known->jar_sha256, tmp);
  if (st.ok() && fs::exists(result.dir)) {
    // --force, or a directory of another version: replaced whole.
    const std::string old = tmp + ".old";
    fs::rename(result.dir, old, ec);
    if (!ec) fs::remove_all(old, ec);
    if (ec) st = Status::IOError("cannot replace " + result.dir + ": " + ec.message());
  }
  if (st.ok()) {
    fs::rename(tmp, result.dir, ec);
    if (ec) st = Status::IOError("cannot move the model into " + result.dir + ": " + ec.message());
  }
  if (!st.ok()) {
    fs::remove_all(tmp, ec);
    return st;
  }
  return result;
}

std::vector<KnownModelInfo> KnownModelInfos() {
  std::vector<KnownModelInfo> out;
  for (const KnownModel& m : embed::KnownModels()) {
    KnownModelInfo i;
    i.name = m.name;
    i.licence = m.licence;
    i.artifact = std::string(m.group_id) + ":" + m.artifact_id + ":" + m.version;
    i.jar_sha256 = m.jar_sha256;
    i.pooling = m.pooling == embed::Pooling::kCls ? "cls" : "mean";
    i.query_prefix = m.query_prefix;
    i.passage_prefix = m.passage_prefix;
    i.max_tokens = m.max_tokens;
    out.push_back(std::move(i));
  }
  return out;
}

}  // namespace stratamem
