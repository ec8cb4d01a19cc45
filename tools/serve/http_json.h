// JSON in and out of the HTTP server: error bodies, status mapping, body
// parsing, and who a request speaks for (the tenant).
#ifndef STRATAMEM_TOOLS_SERVE_HTTP_JSON_H_
#define STRATAMEM_TOOLS_SERVE_HTTP_JSON_H_

#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "stratamem/stratamem.h"

namespace stratamem::serve {

using Json = nlohmann::json;

// Sends `body` as application/json (invalid UTF-8 replaced, never throws).
void SendJson(httplib::Response& res, int status, const Json& body);
// {"error": {"code": "...", "message": "..."}} with `status`.
void SendError(httplib::Response& res, int status, const std::string& code, const std::string& message);
// The engine's error classes as HTTP: InvalidArgument 400, NotFound 404, ...
void SendStatus(httplib::Response& res, const Status& status);

// Sends the error and closes the connection after it (the response's content
// provider reports failure once written): for answers given before the body
// was read, whose unread bytes must never be taken for the next request.
void SendErrorAndClose(httplib::Response& res, int status, const std::string& code, const std::string& message);

// Wraps a route handler so that its body is read here, chunked or not, up to
// `max_bytes`: past the limit nothing more is buffered, the rest is drained
// (dropped) up to 8 x the limit, and the answer is 413 with the connection
// closed. The handler sees the body in req.body as usual.
httplib::Server::HandlerWithContentReader WithBody(size_t max_bytes, httplib::Server::Handler handler);

// Parses the request body as a JSON object; on failure sends 400 and returns
// false. JSON nested deeper than kMaxJsonDepth is refused (400) before parsing.
bool ParseJsonObject(const httplib::Request& req, httplib::Response& res, Json* out);
bool ParseJsonObject(const std::string& text, httplib::Response& res, Json* out);

// Reads an optional string field ("" when absent or null); false (and 400
// sent) when present with another type.
bool ReadStringField(const Json& body, const char* name, std::string* out, httplib::Response& res);

// The scope ids a request speaks for: X-Stratamem-User/-Session/-Agent/-Turn
// headers, else `fallback` (the server's --user/--session/--agent defaults).
ScopeContext ContextFromHeaders(const httplib::Request& req, const ScopeContext& fallback);

// Merges ids given in a body or query into `ctx`. A user id that differs from
// one the headers already set is refused (403 sent, false returned): the
// headers name the tenant and a body cannot speak for someone else.
bool MergeContext(const ScopeContext& given, ScopeContext* ctx, httplib::Response& res);

}  // namespace stratamem::serve

#endif  // STRATAMEM_TOOLS_SERVE_HTTP_JSON_H_
