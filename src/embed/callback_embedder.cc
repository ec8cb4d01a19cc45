#include "embed/callback_embedder.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "embed/model_settings.h"

namespace stratamem {
namespace {

class CallbackEmbedder final : public Embedder {
 public:
  CallbackEmbedder(EmbedBatchFn fn, int dimension, std::string model_id, embed::ModelSettings settings,
                   int batch_size)
      : fn_(std::move(fn)),
        dimension_(dimension),
        model_id_(std::move(model_id)),
        settings_(std::move(settings)),
        batch_size_(static_cast<size_t>(batch_size)) {}

  int dimension() const override { return dimension_; }
  std::string model_id() const override { return model_id_; }

  Status EmbedBatch(const std::vector<std::string>& texts, std::vector<std::vector<float>>* out,
                    EmbedKind kind = EmbedKind::kPassage) override {
    const std::string& prefix = settings_.Prefix(kind);
    out->clear();
    out->reserve(texts.size());
    std::vector<std::string> batch;
    std::vector<std::vector<float>> got;
    for (size_t start = 0; start < texts.size(); start += batch_size_) {
      const size_t end = std::min(texts.size(), start + batch_size_);
      batch.clear();
      for (size_t i = start; i < end; ++i) batch.push_back(prefix + texts[i]);
      got.clear();
      Status st = fn_(batch, kind, &got);
      if (!st.ok()) return st;
      if (got.size() != batch.size()) {
        return Status::EmbedderError(model_id_ + ": the embedder returned " + std::to_string(got.size()) +
                                     " vectors for " + std::to_string(batch.size()) + " texts");
      }
      for (auto& v : got) {
        if (v.size() != static_cast<size_t>(dimension_)) {
          return Status::DimensionMismatch(model_id_ + ": the embedder returned a vector of " +
                                           std::to_string(v.size()) + " values, not " +
                                           std::to_string(dimension_));
        }
        double ss = 0;
        for (float x : v) ss += static_cast<double>(x) * x;
        if (!std::isfinite(ss) || !(ss > 0)) {
          return Status::EmbedderError(model_id_ + ": the embedder returned a zero or non-finite vector");
        }
        const float inv = static_cast<float>(1.0 / std::sqrt(ss));
        for (float& x : v) x *= inv;
        out->push_back(std::move(v));
      }
    }
    return Status::OK();
  }

 private:
  const EmbedBatchFn fn_;
  const int dimension_;
  const std::string model_id_;
  const embed::ModelSettings settings_;
  const size_t batch_size_;
};

}  // namespace

Result<std::unique_ptr<Embedder>> NewCallbackEmbedder(const EmbedderOptions& options) {
  if (!options.callback) {
    return Status::InvalidArgument(
        "this embedder backend runs a batch function supplied by its host (the ONNX and LOCAL "
        "backends of the Python package: stratamem.MemoryConfig(embedder_backend=...)); "
        "EmbedderOptions::callback is empty");
  }
  if (options.dimension <= 0) return Status::InvalidArgument("a callback embedder needs its dimension");
  if (options.model.empty()) return Status::InvalidArgument("a callback embedder needs a model name");
  if (options.batch_size <= 0) return Status::InvalidArgument("batch_size must be positive");
  embed::ModelSettings settings;
  if (!options.model_dir.empty()) {
    STRATAMEM_RETURN_IF_ERROR(embed::ReadModelSettings(options.model_dir, "", &settings));
  }
  embed::ApplyPrefixOverrides(options, &settings);
  return std::unique_ptr<Embedder>(new CallbackEmbedder(options.callback, options.dimension, options.model,
                                                        std::move(settings), options.batch_size));
}

}  // namespace stratamem
