#include "util/http_connection.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <utility>

namespace stratamem {
namespace {

using Clock = std::chrono::steady_clock;

// Where Linux distributions keep their CA bundle (the list Go's crypto/x509
// uses). OpenSSL's own default is a path fixed when it was built, which a
// statically linked copy carries to machines that keep certificates elsewhere.
constexpr const char* kBundleFiles[] = {
    "/etc/ssl/certs/ca-certificates.crt",                 // Debian, Ubuntu, Gentoo, Arch
    "/etc/pki/tls/certs/ca-bundle.crt",                   // Fedora, RHEL 6
    "/etc/ssl/ca-bundle.pem",                             // openSUSE
    "/etc/pki/tls/cacert.pem",                            // OpenELEC
    "/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem",  // CentOS, RHEL 7+
    "/etc/ssl/cert.pem",                                  // Alpine
};
constexpr const char* kBundleDirs[] = {"/etc/ssl/certs", "/etc/pki/tls/certs"};

bool IsFile(const char* path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

struct TrustStore {
  std::string file;
  std::string dir;
};

TrustStore FindTrustStore() {
  TrustStore t;
  const char* env_file = std::getenv("SSL_CERT_FILE");
  const char* env_dir = std::getenv("SSL_CERT_DIR");
  if ((env_file && *env_file) || (env_dir && *env_dir)) {
    if (env_file) t.file = env_file;
    if (env_dir) t.dir = env_dir;
    return t;
  }
  for (const char* f : kBundleFiles) {
    if (IsFile(f)) {
      t.file = f;
      return t;
    }
  }
  for (const char* d : kBundleDirs) {
    struct stat st;
    if (stat(d, &st) == 0 && S_ISDIR(st.st_mode)) {
      t.dir = d;
      return t;
    }
  }
  return t;
}

std::string OpenSslError() {
  unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "unknown TLS error";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof(buf));
  return buf;
}

// One context per trust store seen (SSL_CERT_FILE is read when a connection
// opens, so a changed variable takes effect). Contexts live for the process:
// connections of other threads may still use one.
SSL_CTX* Context(std::string* error) {
  static std::mutex mu;
  static std::map<std::string, std::pair<SSL_CTX*, std::string>> contexts;  // guarded by mu
  const TrustStore t = FindTrustStore();
  std::lock_guard<std::mutex> lock(mu);
  auto [it, fresh] = contexts.try_emplace(t.file + '\n' + t.dir);
  if (fresh) {
    SSL_CTX* c = SSL_CTX_new(TLS_client_method());
    std::string& e = it->second.second;
    if (!c) {
      e = "cannot create a TLS context: " + OpenSslError();
    } else {
      SSL_CTX_set_min_proto_version(c, TLS1_2_VERSION);
      SSL_CTX_set_verify(c, SSL_VERIFY_PEER, nullptr);
      if (t.file.empty() && t.dir.empty()) {
        e = "no CA certificates found (set SSL_CERT_FILE to a PEM bundle)";
      } else if (SSL_CTX_load_verify_locations(c, t.file.empty() ? nullptr : t.file.c_str(),
                                               t.dir.empty() ? nullptr : t.dir.c_str()) != 1) {
        e = "cannot load CA certificates from " + (t.file.empty() ? t.dir : t.file) + ": " +
            OpenSslError();
      }
      if (e.empty()) {
        it->second.first = c;
      } else {
        SSL_CTX_free(c);
      }
    }
  }
  *error = it->second.second;
  return it->second.first;
}

SSL* AsSsl(void* p) { return static_cast<SSL*>(p); }

// Waits until `fd` is ready for `events` or the deadline passes.
Status Wait(int fd, short events, HttpDeadline deadline) {
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return Status::IOError(kHttpTimedOut);
    pollfd p{fd, events, 0};
    const int r = poll(&p, 1, static_cast<int>(std::min<long long>(left.count() + 1, 1 << 30)));
    if (r > 0) return Status::OK();
    if (r < 0 && errno != EINTR) return Status::IOError(std::string("poll: ") + std::strerror(errno));
  }
}

bool IsIpLiteral(const std::string& host) {
  in6_addr a6;
  in_addr a4;
  return inet_pton(AF_INET, host.c_str(), &a4) == 1 || inet_pton(AF_INET6, host.c_str(), &a6) == 1;
}

Status ConnectOne(const addrinfo* ai, HttpDeadline deadline, int* out) {
  const int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
  if (fd < 0) return Status::IOError(std::string("socket: ") + std::strerror(errno));
  int err = 0;
  if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
    err = errno;
    if (err == EINPROGRESS) {
      Status st = Wait(fd, POLLOUT, deadline);
      if (!st.ok()) {
        close(fd);
        return st;
      }
      socklen_t len = sizeof(err);
      getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
    }
  }
  if (err != 0) {
    close(fd);
    if (err == ECONNREFUSED || err == EHOSTUNREACH || err == ENETUNREACH) {
      return Status::IOError(std::string("cannot connect, connection refused or host down (") +
                             std::strerror(err) + ")");
    }
    return Status::IOError(std::string("cannot connect (") + std::strerror(err) + ")");
  }
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  *out = fd;
  return Status::OK();
}

}  // namespace

