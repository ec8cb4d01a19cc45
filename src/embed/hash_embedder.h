// A deterministic embedder without a model: each lower-cased word is hashed
// into a signed bucket. Vectors overlap when texts share words. Shipped as a
// test double (fast, reproducible); never the default.
#ifndef MEMSTRATA_EMBED_HASH_EMBEDDER_H_
#define MEMSTRATA_EMBED_HASH_EMBEDDER_H_

#include <memory>

#include "memstrata/embedder.h"

namespace memstrata {

Result<std::unique_ptr<Embedder>> NewHashEmbedder(const EmbedderOptions& options);

}  // namespace memstrata

#endif  // MEMSTRATA_EMBED_HASH_EMBEDDER_H_
