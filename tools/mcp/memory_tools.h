// The bodies of the MCP tools (see tool_schemas.h): argument checking, the
// store calls, and the results. Every call acts for one fixed identity (the
// server's --user, --session, --agent): another user's memory ids are treated
// as unknown, so one user's agent can neither read nor change another's.
//
// Thread-compatible: the server calls it from one thread.
#ifndef STRATAMEM_TOOLS_MCP_MEMORY_TOOLS_H_
#define STRATAMEM_TOOLS_MCP_MEMORY_TOOLS_H_

#include <string>

#include <nlohmann/json.hpp>

#include "stratamem/stratamem.h"

namespace stratamem::mcp {

// What a tools/call returns. A failed call (bad arguments, unknown id, store
// error) is a result with is_error set, so the model sees the message and can
// correct itself; only protocol faults become JSON-RPC errors.
struct ToolResult {
  bool is_error = false;
  std::string text;           // the text content block
  nlohmann::json structured;  // structuredContent (null on error)
};

class MemoryTools {
 public:
  // `store` must outlive this object. identity.user_id must be set.
  MemoryTools(MemoryStore* store, ScopeContext identity);

  // `name` must be a known tool (IsKnownTool); `arguments` is the call's
  // "arguments" (null when absent).
  ToolResult Call(const std::string& name, const nlohmann::json& arguments);

 private:
  ToolResult Save(const nlohmann::json& args);
  ToolResult Search(const nlohmann::json& args);
  ToolResult Update(const nlohmann::json& args);
  ToolResult Forget(const nlohmann::json& args);
  ToolResult List(const nlohmann::json& args);
  ToolResult Related(const nlohmann::json& args);
  // The record of `id` if it belongs to this user; NotFound otherwise.
  Result<MemoryRecord> OwnRecord(const std::string& id);

  MemoryStore* store_;
  ScopeContext identity_;
};

}  // namespace stratamem::mcp

#endif  // STRATAMEM_TOOLS_MCP_MEMORY_TOOLS_H_
