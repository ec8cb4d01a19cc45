#include "util/http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

#ifndef STRATAMEM_VERSION
#define STRATAMEM_VERSION "dev"
#endif

namespace stratamem {
namespace {

constexpr size_t kMaxIdleHandles = 4;

// curl_global_init is not guaranteed thread-safe on every libcurl build, so it
// runs exactly once. There is deliberately no curl_global_cleanup: the handles
// of other threads may outlive any point we could pick, and the OS reclaims
// everything at exit.
CURLcode GlobalInit() {
  static const CURLcode code = curl_global_init(CURL_GLOBAL_DEFAULT);
  return code;
}

struct WriteTarget {
  std::string* body;
  bool too_large = false;
};

size_t WriteBody(char* data, size_t size, size_t nmemb, void* user) {
  auto* target = static_cast<WriteTarget*>(user);
  const size_t n = size * nmemb;
  if (target->body->size() + n > HttpClient::kMaxResponseBytes) {
    target->too_large = true;
    return 0;  // makes curl abort with CURLE_WRITE_ERROR
  }
  target->body->append(data, n);
  return n;
}

struct SlistFree {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

std::string FormatSeconds(long ms) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%g s", static_cast<double>(ms) / 1000.0);
  return buf;
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

HttpClient::~HttpClient() {
  for (void* h : idle_) curl_easy_cleanup(static_cast<CURL*>(h));
}

void* HttpClient::Borrow() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      void* h = idle_.back();
      idle_.pop_back();
      return h;
    }
  }
  if (GlobalInit() != CURLE_OK) return nullptr;
  return curl_easy_init();
}

void HttpClient::Return(void* handle) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (idle_.size() < kMaxIdleHandles) {
      idle_.push_back(handle);
      return;
    }
  }
  curl_easy_cleanup(static_cast<CURL*>(handle));
}

Status HttpClient::Post(const std::string& url, const std::vector<std::string>& headers,
                        const std::string& body, HttpResponse* response) {
  CURL* curl = static_cast<CURL*>(Borrow());
  if (!curl) return Status::IOError("cannot initialise libcurl");
  // Options are set afresh on every call; reset keeps the connection cache.
  curl_easy_reset(curl);

  curl_slist* raw_list = nullptr;
  for (const auto& h : headers) raw_list = curl_slist_append(raw_list, h.c_str());
  // No "Expect: 100-continue" round trip for bodies over 1 KiB.
  raw_list = curl_slist_append(raw_list, "Expect:");
  std::unique_ptr<curl_slist, SlistFree> header_list(raw_list);

  response->status = 0;
  response->body.clear();
  WriteTarget target{&response->body};
  char error_buffer[CURL_ERROR_SIZE] = {0};

  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);  // no SIGALRM: we run inside other programs
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms_);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms_);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, header_list.get());
  curl_easy_setopt(curl, CURLOPT_POST, 1L);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, WriteBody);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &target);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");  // gzip/deflate: float JSON compresses well
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "stratamem/" STRATAMEM_VERSION);

  const CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  if (rc == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  // The handle must not keep pointers into this frame.
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
  Return(curl);

  if (rc == CURLE_OK) {
    response->status = status;
    return Status::OK();
  }
  const std::string where = "POST " + RedactUrl(url) + ": ";
  const std::string detail = error_buffer[0] ? error_buffer : curl_easy_strerror(rc);
  switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
      return Status::IOError(where + "timed out after " + FormatSeconds(timeout_ms_) + " (" +
                             detail + ")");
    case CURLE_COULDNT_CONNECT:
      return Status::IOError(where + "cannot connect, connection refused or host down (" +
                             detail + ")");
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return Status::IOError(where + "cannot resolve host (" + detail + ")");
    case CURLE_WRITE_ERROR:
      if (target.too_large) {
        return Status::IOError(where + "reply larger than " +
                               std::to_string(kMaxResponseBytes >> 20) + " MiB, refused");
      }
      break;
    default:
      break;
  }
  return Status::IOError(where + detail);
}

}  // namespace stratamem
