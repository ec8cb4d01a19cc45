// The engine's own sentence encoder for BERT-family models (safetensors weights).
#ifndef STRATAMEM_EMBED_NATIVE_EMBEDDER_H_
#define STRATAMEM_EMBED_NATIVE_EMBEDDER_H_

#include <memory>
#include <string>

#include "stratamem/embedder.h"

namespace stratamem {

// Loads options.model_dir (config.json, vocab.txt, model.safetensors,
// 1_Pooling/config.json) and returns an embedder; errors name the missing file.
Result<std::unique_ptr<Embedder>> NewNativeEmbedder(const EmbedderOptions& options);

// The model id a native embedder records: options.model, or else the model
// directory's name ("…/sentence-transformers__all-MiniLM-L6-v2/" -> "all-MiniLM-L6-v2").
std::string NativeModelId(const EmbedderOptions& options);

// The option checks that need only the model's config: batch size, threads,
// max_tokens within the model's positions, options.dimension (0 or the model's).
Status CheckNativeOptions(const EmbedderOptions& options, int max_positions, int hidden_size);

}  // namespace stratamem

#endif  // STRATAMEM_EMBED_NATIVE_EMBEDDER_H_
