// The Python-side owner of a C++ Embedder. `_core.Embedder` wraps this struct;
// `_core.Store.open(..., embedder)` moves the embedder out of it (the store
// owns its embedder), after which the holder is empty.
#ifndef MEMSTRATA_PYTHON_EMBED_HOLDER_H_
#define MEMSTRATA_PYTHON_EMBED_HOLDER_H_

#include <memory>

#include "memstrata/embedder.h"

namespace memstrata::python {
struct EmbedderHolder { std::unique_ptr<memstrata::Embedder> embedder; };
}  // namespace memstrata::python

#endif  // MEMSTRATA_PYTHON_EMBED_HOLDER_H_
