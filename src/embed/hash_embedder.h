// A deterministic embedder without a model: each lower-cased word is hashed
// into a signed bucket. Vectors overlap when texts share words. Shipped as a
// test double (fast, reproducible); never the default.
#ifndef STRATAMEM_EMBED_HASH_EMBEDDER_H_
#define STRATAMEM_EMBED_HASH_EMBEDDER_H_

#include <memory>

#include "stratamem/embedder.h"

namespace stratamem {

Result<std::unique_ptr<Embedder>> NewHashEmbedder(const EmbedderOptions& options);

}  // namespace stratamem

#endif  // STRATAMEM_EMBED_HASH_EMBEDDER_H_
