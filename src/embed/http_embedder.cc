// HTTP embedder: batches of texts POSTed to {base_url}/embeddings.
//
// Thread-safety: EmbedBatch may be called from many threads at once. The HTTP
// client pools its handles under a mutex; the learned dimension is an atomic
// set once by the first successful reply (compare-and-swap), and every later
// reply is checked against it.
#include "embed/http_embedder.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>

#include "embed/http_wire.h"
#include "util/http_client.h"

namespace stratamem {
namespace {

constexpr const char* kOpenAIBaseUrl = "https://api.openai.com/v1";
constexpr const char* kOllamaBaseUrl = "http://127.0.0.1:11434/v1";

struct HttpEmbedderConfig {
  std::string prefix;    // "openai" / "ollama": model_id and message prefix
  std::string model;
  std::string endpoint;  // {base_url}/embeddings
  std::string api_key;   // may be empty: no Authorization header
  int dimension = 0;     // 0: learn from the first reply
  size_t batch_size = 32;
  double timeout_seconds = 30;
};

// Scales v to unit length. Servers differ: OpenAI normalises, many
// self-hosted models do not; the store's cosine search assumes unit vectors.
bool Normalize(std::vector<float>* v) {
  double sum = 0;
  for (float x : *v) sum += static_cast<double>(x) * x;
  if (!(sum > 0) || !std::isfinite(sum)) return false;
  const float inv = static_cast<float>(1.0 / std::sqrt(sum));
  for (float& x : *v) x *= inv;
  return true;
}

class HttpEmbedder final : public Embedder {
 public:
  explicit HttpEmbedder(HttpEmbedderConfig config)
      : config_(std::move(config)), client_(config_.timeout_seconds), dimension_(config_.dimension) {
    headers_.push_back("Content-Type: application/json");
    headers_.push_back("Accept: application/json");
    if (!config_.api_key.empty()) headers_.push_back("Authorization: Bearer " + config_.api_key);
  }

  int dimension() const override { return dimension_.load(std::memory_order_acquire); }
  std::string model_id() const override { return config_.prefix + ":" + config_.model; }

  // The OpenAI wire format has no query/passage field: the kind is ignored.
  Status EmbedBatch(const std::vector<std::string>& texts, std::vector<std::vector<float>>* out,
                    EmbedKind /*kind*/ = EmbedKind::kPassage) override {
    std::vector<std::vector<float>> all;
    all.reserve(texts.size());
    for (size_t begin = 0; begin < texts.size(); begin += config_.batch_size) {
      const size_t end = std::min(texts.size(), begin + config_.batch_size);
      std::vector<std::string> batch(texts.begin() + begin, texts.begin() + end);
      std::vector<std::vector<float>> vectors;
      STRATAMEM_RETURN_IF_ERROR(EmbedOneRequest(batch, begin, &vectors));
      for (auto& v : vectors) all.push_back(std::move(v));
    }
    *out = std::move(all);  // only on full success: a failed call leaves *out alone
    return Status::OK();
  }

 private:
  // One POST for `batch`, whose first text is input number `offset` of the call.
  Status EmbedOneRequest(const std::vector<std::string>& batch, size_t offset,
                         std::vector<std::vector<float>>* vectors) {
    HttpResponse response;
    Status st = client_.Post(config_.endpoint, headers_, BuildEmbeddingsRequest(config_.model, batch),
                             &response);
    if (!st.ok()) return Status::EmbedderError(Where() + st.message());
    if (response.status < 200 || response.status >= 300) {
      return Status::EmbedderError(Where() + "POST " + RedactUrl(config_.endpoint) + ": HTTP " +
                                   std::to_string(response.status) + ": " +
                                   ErrorExcerpt(response.body, config_.api_key));
    }
    st = ParseEmbeddingsResponse(response.body, batch.size(), vectors);
    if (!st.ok()) {
      return st.code() == Status::Code::kDimensionMismatch
                 ? Status::DimensionMismatch(Where() + st.message())
                 : Status::EmbedderError(Where() + st.message());
    }
    STRATAMEM_RETURN_IF_ERROR(CheckDimension(static_cast<int>((*vectors)[0].size())));
    for (size_t i = 0; i < vectors->size(); ++i) {
      if (!Normalize(&(*vectors)[i])) {
        return Status::EmbedderError(Where() + "the server returned a zero vector for input " +
                                     std::to_string(offset + i));
      }
    }
    return Status::OK();
  }

