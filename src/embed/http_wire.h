// The OpenAI embeddings wire format (POST /embeddings), as spoken by OpenAI,
// Ollama's /v1, vLLM, LiteLLM and others. Pure functions: no I/O, no state.
#ifndef STRATAMEM_EMBED_HTTP_WIRE_H_
#define STRATAMEM_EMBED_HTTP_WIRE_H_

#include <string>
#include <vector>

#include "stratamem/status.h"

namespace stratamem {

// {"model": model, "input": [texts...], "encoding_format": "float"}.
// Invalid UTF-8 in a text is replaced by U+FFFD rather than failing.
std::string BuildEmbeddingsRequest(const std::string& model, const std::vector<std::string>& texts);

// Parses {"data": [{"embedding": [...], "index": i}, ...]} into `out`, ordered
// by "index" (items without an index keep their position). Requires exactly
// `expected_count` items, each index used once, every vector non-empty, finite
// and of the same length. Vectors are returned as sent (not normalised).
// Errors are EmbedderError (malformed reply) or DimensionMismatch (vectors of
// different lengths within one reply).
Status ParseEmbeddingsResponse(const std::string& body, size_t expected_count,
                               std::vector<std::vector<float>>* out);

// A short, printable excerpt of an error reply: the JSON "error.message" when
// there is one, else the raw body; cut at `max_bytes` on a UTF-8 boundary,
// control characters replaced, and every occurrence of `secret` (when not
// empty) replaced by "[redacted]".
std::string ErrorExcerpt(const std::string& body, const std::string& secret, size_t max_bytes = 300);

}  // namespace stratamem

#endif  // STRATAMEM_EMBED_HTTP_WIRE_H_
