// Checks a proxied chat completion request before anything reads it: every
// field the proxy or the memory steps look at must have the type the OpenAI
// API gives it, or the request is answered 400 naming the field (never 500,
// and never forwarded upstream half-understood).
#ifndef STRATAMEM_TOOLS_SERVE_CHAT_REQUEST_H_
#define STRATAMEM_TOOLS_SERVE_CHAT_REQUEST_H_

#include <string>

#include <nlohmann/json.hpp>

namespace stratamem::serve {

// "" when `body` (a JSON object) is acceptable, else a message naming the
// first bad field, e.g. "'messages[2].content' must be a string, a list of
// content parts or null".
std::string CheckChatRequest(const nlohmann::json& body);

// The same for an Anthropic Messages request (POST /v1/messages): messages
// as above, `system` a string or a list of text blocks, `metadata` an object
// whose `user_id` is a string.
std::string CheckMessagesRequest(const nlohmann::json& body);

}  // namespace stratamem::serve

#endif  // STRATAMEM_TOOLS_SERVE_CHAT_REQUEST_H_
