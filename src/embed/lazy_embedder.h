// An embedder that loads its model on the first EmbedBatch, for programs that
// may never embed (the CLI's list, get, delete, clear, stats, export): opening
// a store only asks for dimension() and model_id(), which come from the
// model's config without reading the weights.
//
// Thread-safety: like every Embedder, safe to call from many threads; the
// first callers wait for the one load.
#ifndef STRATAMEM_EMBED_LAZY_EMBEDDER_H_
#define STRATAMEM_EMBED_LAZY_EMBEDDER_H_

#include <memory>

#include "stratamem/embedder.h"

namespace stratamem {

// options.backend must be kNative. Reads config.json now (a missing or wrong
// model directory, or a dimension other than options.dimension, fails here);
// the weights and tokenizer load on first use, with NewNativeEmbedder's errors.
Result<std::unique_ptr<Embedder>> NewLazyNativeEmbedder(const EmbedderOptions& options);

}  // namespace stratamem

#endif  // STRATAMEM_EMBED_LAZY_EMBEDDER_H_
