// One client connection for util/http_client: a TCP socket, optionally
// wrapped in TLS, with every operation bounded by a deadline. Internal to
// HttpClient.
//
// TLS runs over memory BIOs and this file does the socket I/O itself, with
// send(MSG_NOSIGNAL): a server closing early never raises SIGPIPE in the host
// program. Certificates are verified against the system trust store
// (SSL_CERT_FILE / SSL_CERT_DIR when set, else the first bundle found in the
// usual places of Debian, Fedora, openSUSE, Alpine and Arch), and the name in
// the URL must match the certificate.
#ifndef STRATAMEM_UTIL_HTTP_CONNECTION_H_
#define STRATAMEM_UTIL_HTTP_CONNECTION_H_

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "stratamem/status.h"

namespace stratamem {

using HttpDeadline = std::chrono::steady_clock::time_point;

// The message of every deadline failure (HttpClient adds the limit).
inline constexpr const char* kHttpTimedOut = "timed out";

struct HttpUrl {
  bool tls = false;
  std::string host;       // without brackets for IPv6 literals
  std::string port;       // "80" / "443" when the URL has none
  std::string target;     // path and query, at least "/"
  std::string host_header;  // as the Host header wants it
  std::string userinfo;   // "user:password" or empty
  std::string origin() const { return (tls ? "https://" : "http://") + host_header; }
};

// Parses an absolute http(s) URL; anything else is InvalidArgument.
Status ParseHttpUrl(const std::string& url, HttpUrl* out);

// Which pooled connections can carry a request to `url`.
std::string HttpPoolKey(const HttpUrl& url, const HttpUrl* proxy);

// The CA bundle file used to verify servers ("" when only a directory or
// nothing was found); for messages and docs.
std::string TrustStoreDescription();

class HttpConnection {
 public:
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  // Resolves, connects and (for https) completes the TLS handshake. With a
  // `proxy` (an http:// URL) the TCP connection goes to it, and https runs
  // through a CONNECT tunnel (`proxy_auth`: a Proxy-Authorization header line
  // or empty). Errors say "timed out", "cannot resolve host", "connection
  // refused" or the TLS reason, without the URL (the caller adds it).
  static Status Open(const HttpUrl& url, const HttpUrl* proxy, const std::string& proxy_auth,
                     HttpDeadline deadline, std::unique_ptr<HttpConnection>* out);

  const std::string& pool_key() const { return origin_; }

  Status WriteAll(const std::string& data, HttpDeadline deadline);
  // Reads up to `n` bytes into `buf`; *got is 0 at end of stream.
  Status Read(char* buf, size_t n, HttpDeadline deadline, size_t* got);

 private:
  HttpConnection() = default;
  Status Handshake(const HttpUrl& url, HttpDeadline deadline);
  Status Tunnel(const HttpUrl& url, const std::string& proxy_auth, HttpDeadline deadline);
  Status SendRaw(const char* data, size_t n, HttpDeadline deadline);
  Status RecvRaw(char* buf, size_t n, HttpDeadline deadline, size_t* got);
  Status FlushTls(HttpDeadline deadline);  // pending TLS output to the socket
  Status FeedTls(HttpDeadline deadline, bool* eof);  // socket input into TLS

  int fd_ = -1;
  void* ssl_ = nullptr;  // SSL*, kept opaque to keep OpenSSL's headers private
  std::string origin_;
};

}  // namespace stratamem

#endif  // STRATAMEM_UTIL_HTTP_CONNECTION_H_
