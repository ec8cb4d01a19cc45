#include "embed/native_embedder.h"

#include <mutex>
#include <utility>

#include "embed/bert_model.h"
#include "embed/model_files.h"
#include "embed/wordpiece_tokenizer.h"

namespace stratamem {
namespace {

using embed::BertModel;
using embed::BertWorkspace;
using embed::Pooling;
using embed::WordPieceTokenizer;

// The pooling of a sentence-transformers directory: the Pooling module named in
// modules.json (usually 1_Pooling/config.json); mean pooling when there is none.
Status ReadPooling(const std::string& dir, Pooling* pooling) {
  *pooling = Pooling::kMean;
  std::string pool_dir = "1_Pooling";
  if (const std::string modules = embed::ModelPath(dir, "modules.json"); embed::FileExists(modules)) {
    std::string text;
    STRATAMEM_RETURN_IF_ERROR(embed::ReadTextFile(modules, &text));
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_array()) {
      for (const auto& m : j) {
        if (m.is_object() && m.value("type", "").find("Pooling") != std::string::npos) {
          pool_dir = m.value("path", pool_dir);
        }
      }
    }
  }
  const std::string path = embed::ModelPath(dir, pool_dir + "/config.json");
  if (!embed::FileExists(path)) return Status::OK();
  nlohmann::json j;
  STRATAMEM_RETURN_IF_ERROR(embed::ReadJsonFile(path, &j));
  auto flag = [&](const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_boolean() && it->get<bool>();
  };
  if (flag("pooling_mode_cls_token")) {
    *pooling = Pooling::kCls;
  } else if (flag("pooling_mode_max_tokens") || flag("pooling_mode_mean_sqrt_len_tokens") ||
             flag("pooling_mode_weightedmean_tokens") || flag("pooling_mode_lasttoken")) {
    return Status::NotSupported(path + ": only mean and CLS pooling are supported");
  }
  return Status::OK();
}

class NativeEmbedder final : public Embedder {
 public:
  NativeEmbedder(std::unique_ptr<WordPieceTokenizer> tokenizer, std::unique_ptr<BertModel> model,
                 Pooling pooling, std::string model_id, int batch_size)
      : tokenizer_(std::move(tokenizer)),
        model_(std::move(model)),
        pooling_(pooling),
        model_id_(std::move(model_id)),
        batch_size_(batch_size) {}

  int dimension() const override { return model_->config().hidden_size; }
  std::string model_id() const override { return model_id_; }

  // Prefixes per kind come with the per-model settings; until then both kinds
  // embed alike.
  Status EmbedBatch(const std::vector<std::string>& texts, std::vector<std::vector<float>>* out,
                    EmbedKind /*kind*/ = EmbedKind::kPassage) override {
    const int dim = dimension();
    out->assign(texts.size(), std::vector<float>());
    std::unique_ptr<BertWorkspace> ws = TakeWorkspace();
    std::vector<std::vector<int32_t>> batch;
    std::vector<float> pooled;
    // No sorting by length is needed: the model packs sequences without padding.
    for (size_t start = 0; start < texts.size(); start += batch_size_) {
      const size_t end = std::min(texts.size(), start + static_cast<size_t>(batch_size_));
      batch.clear();
      for (size_t i = start; i < end; ++i) batch.push_back(tokenizer_->Encode(texts[i]));
      pooled.resize(batch.size() * dim);
      model_->Encode(batch, pooling_, ws.get(), pooled.data());
      for (size_t i = start; i < end; ++i) {
        const float* v = pooled.data() + (i - start) * dim;
        (*out)[i].assign(v, v + dim);
      }
    }
    ReturnWorkspace(std::move(ws));
    return Status::OK();
  }

 private:
  // Workspaces are pooled so concurrent calls each get one and steady-state
  // calls reuse grown buffers instead of allocating.
  std::unique_ptr<BertWorkspace> TakeWorkspace() {
    std::lock_guard<std::mutex> lock(mu_);
    if (free_.empty()) return std::make_unique<BertWorkspace>();
    auto ws = std::move(free_.back());
    free_.pop_back();
    return ws;
  }
  void ReturnWorkspace(std::unique_ptr<BertWorkspace> ws) {
    std::lock_guard<std::mutex> lock(mu_);
    free_.push_back(std::move(ws));
  }

  const std::unique_ptr<WordPieceTokenizer> tokenizer_;
  const std::unique_ptr<BertModel> model_;
  const Pooling pooling_;
  const std::string model_id_;
  const int batch_size_;
  std::mutex mu_;
  std::vector<std::unique_ptr<BertWorkspace>> free_;  // guarded by mu_
};

}  // namespace

std::string NativeModelId(const EmbedderOptions& options) {
  if (!options.model.empty()) return options.model;
  std::string dir = options.model_dir;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  std::string base = dir.substr(dir.find_last_of('/') + 1);
  if (size_t sep = base.rfind("__"); sep != std::string::npos) base = base.substr(sep + 2);
  return base;
}

Status CheckNativeOptions(const EmbedderOptions& options, int max_positions, int hidden_size) {
  if (options.batch_size <= 0) return Status::InvalidArgument("batch_size must be positive");
  if (options.num_threads <= 0) return Status::InvalidArgument("num_threads must be positive");
  if (options.max_tokens < 2 || options.max_tokens > max_positions) {
    return Status::InvalidArgument("max_tokens must be between 2 and the model's " +
                                   std::to_string(max_positions) + " positions, got " +
                                   std::to_string(options.max_tokens));
  }
  if (options.dimension != 0 && options.dimension != hidden_size) {
    return Status::DimensionMismatch("the model in " + options.model_dir + " has dimension " +
                                     std::to_string(hidden_size) + ", not " +
                                     std::to_string(options.dimension));
  }
  return Status::OK();
}

Result<std::unique_ptr<Embedder>> NewNativeEmbedder(const EmbedderOptions& options) {
  if (options.model_dir.empty()) {
    return Status::InvalidArgument("native embedder: model_dir is empty");
  }
  auto model = BertModel::Load(options.model_dir);
  if (!model.ok()) return model.status();
  const embed::BertConfig& config = (*model)->config();
  STRATAMEM_RETURN_IF_ERROR(
      CheckNativeOptions(options, config.max_position_embeddings, config.hidden_size));
  auto tokenizer = WordPieceTokenizer::Load(options.model_dir, options.max_tokens);
  if (!tokenizer.ok()) return tokenizer.status();
  if ((*tokenizer)->vocab_size() > config.vocab_size) {
    return Status::Corruption("the tokenizer in " + options.model_dir + " has " +
                              std::to_string((*tokenizer)->vocab_size()) +
                              " tokens but the model only " + std::to_string(config.vocab_size));
  }
  Pooling pooling;
  STRATAMEM_RETURN_IF_ERROR(ReadPooling(options.model_dir, &pooling));
  std::string model_id = NativeModelId(options);
  return std::unique_ptr<Embedder>(new NativeEmbedder(std::move(tokenizer).value(),
                                                      std::move(model).value(), pooling,
                                                      std::move(model_id), options.batch_size));
}

}  // namespace stratamem