Status ParseHttpUrl(const std::string& url, HttpUrl* out) {
  HttpUrl u;
  size_t pos;
  if (url.rfind("http://", 0) == 0) {
    pos = 7;
  } else if (url.rfind("https://", 0) == 0) {
    u.tls = true;
    pos = 8;
  } else {
    return Status::InvalidArgument("not an http:// or https:// URL");
  }
  const size_t end = url.find_first_of("/?#", pos);
  std::string authority = url.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
  const size_t at = authority.rfind('@');
  if (at != std::string::npos) {
    u.userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
  }
  u.host_header = authority;
  if (!authority.empty() && authority[0] == '[') {
    const size_t close = authority.find(']');
    if (close == std::string::npos) return Status::InvalidArgument("unclosed [ in the URL's host");
    u.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return Status::InvalidArgument("bad port in the URL");
      u.port = authority.substr(close + 2);
    }
  } else {
    const size_t colon = authority.rfind(':');
    u.host = authority.substr(0, colon);
    if (colon != std::string::npos) u.port = authority.substr(colon + 1);
  }
  if (u.host.empty()) return Status::InvalidArgument("the URL has no host");
  if (u.port.empty()) u.port = u.tls ? "443" : "80";
  if (u.port.size() > 5 || u.port.find_first_not_of("0123456789") != std::string::npos ||
      std::atoi(u.port.c_str()) <= 0 || std::atoi(u.port.c_str()) > 65535) {
    return Status::InvalidArgument("bad port in the URL");
  }
  u.target = end == std::string::npos ? "/" : url.substr(end);
  const size_t hash = u.target.find('#');
  if (hash != std::string::npos) u.target.resize(hash);
  if (u.target.empty() || u.target[0] != '/') u.target = "/" + u.target;
  if (u.target.find_first_of(" \r\n") != std::string::npos ||
      u.host_header.find_first_of(" \r\n") != std::string::npos) {
    return Status::InvalidArgument("the URL contains spaces or line breaks");
  }
  *out = std::move(u);
  return Status::OK();
}

std::string HttpPoolKey(const HttpUrl& url, const HttpUrl* proxy) {
  return proxy ? url.origin() + " via " + proxy->origin() : url.origin();
}

std::string TrustStoreDescription() {
  const TrustStore t = FindTrustStore();
  return t.file.empty() ? t.dir : t.file;
}

HttpConnection::~HttpConnection() {
  if (ssl_) SSL_free(AsSsl(ssl_));  // frees its memory BIOs too
  if (fd_ >= 0) close(fd_);
}

