// The upstream OpenAI-compatible server the proxy calls: its URL split into
// origin and path prefix, a fresh HTTP client per call, and the headers that
// may be forwarded to it (never X-Stratamem-*, never the stratamem token).
#ifndef STRATAMEM_TOOLS_SERVE_UPSTREAM_H_
#define STRATAMEM_TOOLS_SERVE_UPSTREAM_H_

#include <memory>
#include <string>
#include <string_view>

#include <httplib.h>

#include "stratamem/status.h"

namespace stratamem::serve {

struct UpstreamUrl {
  std::string origin;  // "https://api.openai.com" (scheme, host, port)
  std::string prefix;  // "/v1": the path the OpenAI SDK's base_url ends with
};

// Accepts http:// and https:// URLs; a trailing slash is dropped.
Result<UpstreamUrl> ParseUpstreamUrl(const std::string& url);

// One client per call: httplib::Client is not safe to share between threads.
std::unique_ptr<httplib::Client> NewUpstreamClient(const UpstreamUrl& url, double timeout_seconds);

// The upstream path for a request to /v1/<rest>?<query>: prefix + /<rest>?<query>.
std::string UpstreamPath(const UpstreamUrl& url, const httplib::Request& req);

// The client's headers worth forwarding (OpenAI-Organization, -Project, -Beta,
// Accept, api-key; Anthropic's x-api-key, anthropic-version, -beta) plus `authorization` when not empty.
httplib::Headers ForwardHeaders(const httplib::Request& req, const std::string& authorization);

// "upstream unreachable: Connection" etc. without URL credentials.
std::string DescribeError(httplib::Error error);

}  // namespace stratamem::serve

#endif  // STRATAMEM_TOOLS_SERVE_UPSTREAM_H_
