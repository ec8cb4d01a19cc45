#include "embed/model_fetch.h"

#include <fstream>
#include <sstream>

#include "util/http_client.h"
#include "util/http_connection.h"

namespace stratamem::embed {
namespace {

constexpr size_t kMaxArtifactBytes = size_t{1} << 30;
constexpr int kMaxRedirects = 5;

Status ReadLocalFile(const std::string& url, std::string* body) {
  const std::string path = url.substr(7);  // "file://" + absolute path
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError("cannot fetch " + url + ": no such file");
  std::ostringstream data;
  data << in.rdbuf();
  if (in.bad()) return Status::IOError("cannot fetch " + url + ": read error");
  *body = std::move(data).str();
  if (body->size() > kMaxArtifactBytes) return Status::IOError(url + ": the artifact is larger than 1 GiB");
  return Status::OK();
}

// Where a redirect's Location points: absolute http(s), or a path on the same origin.
Status RedirectTarget(const std::string& from, const std::string& location, std::string* to) {
  if (location.rfind("https://", 0) == 0 || location.rfind("http://", 0) == 0) {
    *to = location;
    return Status::OK();
  }
  HttpUrl u;
  if (location.empty() || location[0] != '/' || !ParseHttpUrl(from, &u).ok()) {
    return Status::IOError("cannot fetch " + RedactUrl(from) + ": a redirect to an unsupported location");
  }
  *to = u.origin() + location;
  return Status::OK();
}

}  // namespace

Status FetchUrl(const std::string& url, double timeout_seconds, std::string* body) {
  body->clear();
  if (url.rfind("file://", 0) == 0) return ReadLocalFile(url, body);
  HttpClient client(timeout_seconds);
  std::string current = url;
  for (int hop = 0; hop <= kMaxRedirects; ++hop) {
    HttpResponse response;
    STRATAMEM_RETURN_IF_ERROR(client.Get(current, {}, kMaxArtifactBytes, &response));
    const long status = response.status;
    if (status == 200) {
      *body = std::move(response.body);
      return Status::OK();
    }
    const bool redirect = status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    if (!redirect || response.location.empty()) {
      return Status::IOError("cannot fetch " + RedactUrl(current) + ": HTTP " + std::to_string(status));
    }
    std::string next;
    STRATAMEM_RETURN_IF_ERROR(RedirectTarget(current, response.location, &next));
    current = std::move(next);
  }
  return Status::IOError("cannot fetch " + RedactUrl(url) + ": more than 5 redirects");
}

}  // namespace stratamem::embed