Status HttpConnection::Open(const HttpUrl& url, const HttpUrl* proxy, const std::string& proxy_auth,
                            HttpDeadline deadline, std::unique_ptr<HttpConnection>* out) {
  const HttpUrl& peer = proxy ? *proxy : url;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  // getaddrinfo cannot be bounded by the deadline; the system resolver's own
  // timeouts (resolv.conf) apply.
  const int rc = getaddrinfo(peer.host.c_str(), peer.port.c_str(), &hints, &res);
  if (rc != 0) {
    return Status::IOError(std::string(proxy ? "cannot resolve the proxy's host (" : "cannot resolve host (") +
                           gai_strerror(rc) + ")");
  }
  std::unique_ptr<HttpConnection> c(new HttpConnection());
  c->origin_ = HttpPoolKey(url, proxy);
  Status st = Status::IOError("cannot connect (no address)");
  for (const addrinfo* ai = res; ai; ai = ai->ai_next) {
    st = ConnectOne(ai, deadline, &c->fd_);
    if (st.ok() || st.message() == kHttpTimedOut) break;
  }
  freeaddrinfo(res);
  if (!st.ok() && proxy && st.message() != kHttpTimedOut) return Status::IOError("proxy: " + st.message());
  if (!st.ok()) return st;
  if (proxy && url.tls) {
    st = c->Tunnel(url, proxy_auth, deadline);
    if (!st.ok()) return st;
  }
  if (url.tls) {
    st = c->Handshake(url, deadline);
    if (!st.ok()) return st;
  }
  *out = std::move(c);
  return Status::OK();
}

Status HttpConnection::Tunnel(const HttpUrl& url, const std::string& proxy_auth, HttpDeadline deadline) {
  const std::string target =
      (url.host.find(':') != std::string::npos ? "[" + url.host + "]" : url.host) + ":" + url.port;
  const std::string req = "CONNECT " + target + " HTTP/1.1\r\nHost: " + target + "\r\n" + proxy_auth + "\r\n";
  Status st = SendRaw(req.data(), req.size(), deadline);
  if (!st.ok()) return st;
  // The reply's head, byte by byte: nothing after it may be consumed (the TLS
  // handshake that follows is ours to start, so the proxy sends nothing more).
  std::string head;
  while (head.size() < 4 || head.compare(head.size() - 4, 4, "\r\n\r\n") != 0) {
    if (head.size() > 16384) return Status::IOError("proxy: CONNECT reply headers too long");
    char ch;
    size_t got = 0;
    st = RecvRaw(&ch, 1, deadline, &got);
    if (!st.ok()) return st;
    if (got == 0) return Status::IOError("proxy: closed the connection during CONNECT");
    head.push_back(ch);
  }
  if (head.rfind("HTTP/1.", 0) != 0 || head.size() < 12 || head.compare(9, 1, "2") != 0) {
    return Status::IOError("proxy refused the tunnel: " + head.substr(0, head.find("\r\n")));
  }
  return Status::OK();
}

Status HttpConnection::Handshake(const HttpUrl& url, HttpDeadline deadline) {
  std::string error;
  SSL_CTX* ctx = Context(&error);
  if (!ctx) return Status::IOError(error);
  SSL* ssl = SSL_new(ctx);
  if (!ssl) return Status::IOError("TLS: " + OpenSslError());
  ssl_ = ssl;
  SSL_set_bio(ssl, BIO_new(BIO_s_mem()), BIO_new(BIO_s_mem()));
  if (IsIpLiteral(url.host)) {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), url.host.c_str());
  } else {
    SSL_set_tlsext_host_name(ssl, url.host.c_str());
    SSL_set1_host(ssl, url.host.c_str());
  }
  SSL_set_connect_state(ssl);
  for (;;) {
    const int r = SSL_do_handshake(ssl);
    Status st = FlushTls(deadline);
    if (!st.ok()) return st;
    if (r == 1) return Status::OK();
    const int e = SSL_get_error(ssl, r);
    if (e == SSL_ERROR_WANT_READ) {
      bool eof = false;
      st = FeedTls(deadline, &eof);
      if (!st.ok()) return st;
      if (eof) return Status::IOError("TLS handshake failed: the server closed the connection");
      continue;
    }
    const long verify = SSL_get_verify_result(ssl);
    if (verify != X509_V_OK) {
      return Status::IOError(std::string("TLS certificate rejected: ") +
                             X509_verify_cert_error_string(verify) + " (trust store: " +
                             (TrustStoreDescription().empty() ? "none" : TrustStoreDescription()) +
                             "; SSL_CERT_FILE selects another)");
    }
    return Status::IOError("TLS handshake failed: " + OpenSslError());
  }
}

