// The engine's own sentence encoder for BERT-family models (safetensors weights).
#ifndef MEMSTRATA_EMBED_NATIVE_EMBEDDER_H_
#define MEMSTRATA_EMBED_NATIVE_EMBEDDER_H_

#include <memory>

#include "memstrata/embedder.h"

namespace memstrata {

// Loads options.model_dir (config.json, vocab.txt, model.safetensors,
// 1_Pooling/config.json) and returns an embedder; errors name the missing file.
Result<std::unique_ptr<Embedder>> NewNativeEmbedder(const EmbedderOptions& options);

}  // namespace memstrata

#endif  // MEMSTRATA_EMBED_NATIVE_EMBEDDER_H_
