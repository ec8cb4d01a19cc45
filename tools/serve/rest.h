// The REST API over the store: /v1/memories (save, list, get, patch, delete,
// search), /v1/stats and /healthz. Bodies use the Python API's field names.
// A tenant (X-Memstrata-User, or the body's / query's user_id) sees and
// changes only its own memories: another user's id is answered 404.
#ifndef MEMSTRATA_TOOLS_SERVE_REST_H_
#define MEMSTRATA_TOOLS_SERVE_REST_H_

#include <httplib.h>

#include "serve/server.h"

namespace memstrata::serve {

void RegisterRestRoutes(httplib::Server& server, const ServeContext& ctx);

}  // namespace memstrata::serve

#endif  // MEMSTRATA_TOOLS_SERVE_REST_H_
