#include "mcp/server.h"

#include <algorithm>
#include <istream>
#include <iterator>
#include <ostream>
#include <utility>

#include "mcp/tool_schemas.h"
#include "stratamem/limits.h"

namespace stratamem::mcp {
namespace {

bool IsSupportedVersion(const std::string& version) {
  return std::find(std::begin(kProtocolVersions), std::end(kProtocolVersions), version) !=
         std::end(kProtocolVersions);
}

// JSON-RPC batches exist in exactly one MCP revision: 2025-03-26 added them and
// 2025-06-18 removed them.
bool AllowsBatches(const std::string& version) { return version == "2025-03-26"; }

bool IsBlank(const std::string& line) {
  return std::all_of(line.begin(), line.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

}  // namespace

Server::Server(MemoryTools* tools, ServerInfo info, std::ostream* log)
    : tools_(tools), info_(std::move(info)), log_(log) {}

std::optional<std::string> Server::HandleLine(const std::string& line) {
  if (IsBlank(line)) return std::nullopt;
  std::optional<Json> message = ParseLine(line);
  if (!message) return Serialize(MakeError(nullptr, {kParseError, "parse error: not valid JSON"}));
  if (JsonNestingDepth(line) > kMaxJsonDepth) {
    // Parsing is iterative and safe; what follows (schema checks, dumps) recurses.
    Json id = nullptr;
    if (message->is_object()) {
      auto it = message->find("id");
      if (it != message->end() && (it->is_string() || it->is_number_integer())) id = *it;
    }
    return Serialize(MakeError(id, {kInvalidParams, "the message is nested deeper than " +
                                                        std::to_string(kMaxJsonDepth) + " levels"}));
  }
  if (!message->is_array()) {
    Json response = HandleMessage(*message, /*in_batch=*/false);
    if (response.is_null()) return std::nullopt;
    return Serialize(response);
  }
  // A batch.
  if (message->empty()) return Serialize(MakeError(nullptr, {kInvalidRequest, "empty batch"}));
  if (!AllowsBatches(protocol_version_)) {
    std::string why = protocol_version_.empty()
                          ? "JSON-RPC batches are not accepted before initialize (and initialize must not be in one)"
                          : "JSON-RPC batches are not part of MCP revision " + protocol_version_;
    return Serialize(MakeError(nullptr, {kInvalidRequest, why}));
  }
  Json responses = Json::array();
  for (const Json& element : *message) {
    Json response = HandleMessage(element, /*in_batch=*/true);
    if (!response.is_null()) responses.push_back(std::move(response));
  }
  // A batch of notifications gets no answer at all (JSON-RPC 2.0, section 6).
  if (responses.empty()) return std::nullopt;
  return Serialize(responses);
}

Json Server::HandleMessage(const Json& message, bool in_batch) {
  Incoming in = Classify(message);
  // No exception may end the server: whatever a handler throws becomes this
  // request's error (a notification's is only logged) and the next line is read.
  try {
    return Answer(in, in_batch);
  } catch (const std::exception& e) {
    *log_ << "stratamem mcp: internal error handling " << in.method << ": " << e.what() << "\n";
  } catch (...) {
    *log_ << "stratamem mcp: internal error handling " << in.method << "\n";
  }
  if (in.kind != Incoming::Kind::kRequest) return nullptr;
  return MakeError(in.id, {kInternalError, "internal error"});
}

Json Server::Answer(const Incoming& in, bool in_batch) {
  switch (in.kind) {
    case Incoming::Kind::kInvalid:
      return MakeError(in.id, in.error);
    case Incoming::Kind::kResponse:
      // We never send requests, so there is nothing to match it with.
      *log_ << "stratamem mcp: ignoring a response to a request this server did not send\n";
      return nullptr;
    case Incoming::Kind::kNotification:
      OnNotification(in.method);
      return nullptr;
    case Incoming::Kind::kRequest:
      break;
  }
  if (in_batch && in.method == "initialize") {
    return MakeError(in.id, {kInvalidRequest, "initialize must not be part of a batch"});
  }
  RpcError error;
  std::optional<Json> result = Dispatch(in.method, in.params, &error);
  if (!result) return MakeError(in.id, error);
  return MakeResult(in.id, std::move(*result));
}

void Server::OnNotification(const std::string& method) {
  if (method == "notifications/initialized") {
    if (protocol_version_.empty()) {
      *log_ << "stratamem mcp: notifications/initialized before initialize; ignored\n";
      return;
    }
    initialized_notified_ = true;
    return;
  }
  // notifications/cancelled: every request is answered before the next line is
  // read, so there is never one in flight to cancel. Others are not ours to act on.
}

std::optional<Json> Server::Dispatch(const std::string& method, const Json& params, RpcError* error) {
  if (method == "ping") return Json::object();  // allowed at any time
  if (method == "initialize") return Initialize(params, error);
  if (protocol_version_.empty()) {
    *error = {kInvalidRequest, "the server is not initialized: send initialize first"};
    return std::nullopt;
  }
  if (method == "tools/list") {
    if (!params.is_null() && !params.is_object()) {
      *error = {kInvalidParams, "tools/list params must be an object"};
      return std::nullopt;
    }
    // One page holds every tool: a cursor from a previous page cannot exist.
    if (params.is_object() && params.contains("cursor")) {
      *error = {kInvalidParams, "invalid cursor: this server has a single page of tools"};
      return std::nullopt;
    }
    Json tools = ToolDefinitions();
    if (protocol_version_ < "2025-06-18") {
      // title and outputSchema arrived in 2025-06-18: show older clients the shape they know.
      for (Json& tool : tools) {
        tool.erase("title");
        tool.erase("outputSchema");
        tool["annotations"].erase("title");
      }
    }
    return Json{{"tools", std::move(tools)}};
  }
  if (method == "tools/call") return CallTool(params, error);
  *error = {kMethodNotFound, "method not found: " + method};
  return std::nullopt;
}

std::optional<Json> Server::Initialize(const Json& params, RpcError* error) {
  if (!protocol_version_.empty()) {
    *error = {kInvalidRequest, "already initialized"};
    return std::nullopt;
  }
  auto requested = params.is_object() ? params.find("protocolVersion") : params.end();
  if (!params.is_object() || requested == params.end() || !requested->is_string()) {
    *error = {kInvalidParams, "initialize needs params.protocolVersion (a string)"};
    return std::nullopt;
  }
  // Version negotiation: the client's version if we speak it, else our newest
  // (the client then decides whether it can go on).
  std::string version = requested->get<std::string>();
  if (!IsSupportedVersion(version)) version = std::end(kProtocolVersions)[-1];
  protocol_version_ = version;
  std::string client = "unknown client";
  if (auto info = params.find("clientInfo"); info != params.end() && info->is_object()) {
    // Only for the log: fields of another type are described, not trusted.
    auto text = [&](const char* key) {
      auto it = info->find(key);
      return it != info->end() && it->is_string() ? it->get<std::string>() : std::string("?");
    };
    client = text("name") + " " + text("version");
  }
  *log_ << "stratamem mcp: initialized by " << client << " (protocol " << version << ")\n";
  Json result = {{"protocolVersion", version},
                 {"capabilities", {{"tools", {{"listChanged", false}}}}},
                 {"serverInfo", {{"name", info_.name}, {"version", info_.version}}}};
  if (version >= "2025-06-18") result["serverInfo"]["title"] = "stratamem memory";
  if (!info_.instructions.empty()) result["instructions"] = info_.instructions;
  return result;
}

std::optional<Json> Server::CallTool(const Json& params, RpcError* error) {
  if (!params.is_object() || !params.contains("name") || !params["name"].is_string()) {
    *error = {kInvalidParams, "tools/call needs params.name (a string)"};
    return std::nullopt;
  }
  const std::string name = params["name"].get<std::string>();
  if (!IsKnownTool(name)) {
    *error = {kInvalidParams, "unknown tool: " + name};
    return std::nullopt;
  }
  Json arguments = params.value("arguments", Json());
  if (!arguments.is_null() && !arguments.is_object()) {
    *error = {kInvalidParams, "tools/call arguments must be an object"};
    return std::nullopt;
  }
  ToolResult result = tools_->Call(name, arguments);
  Json out = {{"content", Json::array({Json{{"type", "text"}, {"text", result.text}}})}};
  if (result.is_error) {
    out["isError"] = true;
    *log_ << "stratamem mcp: " << name << " failed: " << result.text << "\n";
  } else if (protocol_version_ >= "2025-06-18") {
    // structuredContent arrived in 2025-06-18; older clients get the text only.
    out["structuredContent"] = std::move(result.structured);
  }
  return out;
}

int Server::Run(std::istream& in, std::ostream& out) {
  std::string line;
  while (std::getline(in, line)) {
    std::optional<std::string> reply;
    try {
      reply = HandleLine(line);
    } catch (...) {  // e.g. bad_alloc on a huge batch: answer, keep serving
      reply = Serialize(MakeError(nullptr, {kInternalError, "internal error"}));
    }
    if (!reply) continue;
    out << *reply << '\n';
    out.flush();
    if (!out) {
      *log_ << "stratamem mcp: cannot write to stdout; exiting\n";
      return 1;
    }
  }
  return 0;
}

}  // namespace stratamem::mcp
