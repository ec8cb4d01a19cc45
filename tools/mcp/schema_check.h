// Checks tool arguments against the tool's own inputSchema, so what tools/list
// promises and what tools/call accepts cannot drift apart. Covers the JSON
// Schema keywords our schemas use: type, enum, properties, required,
// additionalProperties (false), items, uniqueItems, minimum, maximum,
// minLength, maxLength. Anything else in a schema is ignored.
#ifndef STRATAMEM_TOOLS_MCP_SCHEMA_CHECK_H_
#define STRATAMEM_TOOLS_MCP_SCHEMA_CHECK_H_

#include <string>

#include <nlohmann/json.hpp>

namespace stratamem::mcp {

// "" when `value` conforms to `schema`; otherwise one message naming the
// first offending field ("top_k: must be at most 50").
std::string CheckAgainstSchema(const nlohmann::json& value, const nlohmann::json& schema,
                               const std::string& path = "arguments");

}  // namespace stratamem::mcp

#endif  // STRATAMEM_TOOLS_MCP_SCHEMA_CHECK_H_
