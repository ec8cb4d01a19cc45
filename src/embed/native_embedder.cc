#include "embed/native_embedder.h"

#include <algorithm>
#include <mutex>
#include <utility>

#include "embed/bert_model.h"
#include "embed/model_files.h"
#include "embed/model_settings.h"
#include "embed/wordpiece_tokenizer.h"

namespace stratamem {
namespace {

using embed::BertModel;
using embed::BertWorkspace;
using embed::ModelSettings;
using embed::Pooling;
using embed::WordPieceTokenizer;

class NativeEmbedder final : public Embedder {
 public:
  NativeEmbedder(std::unique_ptr<WordPieceTokenizer> tokenizer, std::unique_ptr<BertModel> model,
                 ModelSettings settings, std::string model_id, int batch_size)
      : tokenizer_(std::move(tokenizer)),
        model_(std::move(model)),
        settings_(std::move(settings)),
        model_id_(std::move(model_id)),
        batch_size_(batch_size) {}

  int dimension() const override { return model_->config().hidden_size; }
  std::string model_id() const override { return model_id_; }

  Status EmbedBatch(const std::vector<std::string>& texts, std::vector<std::vector<float>>* out,
                    EmbedKind kind = EmbedKind::kPassage) override {
    const std::string& prefix = settings_.Prefix(kind);
    const int dim = dimension();
    out->assign(texts.size(), std::vector<float>());
    std::unique_ptr<BertWorkspace> ws = TakeWorkspace();
    std::vector<std::vector<int32_t>> batch;
    std::vector<float> pooled;
    // No sorting by length is needed: the model packs sequences without padding.
    for (size_t start = 0; start < texts.size(); start += batch_size_) {
      const size_t end = std::min(texts.size(), start + static_cast<size_t>(batch_size_));
      batch.clear();
      for (size_t i = start; i < end; ++i) {
        // The prefix is text like any other (tokenizers sees "query: " + text too).
        batch.push_back(tokenizer_->Encode(prefix.empty() ? texts[i] : prefix + texts[i]));
      }
      pooled.resize(batch.size() * dim);
      model_->Encode(batch, settings_.pooling, ws.get(), pooled.data());
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
  const ModelSettings settings_;
  const std::string model_id_;
  const int batch_size_;
  std::mutex mu_;
  std::vector<std::unique_ptr<BertWorkspace>> free_;  // guarded by mu_
};

}  // namespace

Status PlanNativeEmbedder(const EmbedderOptions& options, int max_positions, int hidden_size,
                          NativePlan* plan) {
  if (options.batch_size <= 0) return Status::InvalidArgument("batch_size must be positive");
  if (options.num_threads <= 0) return Status::InvalidArgument("num_threads must be positive");
  STRATAMEM_RETURN_IF_ERROR(embed::ReadModelSettings(options.model_dir, "", &plan->settings));
  embed::ApplyPrefixOverrides(options, &plan->settings);
  // 0: the length the model was trained with (its files, or the registry), else
  // 256, within the model's positions.
  int max_tokens = options.max_tokens;
  if (max_tokens == 0) {
    max_tokens = plan->settings.max_tokens > 0 ? plan->settings.max_tokens : embed::kDefaultMaxTokens;
    max_tokens = std::min(max_tokens, max_positions);
  }
  if (max_tokens < 2 || max_tokens > max_positions) {
    return Status::InvalidArgument("max_tokens must be between 2 and the model's " +
                                   std::to_string(max_positions) + " positions, got " +
                                   std::to_string(max_tokens));
  }
  if (options.dimension != 0 && options.dimension != hidden_size) {
    return Status::DimensionMismatch("the model in " + options.model_dir + " has dimension " +
                                     std::to_string(hidden_size) + ", not " +
                                     std::to_string(options.dimension));
  }
  plan->max_tokens = max_tokens;
  // The label stored with the vectors: the model's short name, as before
  // names were known ("all-MiniLM-L6-v2"), so existing stores keep opening.
  plan->model_id = options.model.empty() ? embed::ShortModelName(plan->settings.name) : options.model;
  if (options.precision == EmbedPrecision::kInt8 && options.model.empty()) plan->model_id += "-int8";
  return Status::OK();
}

Result<std::unique_ptr<Embedder>> NewNativeEmbedder(const EmbedderOptions& options) {
  if (options.model_dir.empty()) {
    return Status::InvalidArgument("native embedder: model_dir is empty");
  }
  const bool int8 = options.precision == EmbedPrecision::kInt8;
  auto model = BertModel::Load(options.model_dir, int8);
  if (!model.ok()) return model.status();
  const embed::BertConfig& config = (*model)->config();
  NativePlan plan;
  STRATAMEM_RETURN_IF_ERROR(
      PlanNativeEmbedder(options, config.max_position_embeddings, config.hidden_size, &plan));
  auto tokenizer = WordPieceTokenizer::Load(options.model_dir, plan.max_tokens);
  if (!tokenizer.ok()) return tokenizer.status();
  if ((*tokenizer)->vocab_size() > config.vocab_size) {
    return Status::Corruption("the tokenizer in " + options.model_dir + " has " +
                              std::to_string((*tokenizer)->vocab_size()) +
                              " tokens but the model only " + std::to_string(config.vocab_size));
  }
  return std::unique_ptr<Embedder>(new NativeEmbedder(std::move(tokenizer).value(),
                                                      std::move(model).value(), std::move(plan.settings),
                                                      std::move(plan.model_id), options.batch_size));
}

}  // namespace stratamem
