// An embedder that POSTs to an OpenAI-compatible /embeddings endpoint
// (OpenAI, Ollama's /v1, vLLM, LiteLLM ...).
#ifndef STRATAMEM_EMBED_HTTP_EMBEDDER_H_
#define STRATAMEM_EMBED_HTTP_EMBEDDER_H_

#include <memory>

#include "stratamem/embedder.h"

namespace stratamem {

Result<std::unique_ptr<Embedder>> NewHttpEmbedder(const EmbedderOptions& options);

}  // namespace stratamem

#endif  // STRATAMEM_EMBED_HTTP_EMBEDDER_H_
