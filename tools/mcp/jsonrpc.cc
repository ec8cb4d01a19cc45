#include "mcp/jsonrpc.h"

#include <utility>

namespace stratamem::mcp {

std::optional<Json> ParseLine(const std::string& line) {
  Json value = Json::parse(line, /*cb=*/nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return std::nullopt;
  return value;
}

Incoming Classify(const Json& message) {
  Incoming in;
  if (!message.is_object()) {
    in.error = {kInvalidRequest, "a JSON-RPC message must be an object"};
    return in;
  }
  // MCP ids are strings or integers, never null (a null id cannot be answered apart
  // from a parse error's). Keep the id when it is usable so the error can name it.
  auto id_it = message.find("id");
  bool has_id = id_it != message.end();
  bool id_ok = has_id && (id_it->is_string() || id_it->is_number_integer());
  if (id_ok) in.id = *id_it;

  auto version = message.find("jsonrpc");
  if (version == message.end() || *version != "2.0") {
    in.error = {kInvalidRequest, "\"jsonrpc\" must be \"2.0\""};
    return in;
  }
  auto method = message.find("method");
  if (method == message.end()) {
    if (message.contains("result") || message.contains("error")) {
      in.kind = Incoming::Kind::kResponse;
      return in;
    }
    in.error = {kInvalidRequest, "a request needs a \"method\""};
    return in;
  }
  if (!method->is_string()) {
    in.error = {kInvalidRequest, "\"method\" must be a string"};
    return in;
  }
  if (has_id && !id_ok) {
    in.error = {kInvalidRequest, "\"id\" must be a string or an integer"};
    return in;
  }
  auto params = message.find("params");
  if (params != message.end() && !params->is_object() && !params->is_array()) {
    // Still a request: answer it (with its id) as invalid params below.
    in.error = {kInvalidRequest, "\"params\" must be an object or an array"};
    return in;
  }
  in.kind = has_id ? Incoming::Kind::kRequest : Incoming::Kind::kNotification;
  in.method = method->get<std::string>();
  if (params != message.end()) in.params = *params;
  return in;
}

Json MakeResult(const Json& id, Json result) {
  return Json{{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

Json MakeError(const Json& id, const RpcError& error) {
  return Json{{"jsonrpc", "2.0"}, {"id", id}, {"error", {{"code", error.code}, {"message", error.message}}}};
}

std::string Serialize(const Json& message) {
  // dump() escapes control characters, so "\n" inside strings never splits a line.
  return message.dump(-1, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace);
}

}  // namespace stratamem::mcp
