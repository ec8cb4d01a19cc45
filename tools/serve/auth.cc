#include "serve/auth.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

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
  std::string name = host;
  if (name.size() >= 2 && name.front() == '[' && name.back() == ']') name = name.substr(1, name.size() - 2);
  if (name.empty()) return false;  // "" binds every interface
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  if (getaddrinfo(name.c_str(), nullptr, &hints, &found) != 0 || found == nullptr) return false;
  bool all_loopback = true;
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    if (a->ai_family == AF_INET) {
      auto* in = reinterpret_cast<sockaddr_in*>(a->ai_addr);
      all_loopback = all_loopback && (ntohl(in->sin_addr.s_addr) >> 24) == 127;
    } else if (a->ai_family == AF_INET6) {
      auto* in6 = reinterpret_cast<sockaddr_in6*>(a->ai_addr);
      const in6_addr& addr = in6->sin6_addr;
      bool mapped_loopback = IN6_IS_ADDR_V4MAPPED(&addr) && addr.s6_addr[12] == 127;
      all_loopback = all_loopback && (IN6_IS_ADDR_LOOPBACK(&addr) || mapped_loopback);
    } else {
      all_loopback = false;
    }
  }
  freeaddrinfo(found);
  return all_loopback;
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
