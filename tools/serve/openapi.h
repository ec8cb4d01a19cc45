// GET /openapi.json: the OpenAPI 3.1 description of every route the server
// answers itself (tests check it validates and that each route exists).
#ifndef MEMSTRATA_TOOLS_SERVE_OPENAPI_H_
#define MEMSTRATA_TOOLS_SERVE_OPENAPI_H_

#include <string_view>

#include <httplib.h>

namespace memstrata::serve {

std::string_view OpenApiDocument();
void RegisterOpenApiRoute(httplib::Server& server);

}  // namespace memstrata::serve

#endif  // MEMSTRATA_TOOLS_SERVE_OPENAPI_H_
