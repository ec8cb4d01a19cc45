// The OpenAI-compatible proxy: POST /v1/chat/completions with memory (JSON
// and SSE; chat_memory.h has the six steps) and every other /v1/* route
// passed through to the upstream unchanged (bodies buffered).
//
// The tenant is X-Stratamem-User (-Session, -Agent), else the request's
// `user` field, else the server's --user; with none, the call is proxied
// without memory. Credentials: see auth.h; they are forwarded, never logged
// or stored.
#ifndef STRATAMEM_TOOLS_SERVE_PROXY_H_
#define STRATAMEM_TOOLS_SERVE_PROXY_H_

#include <httplib.h>

#include "serve/server.h"

namespace stratamem::serve {

void RegisterProxyRoutes(httplib::Server& server, const ServeContext& ctx);

}  // namespace stratamem::serve

#endif  // STRATAMEM_TOOLS_SERVE_PROXY_H_
