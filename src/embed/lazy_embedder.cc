#include "embed/lazy_embedder.h"

#include <mutex>
#include <string>
#include <utility>

#include "embed/model_files.h"
#include "embed/native_embedder.h"

namespace stratamem {
namespace {

class LazyEmbedder final : public Embedder {
 public:
  LazyEmbedder(EmbedderOptions options, int dimension, std::string model_id)
      : options_(std::move(options)), dimension_(dimension), model_id_(std::move(model_id)) {}

  int dimension() const override { return dimension_; }
  std::string model_id() const override { return model_id_; }

  Status EmbedBatch(const std::vector<std::string>& texts, std::vector<std::vector<float>>* out,
                    EmbedKind kind = EmbedKind::kPassage) override {
    Embedder* loaded = nullptr;
    STRATAMEM_RETURN_IF_ERROR(Loaded(&loaded));
    return loaded->EmbedBatch(texts, out, kind);
  }

 private:
  // The loaded embedder; a failed load is remembered, not retried per call.
  Status Loaded(Embedder** out) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!inner_ && load_status_.ok()) {
      auto made = NewNativeEmbedder(options_);
      if (!made.ok()) {
        load_status_ = made.status();
      } else if ((*made)->dimension() != dimension_) {
        load_status_ = Status::Corruption("the model in " + options_.model_dir + " has dimension " +
                                          std::to_string((*made)->dimension()) +
                                          " but its config.json says " + std::to_string(dimension_));
      } else {
        inner_ = std::move(made).value();
      }
    }
    *out = inner_.get();
    return load_status_;
  }

  EmbedderOptions options_;
  const int dimension_;
  const std::string model_id_;
  std::mutex mu_;
  std::unique_ptr<Embedder> inner_;  // guarded by mu_ until set, then immutable
  Status load_status_;               // guarded by mu_
};

}  // namespace

Result<std::unique_ptr<Embedder>> NewLazyNativeEmbedder(const EmbedderOptions& options) {
  if (options.model_dir.empty()) return Status::InvalidArgument("native embedder: model_dir is empty");
  const std::string path = embed::ModelPath(options.model_dir, "config.json");
  nlohmann::json config;
  STRATAMEM_RETURN_IF_ERROR(embed::ReadJsonFile(path, &config));
  const auto hidden = config.find("hidden_size");
  if (hidden == config.end() || !hidden->is_number_integer() || hidden->get<int>() <= 0) {
    return Status::Corruption(path + ": no positive integer hidden_size");
  }
  const int dimension = hidden->get<int>();
  const auto positions = config.find("max_position_embeddings");
  const int max_positions = positions != config.end() && positions->is_number_integer()
                                ? positions->get<int>()
                                : 512;  // BertModel's default, as in bert_model.cc
  NativePlan plan;
  STRATAMEM_RETURN_IF_ERROR(PlanNativeEmbedder(options, max_positions, dimension, &plan));
  return std::unique_ptr<Embedder>(new LazyEmbedder(options, dimension, std::move(plan.model_id)));
}

}  // namespace stratamem
