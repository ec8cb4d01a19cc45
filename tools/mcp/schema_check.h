// Checks a JSON value against a JSON Schema, so what a document promises and
// what the server accepts cannot drift apart: MCP tool arguments against the
// tool's inputSchema, REST bodies against /openapi.json's schemas. Covers the
// keywords our schemas use: type, enum, properties, required,
// additionalProperties (false), items, uniqueItems, minimum, maximum,
// exclusiveMaximum, minLength, maxLength, and local "$ref"s
// ("#/components/schemas/X", resolved in `root`). Anything else is ignored.
#ifndef STRATAMEM_TOOLS_MCP_SCHEMA_CHECK_H_
#define STRATAMEM_TOOLS_MCP_SCHEMA_CHECK_H_

#include <string>

#include <nlohmann/json.hpp>

namespace stratamem::mcp {

// "" when `value` conforms to `schema`; otherwise one message naming the
// first offending field ("top_k: must be at most 50"). Fields of the
// top-level object are named bare when `path` is "arguments" or "".
std::string CheckAgainstSchema(const nlohmann::json& value, const nlohmann::json& schema,
                               const std::string& path = "arguments", const nlohmann::json* root = nullptr);

}  // namespace stratamem::mcp

#endif  // STRATAMEM_TOOLS_MCP_SCHEMA_CHECK_H_
