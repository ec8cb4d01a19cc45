#include "serve/messages_memory.h"

#include <algorithm>
#include <vector>

#include "protocol/instruction.h"

namespace stratamem::serve {
namespace {

using Json = nlohmann::json;

bool IsType(const Json& block, const char* type) {
  return block.is_object() && block.value("type", Json()) == type;
}

// What the model was given in one message: its text blocks and the text of
// its tool results (a fact a tool returned is not the model's own).
std::vector<std::string> GivenParts(const Json& content) {
  std::vector<std::string> parts = TextParts(content);
  if (!content.is_array()) return parts;
  for (const Json& block : content) {
    if (!IsType(block, "tool_result")) continue;
    for (std::string& text : TextParts(block.value("content", Json()))) parts.push_back(std::move(text));
  }
  return parts;
}

bool JsonOutput(const Json& body) {
  auto config = body.find("output_config");
  bool format = config != body.end() && config->is_object() && config->contains("format") &&
                !(*config)["format"].is_null();
  auto output_format = body.find("output_format");
  return format || (output_format != body.end() && output_format->is_object());
}

// Puts the memory block first in a user message's content, after the
// tool_result blocks it starts with.
bool Inject(Json* content, const std::string& block) {
  if (!content->is_array()) return AddText(content, block, /*before=*/true);
  auto at = content->begin();
  while (at != content->end() && IsType(*at, "tool_result")) ++at;
  content->insert(at, Json{{"type", "text"}, {"text", block}});
  return true;
}

// A streamed reply whose only text was a <memory> block keeps an empty text
// block (it had started before the block showed); the API refuses empty text
// blocks when the client sends that reply back, so they are dropped here.
void DropEmptyText(Json* messages) {
  for (Json& message : *messages) {
    if (!message.is_object() || message.value("role", "") != "assistant") continue;
    auto content = message.find("content");
    if (content == message.end() || !content->is_array() || content->size() < 2) continue;
    auto empty = [](const Json& block) { return IsType(block, "text") && block.value("text", Json()) == ""; };
    size_t empties = std::count_if(content->begin(), content->end(), empty);
    if (empties == 0 || empties == content->size()) continue;  // nothing to drop, or nothing left
    content->erase(std::remove_if(content->begin(), content->end(), empty), content->end());
  }
}

}  // namespace

ChatPlan PlanMessages(Json request, const ScopeContext& context, const ServeContext& ctx) {
  ChatPlan plan = BeginPlan(&request, context);
  if (!plan.memory) return plan;
  auto messages = request.find("messages");
  plan.instruct = !JsonOutput(request);

  // Echo check input: the system prompt and every message the model did not
  // write, as the client sent them (before memories are injected).
  plan.given.AddText(protocol::MemoryInstruction());
  if (auto system = request.find("system"); system != request.end()) plan.given.AddMessage(TextParts(*system));
  for (const Json& message : *messages) {
    if (!message.is_object() || message.value("role", "") == "assistant") continue;
    plan.given.AddMessage(GivenParts(message.value("content", Json())));
  }

  DropEmptyText(&*messages);

  // 1. Inject into the latest user message with text of its own.
  Json* user_message = nullptr;
  std::string query;
  for (auto it = messages->rbegin(); it != messages->rend() && user_message == nullptr; ++it) {
    if (!it->is_object() || it->value("role", "") != "user") continue;
    query = TextOf(it->value("content", Json()));
    if (query.find_first_not_of(" \t\r\n") != std::string::npos) user_message = &*it;
  }
  if (user_message != nullptr) {
    RecallBlock block = RecallFor(ctx, context, query);
    if (!block.text.empty() && Inject(&(*user_message)["content"], block.text)) {
      plan.recalled = std::move(block.included);
    }
  }

  // 2. Instruct: appended to `system`, or `system` itself.
  if (plan.instruct) {
    std::string instruction(protocol::MemoryInstruction());
    Json& system = request["system"];
    if (!AddText(&system, instruction, /*before=*/false)) system = instruction;
  }
  plan.body = std::move(request);
  return plan;
}

protocol::ReplyParse StripMessage(Json* response, const ChatPlan& plan) {
  protocol::ReplyParse all;
  auto content = response->find("content");
  if (!plan.instruct || content == response->end() || !content->is_array()) return all;
  Json kept = Json::array();
  for (Json& block : *content) {
    if (IsType(block, "text") && block.contains("text") && block["text"].is_string()) {
      protocol::ReplyParse parse = protocol::ParseReply(block["text"].get<std::string>());
      for (protocol::Fact& fact : parse.facts) all.facts.push_back(std::move(fact));
      if (!parse.blocks.empty()) {
        block["text"] = parse.visible;
        // The API refuses empty text blocks when the reply is sent back.
        if (parse.visible.empty() && content->size() > 1) continue;
      }
    }
    kept.push_back(std::move(block));
  }
  *content = std::move(kept);
  return all;
}

std::string SseNamedEvent(const std::string& event, std::string_view payload) {
  if (event.empty()) return SseEvent(payload);
  return "event: " + event + "\n" + SseEvent(payload);
}

std::string MessagesStreamRewriter::OnEvent(const SseMessage& event) {
  if (event.event == "message_stop") complete_ = true;
  if (!strip_) return SseNamedEvent(event.event, event.data);
  Json data = Json::parse(event.data, nullptr, false);
  if (data.is_discarded() || !data.is_object() || !data.contains("index") ||
      !data["index"].is_number_integer()) {
    return SseNamedEvent(event.event, event.data);
  }
  long long index = data["index"].get<long long>();
  auto dump = [](const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); };
  std::string type = data.value("type", event.event);
  if (type == "content_block_start" && IsType(data.value("content_block", Json()), "text")) {
    protocol::StreamFilter& filter = filters_.try_emplace(index).first->second;
    Json& block = data["content_block"];
    if (block.contains("text") && block["text"].is_string()) block["text"] = filter.Feed(block["text"].get<std::string>());
  } else if (type == "content_block_delta" && filters_.count(index) != 0 &&
             IsType(data.value("delta", Json()), "text_delta") && data["delta"].contains("text") &&
             data["delta"]["text"].is_string()) {
    data["delta"]["text"] = filters_[index].Feed(data["delta"]["text"].get<std::string>());
  } else if (type == "content_block_stop" && filters_.count(index) != 0 && !filters_[index].finished()) {
    std::string rest = filters_[index].Finish();
    std::string out;
    if (!rest.empty()) {
      Json delta{{"type", "content_block_delta"}, {"index", index}, {"delta", {{"type", "text_delta"}, {"text", rest}}}};
      out = SseNamedEvent("content_block_delta", dump(delta));
    }
    return out + SseNamedEvent(event.event, event.data);
  }
  return SseNamedEvent(event.event, dump(data));
}

protocol::ReplyParse MessagesStreamRewriter::Parse() const {
  protocol::ReplyParse all;
  for (const auto& [index, filter] : filters_) {
    for (const protocol::Fact& fact : filter.result().facts) all.facts.push_back(fact);
  }
  return all;
}

}  // namespace stratamem::serve
