// The engine's own sentence encoder for BERT-family models (safetensors weights).
#ifndef STRATAMEM_EMBED_NATIVE_EMBEDDER_H_
#define STRATAMEM_EMBED_NATIVE_EMBEDDER_H_

#include <memory>

#include "stratamem/embedder.h"

namespace stratamem {

// Loads options.model_dir (config.json, vocab.txt, model.safetensors,
// 1_Pooling/config.json) and returns an embedder; errors name the missing file.
Result<std::unique_ptr<Embedder>> NewNativeEmbedder(const EmbedderOptions& options);

}  // namespace stratamem

#endif  // STRATAMEM_EMBED_NATIVE_EMBEDDER_H_
