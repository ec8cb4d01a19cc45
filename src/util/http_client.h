// A small HTTP/1.1 client (POST and GET) over POSIX sockets and OpenSSL, for
// the HTTP embedders and `models pull`. It replaces libcurl so the wheel needs no system library: OpenSSL
// is linked statically and certificates are checked against the system's trust
// store (util/http_connection.h).
//
// Thread-safety: HttpClient is safe to use from many threads at once. Each
// call takes a kept-alive connection to the same origin from a small pool
// guarded by a mutex (or opens one), so concurrent calls never share a
// connection, and sequential calls reuse one.
#ifndef STRATAMEM_UTIL_HTTP_CLIENT_H_
#define STRATAMEM_UTIL_HTTP_CLIENT_H_

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "stratamem/status.h"

namespace stratamem {

struct HttpResponse {
  long status = 0;   // HTTP status code, e.g. 200
  std::string body;  // raw response body (chunked transfer decoded)
  std::string location;  // the Location header, when the reply has one (redirects)
};

class HttpConnection;  // util/http_connection.h

class HttpClient {
 public:
  // `timeout_seconds` bounds a whole call: connect, send, wait and read.
  explicit HttpClient(double timeout_seconds);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // POSTs `body` to `url` (http:// or https://) with `headers` ("Name: value"
  // lines). A "user:password@" part of the URL becomes Basic authorisation.
  // Proxies come from the environment as for curl (https_proxy, http_proxy,
  // all_proxy, no_proxy; http:// proxies only, https through CONNECT).
  // Any HTTP status is a successful call here; the caller judges it.
  // Transport failures (refused connection, timeout, DNS, TLS, oversized or
  // malformed reply) are IOError with a message naming the URL (credentials
  // removed) and the cause. Header values never appear in messages.
  Status Post(const std::string& url, const std::vector<std::string>& headers,
              const std::string& body, HttpResponse* response);

  // GETs `url` like Post (no body; redirects are returned, not followed).
  // Replies larger than `max_response_bytes` are refused.
  Status Get(const std::string& url, const std::vector<std::string>& headers,
             size_t max_response_bytes, HttpResponse* response);

  // Post's replies larger than this are refused (a misbehaving server cannot make
  // the process allocate without bound).
  static constexpr size_t kMaxResponseBytes = 64u << 20;

 private:
  Status Send(const char* method, const std::string& url, const std::vector<std::string>& headers,
              const std::string* body, size_t max_response_bytes, HttpResponse* response);
  std::unique_ptr<HttpConnection> Borrow(const std::string& pool_key);
  void Return(std::unique_ptr<HttpConnection> connection);

  const long timeout_ms_;
  std::mutex mu_;
  std::vector<std::unique_ptr<HttpConnection>> idle_;  // guarded by mu_
};

// `url` with any "user:password@" part replaced by "***@", for messages.
std::string RedactUrl(const std::string& url);

}  // namespace stratamem

#endif  // STRATAMEM_UTIL_HTTP_CLIENT_H_
