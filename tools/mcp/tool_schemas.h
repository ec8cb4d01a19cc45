// The tools the MCP server offers, as tools/list describes them: names, the
// descriptions an agent reads to decide when to call each, and complete JSON
// Schemas for their arguments and structured results.
#ifndef STRATAMEM_TOOLS_MCP_TOOL_SCHEMAS_H_
#define STRATAMEM_TOOLS_MCP_TOOL_SCHEMAS_H_

#include <string>

#include <nlohmann/json.hpp>

namespace stratamem::mcp {

// The "tools" array of a tools/list result (the same every call).
const nlohmann::json& ToolDefinitions();

// True when `name` is one of ToolDefinitions().
bool IsKnownTool(const std::string& name);

// Limits the schemas state and the tools enforce.
inline constexpr int kMaxTopK = 50;
inline constexpr int kDefaultTopK = 8;
inline constexpr int kMaxListLimit = 200;
inline constexpr int kDefaultListLimit = 50;
inline constexpr int kMaxRelated = 50;       // memory_related: neighbours and memories at most
inline constexpr int kDefaultRelated = 10;

}  // namespace stratamem::mcp

#endif  // STRATAMEM_TOOLS_MCP_TOOL_SCHEMAS_H_