Status HttpConnection::SendRaw(const char* data, size_t n, HttpDeadline deadline) {
  while (n > 0) {
    const ssize_t w = send(fd_, data, n, MSG_NOSIGNAL);
    if (w > 0) {
      data += w;
      n -= static_cast<size_t>(w);
      continue;
    }
    if (w < 0 && errno == EINTR) continue;
    if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      Status st = Wait(fd_, POLLOUT, deadline);
      if (!st.ok()) return st;
      continue;
    }
    return Status::IOError(std::string("send failed (") + std::strerror(errno) + ")");
  }
  return Status::OK();
}

Status HttpConnection::RecvRaw(char* buf, size_t n, HttpDeadline deadline, size_t* got) {
  for (;;) {
    const ssize_t r = recv(fd_, buf, n, 0);
    if (r >= 0) {
      *got = static_cast<size_t>(r);
      return Status::OK();
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      Status st = Wait(fd_, POLLIN, deadline);
      if (!st.ok()) return st;
      continue;
    }
    if (errno == ECONNRESET) {
      *got = 0;  // a reset is an end of stream to the caller
      return Status::OK();
    }
    return Status::IOError(std::string("receive failed (") + std::strerror(errno) + ")");
  }
}

Status HttpConnection::FlushTls(HttpDeadline deadline) {
  BIO* wbio = SSL_get_wbio(AsSsl(ssl_));
  char buf[16384];
  int n;
  while ((n = BIO_read(wbio, buf, sizeof(buf))) > 0) {
    Status st = SendRaw(buf, static_cast<size_t>(n), deadline);
    if (!st.ok()) return st;
  }
  return Status::OK();
}

Status HttpConnection::FeedTls(HttpDeadline deadline, bool* eof) {
  char buf[16384];
  size_t got = 0;
  Status st = RecvRaw(buf, sizeof(buf), deadline, &got);
  if (!st.ok()) return st;
  *eof = got == 0;
  if (got > 0) BIO_write(SSL_get_rbio(AsSsl(ssl_)), buf, static_cast<int>(got));
  return Status::OK();
}

Status HttpConnection::WriteAll(const std::string& data, HttpDeadline deadline) {
  if (!ssl_) return SendRaw(data.data(), data.size(), deadline);
  size_t off = 0;
  while (off < data.size()) {
    const int chunk = static_cast<int>(std::min<size_t>(data.size() - off, 1 << 20));
    const int w = SSL_write(AsSsl(ssl_), data.data() + off, chunk);
    Status st = FlushTls(deadline);
    if (!st.ok()) return st;
    if (w <= 0) return Status::IOError("TLS write failed: " + OpenSslError());
    off += static_cast<size_t>(w);
  }
  return Status::OK();
}

Status HttpConnection::Read(char* buf, size_t n, HttpDeadline deadline, size_t* got) {
  if (!ssl_) return RecvRaw(buf, n, deadline, got);
  SSL* ssl = AsSsl(ssl_);
  for (;;) {
    const int r = SSL_read(ssl, buf, static_cast<int>(std::min<size_t>(n, 1 << 30)));
    if (r > 0) {
      *got = static_cast<size_t>(r);
      return Status::OK();
    }
    const int e = SSL_get_error(ssl, r);
    if (e == SSL_ERROR_ZERO_RETURN) {
      *got = 0;
      return Status::OK();
    }
    if (e != SSL_ERROR_WANT_READ) return Status::IOError("TLS read failed: " + OpenSslError());
    Status st = FlushTls(deadline);  // e.g. a key update's reply
    if (!st.ok()) return st;
    bool eof = false;
    st = FeedTls(deadline, &eof);
    if (!st.ok()) return st;
    if (eof) {
      // Closed without close_notify: an end of stream all the same (many
      // servers do this); a body cut short is caught by its length.
      *got = 0;
      return Status::OK();
    }
  }
}

}  // namespace stratamem
