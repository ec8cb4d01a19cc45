// The REST API over the store: /v1/memories (save, list, get, patch, delete,
// search), /v1/stats and /healthz. Bodies use the Python API's field names.
// A tenant (X-Stratamem-User, or the body's / query's user_id) sees and
// changes only its own memories: another user's id is answered 404.
#ifndef STRATAMEM_TOOLS_SERVE_REST_H_
#define STRATAMEM_TOOLS_SERVE_REST_H_

#include <httplib.h>

#include "serve/server.h"

namespace stratamem::serve {

void RegisterRestRoutes(httplib::Server& server, const ServeContext& ctx);

}  // namespace stratamem::serve

#endif  // STRATAMEM_TOOLS_SERVE_REST_H_
