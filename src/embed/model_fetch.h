// Downloads a model artifact: GET over the engine's HTTP client (https, http,
// following up to 5 redirects) or a file:// path read directly.
#ifndef STRATAMEM_EMBED_MODEL_FETCH_H_
#define STRATAMEM_EMBED_MODEL_FETCH_H_

#include <string>

#include "stratamem/status.h"

namespace stratamem::embed {

// The body of `url`. IOError naming the URL (credentials removed) on a
// transport failure, an HTTP status other than 200, or a body over 1 GiB.
Status FetchUrl(const std::string& url, double timeout_seconds, std::string* body);

}  // namespace stratamem::embed

#endif  // STRATAMEM_EMBED_MODEL_FETCH_H_
