// The REST API over the store: /v1/memories (save, list, get, patch, delete,
// search), /v1/graph (rest_graph.cc), /v1/stats and /healthz. Bodies use the Python API's field names.
// A tenant (X-Stratamem-User, or the body's / query's user_id) sees and
// changes only its own memories: another user's id is answered 404.
#ifndef STRATAMEM_TOOLS_SERVE_REST_H_
#define STRATAMEM_TOOLS_SERVE_REST_H_

#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "serve/server.h"

namespace stratamem::serve {

void RegisterRestRoutes(httplib::Server& server, const ServeContext& ctx);
// /v1/graph, /v1/graph/entities[/{name}/neighbors], /v1/graph/relations.
void RegisterGraphRoutes(httplib::Server& server, const ServeContext& ctx);

// Shared by the route files. Each sends the error response itself and
// returns false on bad input.
// The scope ids of a request: headers, then body (or query) fields, then the
// server's defaults; a body cannot name another user than the header (403).
bool ResolveContext(const httplib::Request& req, const nlohmann::json* body, const ServeContext& ctx,
                    ScopeContext* out, httplib::Response& res);
// A query parameter in 0..1000000 ("" leaves *out as it is).
bool ReadInt(const std::string& text, const char* name, int* out, httplib::Response& res);

}  // namespace stratamem::serve

#endif  // STRATAMEM_TOOLS_SERVE_REST_H_
