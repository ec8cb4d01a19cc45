// Limits on what callers may hand the engine, checked at every boundary (the
// C++ API, Python, the REST server, the MCP server) so that no input costs
// unbounded stack or memory. Documented in docs/format.md.
#ifndef STRATAMEM_LIMITS_H_
#define STRATAMEM_LIMITS_H_

#include <cstddef>
#include <string_view>

#include "stratamem/export.h"

namespace stratamem {

// JSON nested deeper than this (arrays and objects; {} is depth 1) is refused:
// metadata, search filters, REST bodies and MCP messages.
inline constexpr int kMaxJsonDepth = 32;
// A memory's metadata, as compact JSON text.
inline constexpr size_t kMaxMetadataBytes = 64 * 1024;

// The deepest nesting of arrays and objects in JSON text, strings skipped
// (brackets inside them do not count). One pass, no recursion; counting stops
// at `stop_after` + 1, so a hostile input costs at most its length. The text
// need not be valid JSON.
STRATAMEM_EXPORT int JsonNestingDepth(std::string_view json_text, int stop_after = kMaxJsonDepth);

}  // namespace stratamem

#endif  // STRATAMEM_LIMITS_H_
