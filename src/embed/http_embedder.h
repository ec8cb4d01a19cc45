// An embedder that POSTs to an OpenAI-compatible /embeddings endpoint
// (OpenAI, Ollama's /v1, vLLM, LiteLLM ...).
#ifndef MEMSTRATA_EMBED_HTTP_EMBEDDER_H_
#define MEMSTRATA_EMBED_HTTP_EMBEDDER_H_

#include <memory>

#include "memstrata/embedder.h"

namespace memstrata {

Result<std::unique_ptr<Embedder>> NewHttpEmbedder(const EmbedderOptions& options);

}  // namespace memstrata

#endif  // MEMSTRATA_EMBED_HTTP_EMBEDDER_H_
