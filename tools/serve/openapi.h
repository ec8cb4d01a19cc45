// GET /openapi.json: the OpenAPI 3.1 description of every route the server
// answers itself (tests check it validates and that each route exists).
#ifndef STRATAMEM_TOOLS_SERVE_OPENAPI_H_
#define STRATAMEM_TOOLS_SERVE_OPENAPI_H_

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include <httplib.h>

namespace stratamem::serve {

std::string_view OpenApiDocument();
const nlohmann::json& OpenApiJson();

// "" when a request body matches components.schemas[schema_name] of the
// document; else a message naming the first bad field. Validation is the
// document itself, so the two cannot disagree (the MCP schema checker).
std::string CheckBody(const nlohmann::json& body, const std::string& schema_name);
void RegisterOpenApiRoute(httplib::Server& server);

}  // namespace stratamem::serve

#endif  // STRATAMEM_TOOLS_SERVE_OPENAPI_H_
