// libFuzzer target: what `stratamem serve` does with a request body before the
// store sees it: the depth check and JSON parse, the REST schemas of
// /openapi.json (SaveRequest, UpdateRequest, SearchRequest) and the proxy's
// chat request check. Properties: never crashes or throws; a body the checks
// accept has the types the handlers then read without checking again.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "serve/chat_request.h"
#include "serve/http_json.h"
#include "serve/openapi.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  httplib::Response res;
  nlohmann::json body;
  if (!stratamem::serve::ParseJsonObject(text, res, &body)) {
    if (res.status != 400) std::abort();
    return 0;
  }
  for (const char* schema : {"SaveRequest", "UpdateRequest", "SearchRequest"}) {
    if (!stratamem::serve::CheckBody(body, schema).empty()) continue;
    for (const char* field : {"content", "query", "user_id", "session_id", "scope", "mode"}) {
      auto it = body.find(field);
      if (it != body.end() && !it->is_null() && !it->is_string()) std::abort();
    }
    if (auto it = body.find("top_k"); it != body.end() && !it->is_number()) std::abort();
  }
  if (stratamem::serve::CheckChatRequest(body).empty()) {
    const auto& messages = body["messages"];
    if (!messages.is_array()) std::abort();
    for (const auto& m : messages) {
      if (!m.is_object() || !m["role"].is_string()) std::abort();
    }
    if (body.contains("stream") && !body["stream"].is_null() && !body["stream"].is_boolean()) std::abort();
  }
  return 0;
}
