#include "serve/chat_request.h"

namespace stratamem::serve {
namespace {

using Json = nlohmann::json;

std::string Field(const std::string& path, const char* what) { return "'" + path + "' must be " + what; }

std::string CheckPart(const Json& part, const std::string& path) {
  if (part.is_string()) return "";  // accepted as a text part, as with_memory() does
  if (!part.is_object()) return Field(path, "a content part object");
  auto type = part.find("type");
  if (type == part.end() || !type->is_string()) return Field(path + ".type", "a string");
  if (*type == "text") {
    auto text = part.find("text");
    if (text == part.end() || !text->is_string()) return Field(path + ".text", "a string");
  }
  return "";
}

std::string CheckMessage(const Json& message, const std::string& path) {
  if (!message.is_object()) return Field(path, "an object");
  auto role = message.find("role");
  if (role == message.end() || !role->is_string()) return Field(path + ".role", "a string");
  auto content = message.find("content");
  if (content == message.end() || content->is_null() || content->is_string()) return "";
  if (!content->is_array()) return Field(path + ".content", "a string, a list of content parts or null");
  for (size_t i = 0; i < content->size(); ++i) {
    std::string error = CheckPart((*content)[i], path + ".content[" + std::to_string(i) + "]");
    if (!error.empty()) return error;
  }
  return "";
}

}  // namespace

std::string CheckChatRequest(const Json& body) {
  auto messages = body.find("messages");
  if (messages == body.end() || !messages->is_array()) return Field("messages", "a list of messages");
  for (size_t i = 0; i < messages->size(); ++i) {
    std::string error = CheckMessage((*messages)[i], "messages[" + std::to_string(i) + "]");
    if (!error.empty()) return error;
  }
  for (const char* name : {"model", "user"}) {
    auto it = body.find(name);
    if (it != body.end() && !it->is_null() && !it->is_string()) return Field(name, "a string");
  }
  if (auto it = body.find("stream"); it != body.end() && !it->is_null() && !it->is_boolean()) {
    return Field("stream", "a boolean");
  }
  if (auto it = body.find("stream_options"); it != body.end() && !it->is_null() && !it->is_object()) {
    return Field("stream_options", "an object");
  }
  if (auto it = body.find("response_format"); it != body.end() && !it->is_null()) {
    if (!it->is_object()) return Field("response_format", "an object");
    auto type = it->find("type");
    if (type == it->end() || !type->is_string()) return Field("response_format.type", "a string");
  }
  return "";
}

std::string CheckMessagesRequest(const Json& body) {
  auto messages = body.find("messages");
  if (messages == body.end() || !messages->is_array()) return Field("messages", "a list of messages");
  for (size_t i = 0; i < messages->size(); ++i) {
    std::string error = CheckMessage((*messages)[i], "messages[" + std::to_string(i) + "]");
    if (!error.empty()) return error;
  }
  if (auto it = body.find("system"); it != body.end() && !it->is_null() && !it->is_string()) {
    if (!it->is_array()) return Field("system", "a string or a list of text blocks");
    for (size_t i = 0; i < it->size(); ++i) {
      const Json& block = (*it)[i];
      std::string path = "system[" + std::to_string(i) + "]";
      if (!block.is_object() || block.value("type", Json()) != "text") return Field(path, "a text block");
      if (std::string error = CheckPart(block, path); !error.empty()) return error;
    }
  }
  if (auto it = body.find("model"); it != body.end() && !it->is_null() && !it->is_string()) {
    return Field("model", "a string");
  }
  if (auto it = body.find("stream"); it != body.end() && !it->is_null() && !it->is_boolean()) {
    return Field("stream", "a boolean");
  }
  if (auto it = body.find("metadata"); it != body.end() && !it->is_null()) {
    if (!it->is_object()) return Field("metadata", "an object");
    auto user = it->find("user_id");
    if (user != it->end() && !user->is_null() && !user->is_string()) return Field("metadata.user_id", "a string");
  }
  for (const char* name : {"output_config", "output_format"}) {
    auto it = body.find(name);
    if (it != body.end() && !it->is_null() && !it->is_object()) return Field(name, "an object");
  }
  return "";
}

}  // namespace stratamem::serve
