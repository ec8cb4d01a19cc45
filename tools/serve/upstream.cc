#include "serve/upstream.h"

namespace stratamem::serve {

Result<UpstreamUrl> ParseUpstreamUrl(const std::string& url) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return Status::InvalidArgument("--upstream must be an http(s) URL");
  std::string scheme = url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") return Status::InvalidArgument("--upstream must be an http(s) URL");
  size_t path_start = url.find('/', scheme_end + 3);
  UpstreamUrl out;
  out.origin = url.substr(0, path_start);
  if (out.origin.size() <= scheme_end + 3) return Status::InvalidArgument("--upstream has no host");
  if (out.origin.find('@') != std::string::npos) {
    return Status::InvalidArgument("--upstream must not carry credentials; use OPENAI_API_KEY");
  }
  out.prefix = path_start == std::string::npos ? "" : url.substr(path_start);
  while (!out.prefix.empty() && out.prefix.back() == '/') out.prefix.pop_back();
  return out;
}

std::unique_ptr<httplib::Client> NewUpstreamClient(const UpstreamUrl& url, double timeout_seconds) {
  auto client = std::make_unique<httplib::Client>(url.origin);
  auto seconds = static_cast<time_t>(timeout_seconds);
  client->set_connection_timeout(10);
  client->set_tcp_nodelay(true);
  client->set_read_timeout(seconds, 0);
  client->set_write_timeout(seconds, 0);
  return client;
}

std::string UpstreamPath(const UpstreamUrl& url, const httplib::Request& req) {
  std::string_view path = req.path;
  if (path.rfind("/v1", 0) == 0) path.remove_prefix(3);
  std::string out = url.prefix + std::string(path);
  size_t query = req.target.find('?');
  if (query != std::string::npos) out += req.target.substr(query);
  return out;
}

httplib::Headers ForwardHeaders(const httplib::Request& req, const std::string& authorization) {
  httplib::Headers headers;
  for (const char* name : {"OpenAI-Organization", "OpenAI-Project", "OpenAI-Beta", "Accept", "api-key",
                           "x-api-key", "anthropic-version", "anthropic-beta"}) {
    if (req.has_header(name)) headers.emplace(name, req.get_header_value(name));
  }
  if (!authorization.empty()) headers.emplace("Authorization", authorization);
  return headers;
}

std::string DescribeError(httplib::Error error) {
  return "upstream request failed: " + httplib::to_string(error);
}

}  // namespace stratamem::serve
