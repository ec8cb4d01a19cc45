// The engine's own sentence encoder for BERT-family models (safetensors weights).
#ifndef STRATAMEM_EMBED_NATIVE_EMBEDDER_H_
#define STRATAMEM_EMBED_NATIVE_EMBEDDER_H_

#include <memory>
#include <string>

#include "embed/model_settings.h"
#include "stratamem/embedder.h"

namespace stratamem {

// Loads options.model_dir (config.json, vocab.txt, model.safetensors,
// 1_Pooling/config.json) and returns an embedder; errors name the missing file.
Result<std::unique_ptr<Embedder>> NewNativeEmbedder(const EmbedderOptions& options);

// What a native embedder will be, decided from the model's small files only
// (config values, settings; no weights), so the lazy embedder can answer
// dimension() and model_id() before it loads anything.
struct NativePlan {
  embed::ModelSettings settings;
  int max_tokens = 0;    // options.max_tokens, or the model's own length
  std::string model_id;  // options.model, else the model's short name (+ "-int8")
};

// Checks the options against the model's positions and hidden size (batch
// size, threads, max_tokens, options.dimension) and fills `plan`.
Status PlanNativeEmbedder(const EmbedderOptions& options, int max_positions, int hidden_size,
                          NativePlan* plan);

}  // namespace stratamem

#endif  // STRATAMEM_EMBED_NATIVE_EMBEDDER_H_
