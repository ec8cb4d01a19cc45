#include "embed/model_fetch.h"

#include <curl/curl.h>

#include <cmath>
#include <memory>

#include "util/http_client.h"

namespace stratamem::embed {
namespace {

constexpr size_t kMaxArtifactBytes = size_t{1} << 30;

struct Sink {
  std::string* body;
  bool too_large = false;
};

size_t Write(char* data, size_t size, size_t nmemb, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const size_t n = size * nmemb;
  if (sink->body->size() + n > kMaxArtifactBytes) {
    sink->too_large = true;
    return 0;
  }
  sink->body->append(data, n);
  return n;
}

}  // namespace

Status FetchUrl(const std::string& url, double timeout_seconds, std::string* body) {
  static const CURLcode init = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (init != CURLE_OK) return Status::IOError("libcurl could not be initialised");
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return Status::IOError("libcurl could not be initialised");
  body->clear();
  Sink sink{body};
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https,http,file");
  curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "https,http");
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, std::lround(timeout_seconds * 1000.0));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 30000L);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, Write);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
  const CURLcode rc = curl_easy_perform(h);
  const std::string shown = RedactUrl(url);
  if (sink.too_large) return Status::IOError(shown + ": the artifact is larger than 1 GiB");
  if (rc != CURLE_OK) return Status::IOError("cannot fetch " + shown + ": " + curl_easy_strerror(rc));
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  // file:// has no status (0); http(s) must answer 200.
  if (status != 0 && status != 200) {
    return Status::IOError("cannot fetch " + shown + ": HTTP " + std::to_string(status));
  }
  return Status::OK();
}

}  // namespace stratamem::embed
