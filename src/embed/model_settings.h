// How a sentence-embedding model is meant to be used, beyond its weights:
// pooling, the prefixes that mark queries and passages, the length it was
// trained on. Read once, in one place, for every backend (native, ONNX, local).
//
// Sources, first found wins per field:
//   1. stratamem_model.json in the model directory (written by `models pull`,
//      or by hand for any model: docs/embeddings.md, "The manifest");
//   2. the sentence-transformers files: modules.json + 1_Pooling/config.json,
//      config_sentence_transformers.json "prompts", sentence_bert_config.json
//      "max_seq_length";
//   3. what the model registry knows of a model by name (e5's "query: " /
//      "passage: " are in no file of its Hugging Face repository);
//   4. mean pooling, no prefixes, the caller's max_tokens.
#ifndef STRATAMEM_EMBED_MODEL_SETTINGS_H_
#define STRATAMEM_EMBED_MODEL_SETTINGS_H_

#include <optional>
#include <string>

#include "embed/bert_model.h"
#include "stratamem/embedder.h"
#include "stratamem/status.h"

namespace stratamem::embed {

inline constexpr char kManifestFile[] = "stratamem_model.json";
// Truncation when neither the options nor the model say (all-MiniLM-L6-v2's).
inline constexpr int kDefaultMaxTokens = 256;

struct ModelSettings {
  std::string name;  // "intfloat/e5-small-v2" when known, else the directory's name
  Pooling pooling = Pooling::kMean;
  std::string query_prefix, passage_prefix;
  int max_tokens = 0;  // 0: the model's files say nothing
  bool normalize = true;

  const std::string& Prefix(EmbedKind kind) const {
    return kind == EmbedKind::kQuery ? query_prefix : passage_prefix;
  }
};

// Reads `dir`'s settings. `name_hint` (may be empty) names the model for the
// registry lookup when the directory's own name does not (a Hugging Face
// snapshot directory is a commit hash). Malformed files are Corruption naming
// the file; a pooling mode other than mean or CLS is NotSupported.
Status ReadModelSettings(const std::string& dir, const std::string& name_hint,
                         ModelSettings* settings);

// Applies the overrides of EmbedderOptions (query_prefix / passage_prefix).
void ApplyPrefixOverrides(const EmbedderOptions& options, ModelSettings* settings);

// "…/models--intfloat--e5-small-v2/snapshots/<hash>" -> "intfloat/e5-small-v2";
// "…/intfloat__e5-small-v2" -> "intfloat/e5-small-v2"; "…/all-MiniLM-L6-v2" ->
// "all-MiniLM-L6-v2".
std::string ModelNameFromDir(const std::string& dir);

// The part after the last '/': "intfloat/e5-small-v2" -> "e5-small-v2".
std::string ShortModelName(const std::string& name);

}  // namespace stratamem::embed

#endif  // STRATAMEM_EMBED_MODEL_SETTINGS_H_
