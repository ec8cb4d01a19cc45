#include "serve/http_json.h"

#include <memory>

namespace stratamem::serve {

void SendJson(httplib::Response& res, int status, const Json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, Json::error_handler_t::replace), "application/json");
}

void SendError(httplib::Response& res, int status, const std::string& code, const std::string& message) {
  SendJson(res, status, Json{{"error", {{"code", code}, {"message", message}}}});
}

void SendStatus(httplib::Response& res, const Status& status) {
  int http = 500;
  switch (status.code()) {
    case Status::Code::kOk: http = 200; break;
    case Status::Code::kInvalidArgument: http = 400; break;
    case Status::Code::kNotFound: http = 404; break;
    case Status::Code::kDimensionMismatch: http = 400; break;
    case Status::Code::kNotSupported: http = 501; break;
    case Status::Code::kEmbedderError: http = 502; break;
    case Status::Code::kIOError: http = 503; break;
    case Status::Code::kCorruption:
    case Status::Code::kInternal: http = 500; break;
  }
  SendError(res, http, Status::CodeName(status.code()), status.message());
}

void SendErrorAndClose(httplib::Response& res, int status, const std::string& code, const std::string& message) {
  auto text = std::make_shared<std::string>(
      Json{{"error", {{"code", code}, {"message", message}}}}.dump(-1, ' ', false, Json::error_handler_t::replace));
  res.status = status;
  res.set_header("Connection", "close");
  res.set_content_provider(text->size(), "application/json",
                           [text](size_t offset, size_t length, httplib::DataSink& sink) {
                             sink.write(text->data() + offset, length);
                             return false;  // "failed": httplib closes the connection
                           });
}

httplib::Server::HandlerWithContentReader WithBody(size_t max_bytes, httplib::Server::Handler handler) {
  return [max_bytes, handler = std::move(handler)](const httplib::Request& req, httplib::Response& res,
                                                   const httplib::ContentReader& reader) {
    std::string body;
    bool too_large = false;
    uint64_t discarded = 0;
    // Past the limit nothing more is kept; up to kDrainFactor times the limit
    // is still read and dropped, so a client that is still sending reads our
    // 413 instead of a reset. Beyond that the connection is cut.
    constexpr uint64_t kDrainFactor = 8;
    bool read = reader([&](const char* data, size_t size) {
      if (!too_large && body.size() + size <= max_bytes) {
        body.append(data, size);
        return true;
      }
      if (!too_large) {
        too_large = true;
        body.clear();
        body.shrink_to_fit();
      }
      discarded += size;
      return discarded <= kDrainFactor * max_bytes;
    });
    if (too_large || res.status == 413) {
      return SendErrorAndClose(res, 413, "PayloadTooLarge",
                               "request body larger than " + std::to_string(max_bytes) + " bytes (--max-body-bytes)");
    }
    if (!read) return SendErrorAndClose(res, 400, "BadRequest", "the request body could not be read");
    res.status = -1;
    httplib::Request with_body = req;
    with_body.body = std::move(body);
    handler(with_body, res);
  };
}

bool ParseJsonObject(const httplib::Request& req, httplib::Response& res, Json* out) {
  return ParseJsonObject(req.body, res, out);
}

bool ParseJsonObject(const std::string& text, httplib::Response& res, Json* out) {
  if (JsonNestingDepth(text) > kMaxJsonDepth) {
    SendError(res, 400, "InvalidJSON",
              "the request body is nested deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    return false;
  }
  *out = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (out->is_discarded()) {
    SendError(res, 400, "InvalidJSON", "the request body is not valid JSON");
    return false;
  }
  if (!out->is_object()) {
    SendError(res, 400, "InvalidJSON", "the request body must be a JSON object");
    return false;
  }
  return true;
}

bool ReadStringField(const Json& body, const char* name, std::string* out, httplib::Response& res) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return true;
  if (!it->is_string()) {
    SendError(res, 400, "InvalidArgument", std::string("'") + name + "' must be a string");
    return false;
  }
  *out = it->get<std::string>();
  return true;
}

ScopeContext ContextFromHeaders(const httplib::Request& req, const ScopeContext& fallback) {
  auto pick = [&](const char* header, const std::string& dflt) {
    std::string value = req.get_header_value(header);
    return value.empty() ? dflt : value;
  };
  ScopeContext ctx;
  ctx.user_id = pick("X-Stratamem-User", fallback.user_id);
  ctx.session_id = pick("X-Stratamem-Session", fallback.session_id);
  ctx.agent_id = pick("X-Stratamem-Agent", fallback.agent_id);
  ctx.turn_id = pick("X-Stratamem-Turn", fallback.turn_id);
  return ctx;
}

bool MergeContext(const ScopeContext& given, ScopeContext* ctx, httplib::Response& res) {
  if (!given.user_id.empty()) {
    if (!ctx->user_id.empty() && ctx->user_id != given.user_id) {
      SendError(res, 403, "Forbidden", "user_id does not match the X-Stratamem-User header");
      return false;
    }
    ctx->user_id = given.user_id;
  }
  if (!given.session_id.empty()) ctx->session_id = given.session_id;
  if (!given.agent_id.empty()) ctx->agent_id = given.agent_id;
  if (!given.turn_id.empty()) ctx->turn_id = given.turn_id;
  return true;
}

}  // namespace stratamem::serve
