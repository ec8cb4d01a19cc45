// The one place an embedding backend is chosen.
#include "stratamem/embedder.h"

#include "embed/callback_embedder.h"
#include "embed/hash_embedder.h"
#include "embed/http_embedder.h"
#include "embed/lazy_embedder.h"
#include "embed/native_embedder.h"

namespace stratamem {

Embedder::~Embedder() = default;

Status Embedder::Embed(const std::string& text, std::vector<float>* out, EmbedKind kind) {
  std::vector<std::vector<float>> batch;
  STRATAMEM_RETURN_IF_ERROR(EmbedBatch({text}, &batch, kind));
  if (batch.size() != 1) return Status::Internal("embedder returned a wrong batch size");
  *out = std::move(batch[0]);
  return Status::OK();
}

Result<std::unique_ptr<Embedder>> NewEmbedder(const EmbedderOptions& options) {
  switch (options.backend) {
    case EmbedderBackend::kNative:
      return options.load_on_first_use ? NewLazyNativeEmbedder(options) : NewNativeEmbedder(options);
    case EmbedderBackend::kOpenAI:
    case EmbedderBackend::kOllama:
      return NewHttpEmbedder(options);
    case EmbedderBackend::kHash:
      return NewHashEmbedder(options);
    case EmbedderBackend::kOnnx:
    case EmbedderBackend::kLocal:
      // Both run in the host language (the Python package), which supplies the
      // batch function; the engine applies prefixes and checks the vectors.
      return NewCallbackEmbedder(options);
  }
  return Status::InvalidArgument("unknown embedder backend");
}

}  // namespace stratamem
