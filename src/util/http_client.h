// A minimal HTTP POST client over libcurl, for the HTTP embedders.
//
// Thread-safety: HttpClient is safe to use from many threads at once. Each
// call borrows a CURL easy handle from a small pool guarded by a mutex, so
// concurrent calls never share a handle, and sequential calls reuse the
// handle's kept-alive connection.
#ifndef STRATAMEM_UTIL_HTTP_CLIENT_H_
#define STRATAMEM_UTIL_HTTP_CLIENT_H_

#include <mutex>
#include <string>
#include <vector>

#include "stratamem/status.h"

namespace stratamem {

struct HttpResponse {
  long status = 0;   // HTTP status code, e.g. 200
  std::string body;  // raw response body
};

class HttpClient {
 public:
  // `timeout_seconds` bounds a whole call: connect, send, wait and read.
  explicit HttpClient(double timeout_seconds);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // POSTs `body` to `url` with `headers` ("Name: value" lines). Any HTTP
  // status is a successful call here; the caller judges it. Transport
  // failures (refused connection, timeout, DNS, TLS, oversized reply) are
  // IOError with a message naming the URL (credentials removed) and the cause.
  // Header values never appear in messages.
  Status Post(const std::string& url, const std::vector<std::string>& headers,
              const std::string& body, HttpResponse* response);

  // Replies larger than this are refused (a misbehaving server cannot make
  // the process allocate without bound).
  static constexpr size_t kMaxResponseBytes = 64u << 20;

 private:
  void* Borrow();              // a CURL* from the pool or a new one
  void Return(void* handle);   // back to the pool, or cleaned up when full

  const long timeout_ms_;
  std::mutex mu_;
  std::vector<void*> idle_;  // guarded by mu_; CURL* kept as void* to keep curl.h private
};

// `url` with any "user:password@" part replaced by "***@", for messages.
std::string RedactUrl(const std::string& url);

}  // namespace stratamem

#endif  // STRATAMEM_UTIL_HTTP_CLIENT_H_
