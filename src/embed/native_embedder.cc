// PLACEHOLDER until the native encoder lands (owner: embed helper). Replaced, not kept.
#include "embed/native_embedder.h"

namespace memstrata {
Result<std::unique_ptr<Embedder>> NewNativeEmbedder(const EmbedderOptions&) {
  return Status::NotSupported("native embedder not built yet");
}
}  // namespace memstrata
