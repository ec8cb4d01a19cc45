// The Python-side owner of a C++ Embedder. `_core.Embedder` wraps this struct;
// `_core.Store.open(..., embedder)` moves the embedder out of it (the store
// owns its embedder), after which the holder is empty.
#ifndef STRATAMEM_PYTHON_EMBED_HOLDER_H_
#define STRATAMEM_PYTHON_EMBED_HOLDER_H_

#include <memory>

#include "stratamem/embedder.h"

namespace stratamem::python {
struct EmbedderHolder { std::unique_ptr<stratamem::Embedder> embedder; };
}  // namespace stratamem::python

#endif  // STRATAMEM_PYTHON_EMBED_HOLDER_H_
