// An MCP server over stdio: reads newline-delimited JSON-RPC messages, runs
// the lifecycle (initialize -> notifications/initialized -> operation), and
// answers ping, tools/list and tools/call. Protocol revisions 2024-11-05 to
// 2025-11-25 (the initialize-handshake era) are spoken; JSON-RPC batches are
// accepted only where the negotiated revision has them (2025-03-26).
//
// Only protocol messages go to `out`; diagnostics go to `log` (stderr).
// Thread-compatible: one server, one thread.
#ifndef STRATAMEM_TOOLS_MCP_SERVER_H_
#define STRATAMEM_TOOLS_MCP_SERVER_H_

#include <iosfwd>
#include <optional>
#include <string>

#include "mcp/jsonrpc.h"
#include "mcp/memory_tools.h"

namespace stratamem::mcp {

// Oldest to newest; the newest is offered when the client asks for one we lack.
inline constexpr const char* kProtocolVersions[] = {"2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"};

struct ServerInfo {
  std::string name = "stratamem";
  std::string version;
  std::string instructions;  // shown to the model by clients that support it
};

class Server {
 public:
  Server(MemoryTools* tools, ServerInfo info, std::ostream* log);

  // Answers one line of input; returns the line to write (without "\n"), or
  // nullopt when nothing is to be written (notifications, blank lines).
  std::optional<std::string> HandleLine(const std::string& line);

  // Reads `in` until end of file, writing each answer to `out` and flushing.
  // Returns 0, or 1 when `out` fails (the client went away).
  int Run(std::istream& in, std::ostream& out);

  const std::string& protocol_version() const { return protocol_version_; }

 private:
  // One message (a line or a batch element): its response, or null for none.
  Json HandleMessage(const Json& message, bool in_batch);
  Json Answer(const Incoming& in, bool in_batch);  // HandleMessage without the catch
  // A request's result, or nullopt with *error set.
  std::optional<Json> Dispatch(const std::string& method, const Json& params, RpcError* error);
  std::optional<Json> Initialize(const Json& params, RpcError* error);
  std::optional<Json> CallTool(const Json& params, RpcError* error);
  void OnNotification(const std::string& method);

  MemoryTools* tools_;
  ServerInfo info_;
  std::ostream* log_;
  std::string protocol_version_;  // "" until initialize succeeds
  bool initialized_notified_ = false;
};

}  // namespace stratamem::mcp

#endif  // STRATAMEM_TOOLS_MCP_SERVER_H_
