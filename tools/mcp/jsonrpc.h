// JSON-RPC 2.0 messages as the MCP stdio transport carries them: one JSON value
// per line (no embedded newlines), UTF-8. This file knows nothing of MCP
// methods; it classifies what arrives and shapes what leaves.
#ifndef STRATAMEM_TOOLS_MCP_JSONRPC_H_
#define STRATAMEM_TOOLS_MCP_JSONRPC_H_

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace stratamem::mcp {

using Json = nlohmann::json;

// The error codes JSON-RPC 2.0 reserves (and MCP uses as they are).
inline constexpr int kParseError = -32700;
inline constexpr int kInvalidRequest = -32600;
inline constexpr int kMethodNotFound = -32601;
inline constexpr int kInvalidParams = -32602;
inline constexpr int kInternalError = -32603;

// A protocol error a handler raises: becomes the response's "error" member.
struct RpcError {
  int code = kInternalError;
  std::string message;
};

// One element of what arrived, once checked against JSON-RPC's shape.
struct Incoming {
  enum class Kind {
    kRequest,       // method + id: must be answered
    kNotification,  // method, no id: never answered
    kResponse,      // result/error + id: a reply to us (we send no requests)
    kInvalid,       // not a JSON-RPC message: answer with `error`, id = `id` or null
  };
  Kind kind = Kind::kInvalid;
  Json id;  // null when absent or unusable
  std::string method;
  Json params;  // null when absent
  RpcError error;  // for kInvalid
};

// Classifies one JSON value (an element of a batch, or a whole line).
Incoming Classify(const Json& message);

// Parses one line; nullopt when it is not JSON at all (answer kParseError).
std::optional<Json> ParseLine(const std::string& line);

Json MakeResult(const Json& id, Json result);
Json MakeError(const Json& id, const RpcError& error);

// One line of output: compact JSON, non-ASCII kept as UTF-8 (invalid bytes
// replaced rather than throwing), no trailing newline.
std::string Serialize(const Json& message);

}  // namespace stratamem::mcp

#endif  // STRATAMEM_TOOLS_MCP_JSONRPC_H_
