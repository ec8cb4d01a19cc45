#include "serve/auth.h"

namespace stratamem::serve {
namespace {

constexpr std::string_view kBearer = "Bearer ";

std::string_view BearerOf(const std::string& header) {
  std::string_view v = header;
  if (v.size() < kBearer.size()) return {};
  for (size_t i = 0; i < kBearer.size(); ++i) {  // the scheme is case-insensitive
    if (std::tolower(static_cast<unsigned char>(v[i])) != std::tolower(static_cast<unsigned char>(kBearer[i]))) {
      return {};
    }
  }
  return v.substr(kBearer.size());
}

}  // namespace

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  // Every byte of the longer string is looked at whatever the contents, so
  // the time reveals no prefix; only the lengths can be learnt.
  size_t n = std::max(a.size(), b.size());
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (size_t i = 0; i < n; ++i) {
    unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
    unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
    diff |= static_cast<unsigned char>(x ^ y);
  }
  return diff == 0;
}

bool IsLoopbackHost(const std::string& host) {
  return host == "localhost" || host == "::1" || host == "[::1]" || host.rfind("127.", 0) == 0;
}

Status CheckBindPolicy(const std::string& host, const std::string& token) {
  if (IsLoopbackHost(host) || !token.empty()) return Status::OK();
  return Status::InvalidArgument("binding to '" + host +
                                 "' (not loopback) needs a token: pass --token or set STRATAMEM_TOKEN");
}

bool Authorized(const httplib::Request& req, const std::string& token) {
  if (token.empty()) return true;
  // Both candidates are always compared, so which one matched is not timed either.
  bool via_header = ConstantTimeEquals(req.get_header_value("X-Stratamem-Token"), token);
  bool via_bearer = ConstantTimeEquals(BearerOf(req.get_header_value("Authorization")), token);
  return via_header | via_bearer;
}

std::string UpstreamAuthorization(const httplib::Request& req, const std::string& token,
                                  const std::string& env_key) {
  std::string client = req.get_header_value("Authorization");
  bool is_our_token = !token.empty() && ConstantTimeEquals(BearerOf(client), token);
  if (!client.empty() && !is_our_token) return client;
  return env_key.empty() ? std::string() : "Bearer " + env_key;
}

}  // namespace stratamem::serve
