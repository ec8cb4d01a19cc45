// An Embedder whose vectors come from a batch function outside the engine
// (EmbedderOptions::callback): the ONNX and LOCAL backends of the Python layer.
// The engine keeps what must not differ between backends: the model's
// prefixes are applied here, once; counts, dimensions and finiteness are
// checked; vectors are L2-normalised.
#ifndef STRATAMEM_EMBED_CALLBACK_EMBEDDER_H_
#define STRATAMEM_EMBED_CALLBACK_EMBEDDER_H_

#include <memory>

#include "stratamem/embedder.h"

namespace stratamem {

// InvalidArgument unless callback, dimension > 0 and model are set. With a
// model_dir, the prefixes are that model's (docs/embeddings.md); the options'
// query_prefix / passage_prefix override them.
Result<std::unique_ptr<Embedder>> NewCallbackEmbedder(const EmbedderOptions& options);

}  // namespace stratamem

#endif  // STRATAMEM_EMBED_CALLBACK_EMBEDDER_H_
