// PLACEHOLDER until the HTTP embedder lands (owner: http helper). Replaced, not kept.
#include "embed/http_embedder.h"

namespace memstrata {
Result<std::unique_ptr<Embedder>> NewHttpEmbedder(const EmbedderOptions&) {
  return Status::NotSupported("http embedder not built yet");
}
}  // namespace memstrata
