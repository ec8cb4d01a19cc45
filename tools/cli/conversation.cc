#include "cli/conversation.h"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace stratamem::cli {
namespace {

Status ReadAll(const std::string& path, std::string* text) {
  if (path == "-") {
    text->assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    return Status::OK();
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) return Status::IOError("cannot read '" + path + "'");
  text->assign(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
  if (file.bad()) return Status::IOError("reading '" + path + "' failed");
  return Status::OK();
}

std::string StringField(const Json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A message's text: a string, or the text parts of a list of parts
// ([{"type": "text", "text": ...}], also input_text/output_text), joined by newlines.
std::string MessageText(const Json& content) {
  if (content.is_string()) return content.get<std::string>();
  std::string text;
  if (!content.is_array()) return text;
  for (const Json& part : content) {
    if (!part.is_object()) continue;
    std::string type = StringField(part, "type");
    if (type != "text" && type != "input_text" && type != "output_text") continue;
    std::string piece = StringField(part, "text");
    if (piece.empty()) continue;
    if (!text.empty()) text += "\n";
    text += piece;
  }
  return text;
}

bool IsBlank(const std::string& text) { return text.find_first_not_of(" \t\r\n") == std::string::npos; }

Status AddMessage(const Json& message, size_t index, const ConversationOptions& options, Conversation* out) {
  std::string where = "message " + std::to_string(index + 1);
  if (!message.is_object()) return Status::InvalidArgument(where + ": expected an object with role and content");
  std::string role = StringField(message, "role");
  if (role.empty()) return Status::InvalidArgument(where + ": missing \"role\"");
  auto content = message.find("content");
  std::string text = content == message.end() ? std::string() : MessageText(*content);
  // System prompts are instructions, not conversation; tool calls have no text.
  if (role == "system" || role == "developer" || IsBlank(text)) {
    ++out->skipped;
    return Status::OK();
  }
  std::string speaker = StringField(message, "name");
  if (speaker.empty()) speaker = role;
  Json metadata = {{"speaker", speaker}, {"role", role}, {"index", index}};
  for (const char* key : {"date", "timestamp", "created_at", "time"}) {
    auto it = message.find(key);
    if (it != message.end() && (it->is_string() || it->is_number())) {
      metadata["date"] = *it;
      break;
    }
  }
  if (!options.session_id.empty()) metadata["session"] = options.session_id;
  out->turns.push_back({options.user_id, options.session_id, speaker + ": " + text, std::move(metadata)});
  return Status::OK();
}

Status ParseMessages(const Json& messages, const ConversationOptions& options, Conversation* out) {
  for (size_t i = 0; i < messages.size(); ++i) STRATAMEM_RETURN_IF_ERROR(AddMessage(messages[i], i, options, out));
  return Status::OK();
}

// JSON Lines: one message per line; blank lines are ignored.
Status ParseMessageLines(const std::string& text, const ConversationOptions& options, Conversation* out) {
  std::istringstream in(text);
  std::string line;
  size_t index = 0;
  for (int number = 1; std::getline(in, line); ++number) {
    if (IsBlank(line)) continue;
    Json message = Json::parse(line, nullptr, false);
    if (message.is_discarded()) {
      return Status::InvalidArgument("line " + std::to_string(number) +
                                     ": not valid JSON (expected a JSON document or JSON Lines)");
    }
    STRATAMEM_RETURN_IF_ERROR(AddMessage(message, index++, options, out));
  }
  return Status::OK();
}

// session_N keys in numeric order (session_10 after session_9).
std::vector<int> SessionNumbers(const Json& conversation) {
  std::vector<int> numbers;
  for (auto it = conversation.begin(); it != conversation.end(); ++it) {
    const std::string& key = it.key();
    if (key.rfind("session_", 0) != 0 || !it->is_array()) continue;
    std::string digits = key.substr(8);
    if (digits.empty() || !std::all_of(digits.begin(), digits.end(), ::isdigit)) continue;
    numbers.push_back(std::stoi(digits));
  }
  std::sort(numbers.begin(), numbers.end());
  return numbers;
}

Status ParseLocomoSample(const Json& sample, size_t index, const ConversationOptions& options, Conversation* out) {
  std::string where = "conversation " + std::to_string(index + 1);
  if (!sample.is_object() || !sample.contains("conversation") || !sample["conversation"].is_object()) {
    return Status::InvalidArgument(where + ": expected an object with \"conversation\"");
  }
  std::string sample_id = StringField(sample, "sample_id");
  if (!options.conversations.empty() &&
      std::find(options.conversations.begin(), options.conversations.end(), sample_id) ==
          options.conversations.end()) {
    return Status::OK();
  }
  std::string user = options.user_id.empty() ? sample_id : options.user_id;
  if (user.empty()) return Status::InvalidArgument(where + ": no sample_id; pass --user");
  const Json& conversation = sample["conversation"];
  for (int n : SessionNumbers(conversation)) {
    std::string session = "session_" + std::to_string(n);
    std::string date = StringField(conversation, (session + "_date_time").c_str());
    for (const Json& turn : conversation[session]) {
      std::string speaker = turn.is_object() ? StringField(turn, "speaker") : std::string();
      std::string text = turn.is_object() ? StringField(turn, "text") : std::string();
      if (speaker.empty()) return Status::InvalidArgument(where + ", " + session + ": a turn without \"speaker\"");
      std::string caption = StringField(turn, "blip_caption");
      if (IsBlank(text) && caption.empty()) {
        ++out->skipped;
        continue;
      }
      std::string content = speaker + ": " + text;
      if (!caption.empty()) content += " [image: " + caption + "]";
      Json metadata = {{"speaker", speaker}, {"dia_id", StringField(turn, "dia_id")}, {"session", session},
                       {"date", date}};
      if (!sample_id.empty()) metadata["sample_id"] = sample_id;
      out->turns.push_back({user, session, std::move(content), std::move(metadata)});
    }
  }
  return Status::OK();
}

Status ParseLocomo(const Json& document, const ConversationOptions& options, Conversation* out) {
  if (document.is_object()) return ParseLocomoSample(document, 0, options, out);
  if (!document.is_array()) return Status::InvalidArgument("LoCoMo: expected a list of conversations");
  for (size_t i = 0; i < document.size(); ++i) {
    STRATAMEM_RETURN_IF_ERROR(ParseLocomoSample(document[i], i, options, out));
  }
  return Status::OK();
}

bool LooksLikeLocomo(const Json& document) {
  const Json* first = document.is_array() && !document.empty() ? &document[0] : &document;
  return first->is_object() && first->contains("conversation");
}

}  // namespace

const char* FormatName(ConversationFormat format) {
  switch (format) {
    case ConversationFormat::kMessages: return "messages";
    case ConversationFormat::kLocomo: return "locomo";
    case ConversationFormat::kAuto: break;
  }
  return "auto";
}

Status LoadConversation(const std::string& path, const ConversationOptions& options, Conversation* out) {
  std::string text;
  STRATAMEM_RETURN_IF_ERROR(ReadAll(path, &text));
  Json document = Json::parse(text, nullptr, false);
  bool is_json = !document.is_discarded();
  ConversationFormat format = options.format;
  if (format == ConversationFormat::kAuto) {
    format = is_json && LooksLikeLocomo(document) ? ConversationFormat::kLocomo : ConversationFormat::kMessages;
  }
  out->format = format;
  if (format == ConversationFormat::kLocomo) {
    if (!is_json) return Status::InvalidArgument("LoCoMo: '" + path + "' is not valid JSON");
    return ParseLocomo(document, options, out);
  }
  if (!is_json) return ParseMessageLines(text, options, out);
  if (document.is_object() && document.contains("messages")) {
    if (!document["messages"].is_array()) return Status::InvalidArgument("\"messages\" must be a list");
    return ParseMessages(document["messages"], options, out);
  }
  if (document.is_array()) return ParseMessages(document, options, out);
  if (document.is_object() && document.contains("role")) return ParseMessages(Json::array({document}), options, out);
  return Status::InvalidArgument("cannot tell the format of '" + path +
                                 "': expected {\"messages\": [...]}, a list of messages, JSON Lines or "
                                 "LoCoMo; pass --format");
}

}  // namespace stratamem::cli
