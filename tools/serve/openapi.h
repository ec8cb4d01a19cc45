// GET /openapi.json: the OpenAPI 3.1 description of every route the server
// answers itself (tests check it validates and that each route exists).
#ifndef STRATAMEM_TOOLS_SERVE_OPENAPI_H_
#define STRATAMEM_TOOLS_SERVE_OPENAPI_H_

#include <string_view>

#include <httplib.h>

namespace stratamem::serve {

std::string_view OpenApiDocument();
void RegisterOpenApiRoute(httplib::Server& server);

}  // namespace stratamem::serve

#endif  // STRATAMEM_TOOLS_SERVE_OPENAPI_H_
