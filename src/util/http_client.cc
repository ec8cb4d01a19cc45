#include "util/http_client.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "util/http_connection.h"

#ifndef STRATAMEM_VERSION
#define STRATAMEM_VERSION "dev"
#endif

namespace stratamem {
namespace {

constexpr size_t kMaxIdleConnections = 4;
constexpr size_t kMaxHeaderBytes = 64u << 10;

std::string FormatSeconds(long ms) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%g s", static_cast<double>(ms) / 1000.0);
  return buf;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Base64(const std::string& in) {
  static const char* k = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8 | (unsigned char)in[i + 2];
    out += {k[v >> 18], k[(v >> 12) & 63], k[(v >> 6) & 63], k[v & 63]};
  }
  if (i + 1 == in.size()) {
    const unsigned v = (unsigned char)in[i] << 16;
    out += {k[v >> 18], k[(v >> 12) & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    const unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8;
    out += {k[v >> 18], k[(v >> 12) & 63], k[(v >> 6) & 63], '='};
  }
  return out;
}

// Reads a response from `conn` into `response`: status line, headers, and a
// body delimited by Content-Length, chunked encoding or the end of stream.
// `*reusable` says whether the connection may carry another request;
// `*got_any` whether any byte arrived (a kept-alive connection the server
// closed meanwhile yields none, and the call is retried on a new one).
class ResponseReader {
 public:
  ResponseReader(HttpConnection* conn, HttpDeadline deadline, size_t max_bytes)
      : conn_(conn), deadline_(deadline), max_bytes_(max_bytes) {}

  Status Read(HttpResponse* response, bool* reusable, bool* got_any) {
    *reusable = false;
    std::string head;
    Status st = ReadHead(&head);
    *got_any = !buf_.empty() || !head.empty();
    if (!st.ok()) return st;
    bool keep_alive = true, chunked = false;
    long long length = -1;
    st = ParseHead(head, &response->status, &keep_alive, &chunked, &length, &response->location);
    if (!st.ok()) return st;
    // No body: 1xx, 204, 304 (HEAD is never sent).
    const long s = response->status;
    if (s == 100) return Read(response, reusable, got_any);  // "100 Continue" then the real reply
    if ((s >= 100 && s < 200) || s == 204 || s == 304) {
      *reusable = keep_alive;
      return Status::OK();
    }
    if (chunked) {
      st = ReadChunked(&response->body);
    } else if (length >= 0) {
      if (static_cast<unsigned long long>(length) > max_bytes_) return TooLarge();
      st = ReadExactly(static_cast<size_t>(length), &response->body);
    } else {
      keep_alive = false;
      st = ReadToEnd(&response->body);
    }
    if (!st.ok()) return st;
    *reusable = keep_alive;
    return Status::OK();
  }

 private:
  Status TooLarge() const {
    return Status::IOError("reply larger than " + std::to_string(max_bytes_ >> 20) + " MiB, refused");
  }

  // More bytes into buf_; false at end of stream.
  Status Fill(bool* more) {
    char tmp[16384];
    size_t got = 0;
    Status st = conn_->Read(tmp, sizeof(tmp), deadline_, &got);
    if (!st.ok()) return st;
    buf_.append(tmp, got);
    *more = got > 0;
    return Status::OK();
  }

  Status ReadHead(std::string* head) {
    for (;;) {
      const size_t end = buf_.find("\r\n\r\n");
      if (end != std::string::npos) {
        *head = buf_.substr(0, end + 2);
        buf_.erase(0, end + 4);
        return Status::OK();
      }
      if (buf_.size() > kMaxHeaderBytes) return Status::IOError("reply headers over 64 KiB, refused");
      bool more = false;
      Status st = Fill(&more);
      if (!st.ok()) return st;
      if (!more) {
        return Status::IOError(buf_.empty() ? "the server closed the connection without replying"
                                            : "the reply ended inside its headers");
      }
    }
  }

  static Status ParseHead(const std::string& head, long* status, bool* keep_alive, bool* chunked,
                          long long* length, std::string* location) {
    const size_t eol = head.find("\r\n");
    const std::string line = head.substr(0, eol);
    if (line.rfind("HTTP/1.", 0) != 0 || line.size() < 12 || line[8] != ' ' ||
        !std::isdigit((unsigned char)line[9]) || !std::isdigit((unsigned char)line[10]) ||
        !std::isdigit((unsigned char)line[11])) {
      return Status::IOError("not an HTTP/1.x reply");
    }
    *status = std::atol(line.substr(9, 3).c_str());
    *keep_alive = line[7] == '1';
    for (size_t pos = eol + 2; pos < head.size();) {
      const size_t next = head.find("\r\n", pos);
      const std::string h = head.substr(pos, next - pos);
      pos = next + 2;
      const size_t colon = h.find(':');
      if (colon == std::string::npos) continue;
      const std::string name = Lower(h.substr(0, colon));
      std::string value = h.substr(colon + 1);
      value.erase(0, value.find_first_not_of(" \t"));
      value.erase(value.find_last_not_of(" \t") + 1);
      const std::string lv = Lower(value);
      if (name == "content-length") {
        if (value.empty() || value.find_first_not_of("0123456789") != std::string::npos ||
            value.size() > 18) {
          return Status::IOError("bad Content-Length in the reply");
        }
        *length = std::atoll(value.c_str());
      } else if (name == "location") {
        *location = value;
      } else if (name == "transfer-encoding") {
        *chunked = lv.find("chunked") != std::string::npos;
      } else if (name == "connection") {
        if (lv.find("close") != std::string::npos) *keep_alive = false;
        if (lv.find("keep-alive") != std::string::npos) *keep_alive = true;
      }
    }
    return Status::OK();
  }

  Status ReadExactly(size_t n, std::string* out) {
    while (buf_.size() < n) {
      bool more = false;
      Status st = Fill(&more);
      if (!st.ok()) return st;
      if (!more) return Status::IOError("the reply ended before its Content-Length");
    }
    out->append(buf_, 0, n);
    buf_.erase(0, n);
    return Status::OK();
  }

  Status ReadLine(std::string* line) {
    for (;;) {
      const size_t eol = buf_.find("\r\n");
      if (eol != std::string::npos) {
        *line = buf_.substr(0, eol);
        buf_.erase(0, eol + 2);
        return Status::OK();
      }
      if (buf_.size() > kMaxHeaderBytes) return Status::IOError("malformed chunked reply");
      bool more = false;
      Status st = Fill(&more);
      if (!st.ok()) return st;
      if (!more) return Status::IOError("the chunked reply ended early");
    }
  }

  Status ReadChunked(std::string* out) {
    for (;;) {
      std::string line;
      Status st = ReadLine(&line);
      if (!st.ok()) return st;
      char* end = nullptr;
      const unsigned long long size = std::strtoull(line.c_str(), &end, 16);
      if (end == line.c_str()) return Status::IOError("malformed chunk size in the reply");
      if (size == 0) {
        do {  // trailers, up to the empty line
          st = ReadLine(&line);
          if (!st.ok()) return st;
        } while (!line.empty());
        return Status::OK();
      }
      if (out->size() + size > max_bytes_) return TooLarge();
      st = ReadExactly(static_cast<size_t>(size), out);
      if (!st.ok()) return st;
      st = ReadLine(&line);
      if (!st.ok()) return st;
      if (!line.empty()) return Status::IOError("malformed chunk in the reply");
    }
  }

  Status ReadToEnd(std::string* out) {
    for (;;) {
      if (buf_.size() > max_bytes_) return TooLarge();
      bool more = false;
      Status st = Fill(&more);
      if (!st.ok()) return st;
      if (!more) break;
    }
    out->swap(buf_);
    return Status::OK();
  }

  HttpConnection* conn_;
  HttpDeadline deadline_;
  const size_t max_bytes_;
  std::string buf_;
};

const char* Env(const char* name) {
  const char* v = std::getenv(name);
  return v && *v ? v : nullptr;
}

// True when `host` matches an entry of no_proxy ("*", a host, or a domain
// with or without its leading dot), as curl reads it.
bool Bypassed(const std::string& host) {
  const char* list = Env("no_proxy") ? Env("no_proxy") : Env("NO_PROXY");
  if (!list) return false;
  const std::string h = Lower(host);
  std::string entries = list;
  size_t pos = 0;
  while (pos <= entries.size()) {
    size_t comma = entries.find(',', pos);
    if (comma == std::string::npos) comma = entries.size();
    std::string e = Lower(entries.substr(pos, comma - pos));
    pos = comma + 1;
    e.erase(0, e.find_first_not_of(" \t"));
    e.erase(e.find_last_not_of(" \t") + 1);
    if (e == "*") return true;
    if (!e.empty() && e[0] == '.') e.erase(0, 1);
    if (e.empty()) continue;
    if (h == e || (h.size() > e.size() && h.compare(h.size() - e.size(), e.size(), e) == 0 &&
                   h[h.size() - e.size() - 1] == '.')) {
      return true;
    }
  }
  return false;
}

// The proxy for `u` from the environment, like curl: https_proxy/HTTPS_PROXY
// for https, http_proxy (lower case only) for http, then all_proxy/ALL_PROXY;
// no_proxy/NO_PROXY exempts hosts. Only http:// proxies are spoken.
Status ProxyFor(const HttpUrl& u, bool* use, HttpUrl* proxy) {
  *use = false;
  const char* v = u.tls ? (Env("https_proxy") ? Env("https_proxy") : Env("HTTPS_PROXY")) : Env("http_proxy");
  if (!v) v = Env("all_proxy") ? Env("all_proxy") : Env("ALL_PROXY");
  if (!v || Bypassed(u.host)) return Status::OK();
  std::string url = v;
  if (url.find("://") == std::string::npos) url = "http://" + url;
  if (url.rfind("http://", 0) != 0) {
    return Status::IOError("proxy " + RedactUrl(url) + " is not an http:// proxy (the only kind supported)");
  }
  Status st = ParseHttpUrl(url, proxy);
  if (!st.ok()) return Status::IOError("proxy " + RedactUrl(url) + ": " + st.message());
  *use = true;
  return Status::OK();
}

}  // namespace

std::string RedactUrl(const std::string& url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  const size_t host_start = scheme + 3;
  const size_t path_start = url.find_first_of("/?#", host_start);
  const size_t at = url.rfind('@', path_start == std::string::npos ? url.size() : path_start);
  if (at == std::string::npos || at < host_start) return url;
  return url.substr(0, host_start) + "***" + url.substr(at);
}

HttpClient::HttpClient(double timeout_seconds)
    : timeout_ms_(std::max(1L, std::lround(timeout_seconds * 1000.0))) {}

HttpClient::~HttpClient() = default;

std::unique_ptr<HttpConnection> HttpClient::Borrow(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = idle_.begin(); it != idle_.end(); ++it) {
    if ((*it)->pool_key() == key) {
      std::unique_ptr<HttpConnection> c = std::move(*it);
      idle_.erase(it);
      return c;
    }
  }
  return nullptr;
}

void HttpClient::Return(std::unique_ptr<HttpConnection> connection) {
  std::lock_guard<std::mutex> lock(mu_);
  if (idle_.size() >= kMaxIdleConnections) idle_.erase(idle_.begin());  // the oldest goes
  idle_.push_back(std::move(connection));
}

Status HttpClient::Post(const std::string& url, const std::vector<std::string>& headers,
                        const std::string& body, HttpResponse* response) {
  return Send("POST", url, headers, &body, kMaxResponseBytes, response);
}

Status HttpClient::Get(const std::string& url, const std::vector<std::string>& headers,
                       size_t max_response_bytes, HttpResponse* response) {
  return Send("GET", url, headers, nullptr, max_response_bytes, response);
}

Status HttpClient::Send(const char* method, const std::string& url,
                        const std::vector<std::string>& headers, const std::string* body,
                        size_t max_response_bytes, HttpResponse* response) {
  const std::string where = std::string(method) + " " + RedactUrl(url) + ": ";
  HttpUrl u;
  Status st = ParseHttpUrl(url, &u);
  if (!st.ok()) return Status::IOError(where + st.message());

  HttpUrl proxy;
  bool use_proxy = false;
  st = ProxyFor(u, &use_proxy, &proxy);
  if (!st.ok()) return Status::IOError(where + st.message());
  const std::string proxy_auth =
      use_proxy && !proxy.userinfo.empty() ? "Proxy-Authorization: Basic " + Base64(proxy.userinfo) + "\r\n" : "";
  // Through a plain-http proxy the request names the whole URL; https tunnels.
  const bool absolute = use_proxy && !u.tls;
  std::string request = std::string(method) + " " + (absolute ? u.origin() + u.target : u.target) +
                        " HTTP/1.1\r\n" + (absolute ? proxy_auth : "") + "Host: " + u.host_header +
                        "\r\nUser-Agent: stratamem/" STRATAMEM_VERSION "\r\nAccept: */*\r\n";
  bool has_auth = false;
  for (const auto& h : headers) {
    if (h.find_first_of("\r\n") != std::string::npos) {
      return Status::IOError(where + "a request header contains a line break");
    }
    if (Lower(h.substr(0, 14)) == "authorization:") has_auth = true;
    request += h + "\r\n";
  }
  if (!u.userinfo.empty() && !has_auth) request += "Authorization: Basic " + Base64(u.userinfo) + "\r\n";
  if (body != nullptr) {
    request += "Content-Length: " + std::to_string(body->size()) + "\r\n\r\n";
    request += *body;
  } else {
    request += "\r\n";
  }

  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms_);
  // A kept-alive connection may have been closed by the server meanwhile:
  // when it yields no reply byte at all, the request goes once more on a new one.
  for (int attempt = 0; attempt < 2; ++attempt) {
    std::unique_ptr<HttpConnection> conn =
        attempt == 0 ? Borrow(HttpPoolKey(u, use_proxy ? &proxy : nullptr)) : nullptr;
    const bool reused = conn != nullptr;
    if (!conn) {
      st = HttpConnection::Open(u, use_proxy ? &proxy : nullptr, proxy_auth, deadline, &conn);
      if (!st.ok()) break;
    }
    *response = HttpResponse();
    bool reusable = false, got_any = false;
    st = conn->WriteAll(request, deadline);
    if (st.ok()) {
      st = ResponseReader(conn.get(), deadline, max_response_bytes).Read(response, &reusable, &got_any);
    }
    if (st.ok()) {
      if (reusable) Return(std::move(conn));
      return Status::OK();
    }
    if (!reused || got_any || st.message() == kHttpTimedOut) break;
  }
  *response = HttpResponse();
  if (st.message() == kHttpTimedOut) {
    return Status::IOError(where + "timed out after " + FormatSeconds(timeout_ms_));
  }
  return Status::IOError(where + st.message());
}

}  // namespace stratamem
