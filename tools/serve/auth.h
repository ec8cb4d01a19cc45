// Who may talk to the server: the bind policy and the bearer token.
//
// Without a token the server only binds to a loopback address. With one,
// every request except GET /healthz must carry it, as "Authorization: Bearer
// TOKEN" or "X-Stratamem-Token: TOKEN", compared in constant time. The proxy
// then forwards the client's Authorization header upstream only when it was
// not the stratamem token (see UpstreamAuthorization).
#ifndef STRATAMEM_TOOLS_SERVE_AUTH_H_
#define STRATAMEM_TOOLS_SERVE_AUTH_H_

#include <string>
#include <string_view>

#include <httplib.h>

#include "stratamem/status.h"

namespace stratamem::serve {

// True when a and b are equal; the time taken depends only on their lengths.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// True when every address `host` resolves to (a literal, or a name looked up
// with getaddrinfo, as the bind will) is in 127.0.0.0/8 or is ::1 (or
// ::ffff:127.x.y.z). A name that does not resolve is not loopback.
bool IsLoopbackHost(const std::string& host);

// InvalidArgument when `host` is not loopback and `token` is empty.
Status CheckBindPolicy(const std::string& host, const std::string& token);

// True when `token` is empty or the request carries it.
bool Authorized(const httplib::Request& req, const std::string& token);

// The Authorization header to send upstream: the client's own unless it was
// the stratamem token, else "Bearer $OPENAI_API_KEY" (read once at start and
// passed as `env_key`), else "".
std::string UpstreamAuthorization(const httplib::Request& req, const std::string& token,
                                  const std::string& env_key);

}  // namespace stratamem::serve

#endif  // STRATAMEM_TOOLS_SERVE_AUTH_H_