  Status CheckDimension(int got) {
    int expected = 0;
    // First reply wins when the dimension was not configured.
    if (dimension_.compare_exchange_strong(expected, got, std::memory_order_acq_rel)) {
      return Status::OK();
    }
    if (got != expected) {
      return Status::DimensionMismatch(
          Where() + "the server returned vectors of dimension " + std::to_string(got) +
          ", expected " + std::to_string(expected) +
          (config_.dimension > 0 ? " (configured)" : " (learned from its first reply)"));
    }
    return Status::OK();
  }

  std::string Where() const { return config_.prefix + " embedder (model " + config_.model + "): "; }

  const HttpEmbedderConfig config_;
  HttpClient client_;
  std::vector<std::string> headers_;  // immutable after construction
  std::atomic<int> dimension_;
};

bool HasHttpScheme(const std::string& url) {
  return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
}

}  // namespace

Result<std::unique_ptr<Embedder>> NewHttpEmbedder(const EmbedderOptions& options) {
  const bool openai = options.backend == EmbedderBackend::kOpenAI;
  if (!openai && options.backend != EmbedderBackend::kOllama) {
    return Status::InvalidArgument("the HTTP embedder serves only the OPENAI and OLLAMA backends");
  }
  HttpEmbedderConfig config;
  config.prefix = openai ? "openai" : "ollama";
  const std::string name = openai ? "OPENAI" : "OLLAMA";
  if (options.model.empty()) {
    return Status::InvalidArgument("embedder backend " + name +
                                   " needs a model name (e.g. " +
                                   (openai ? "text-embedding-3-small" : "nomic-embed-text") + ")");
  }
  if (options.dimension < 0) return Status::InvalidArgument("embedder dimension must be >= 0");
  if (options.batch_size <= 0) return Status::InvalidArgument("embedder batch_size must be > 0");
  if (!(options.timeout_seconds > 0) || !std::isfinite(options.timeout_seconds)) {
    return Status::InvalidArgument("embedder timeout_seconds must be a positive number");
  }

  std::string base_url = options.base_url;
  if (base_url.empty()) base_url = openai ? kOpenAIBaseUrl : kOllamaBaseUrl;
  while (!base_url.empty() && base_url.back() == '/') base_url.pop_back();
  if (!HasHttpScheme(base_url)) {
    return Status::InvalidArgument("embedder base_url must start with http:// or https://, got \"" +
                                   RedactUrl(base_url) + "\"");
  }

  config.api_key = options.api_key;
  if (config.api_key.empty() && openai) {
    if (const char* env = std::getenv("OPENAI_API_KEY"); env != nullptr) config.api_key = env;
  }
  // OpenAI itself always needs a key; other servers behind kOpenAI (vLLM,
  // LiteLLM ...) may not, so only the default URL makes a missing key an error.
  if (openai && config.api_key.empty() && base_url == kOpenAIBaseUrl) {
    return Status::InvalidArgument(
        "embedder backend OPENAI at " + std::string(kOpenAIBaseUrl) +
        " needs an API key: set OPENAI_API_KEY or pass api_key");
  }

  config.model = options.model;
  config.endpoint = base_url + "/embeddings";
  config.dimension = options.dimension;
  config.batch_size = static_cast<size_t>(options.batch_size);
  config.timeout_seconds = options.timeout_seconds;
  return std::unique_ptr<Embedder>(std::make_unique<HttpEmbedder>(std::move(config)));
}

}  // namespace stratamem
