#include "serve/sse.h"

namespace stratamem::serve {

using Json = nlohmann::json;

std::vector<SseMessage> SseReader::FeedMessages(std::string_view bytes) {
  std::vector<SseMessage> events;
  for (char c : bytes) {
    if (c != '\n') {
      line_ += c;
      continue;
    }
    if (!line_.empty() && line_.back() == '\r') line_.pop_back();
    if (line_.empty()) {  // a blank line ends the event
      if (has_data_) events.push_back(SseMessage{std::move(event_), std::move(data_)});
      event_.clear();
      data_.clear();
      has_data_ = false;
    } else if (line_.rfind("event:", 0) == 0) {
      std::string_view value = std::string_view(line_).substr(6);
      if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      event_ = value;
    } else if (line_.rfind("data:", 0) == 0) {
      std::string_view value = std::string_view(line_).substr(5);
      if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      if (has_data_) data_ += '\n';
      data_ += value;
      has_data_ = true;
    }
    line_.clear();
  }
  return events;
}

std::vector<std::string> SseReader::Feed(std::string_view bytes) {
  std::vector<std::string> data;
  for (SseMessage& message : FeedMessages(bytes)) data.push_back(std::move(message.data));
  return data;
}

std::string SseEvent(std::string_view payload) {
  std::string out = "data: ";
  out += payload;
  out += "\n\n";
  return out;
}

std::string StreamRewriter::OnEvent(const std::string& data) {
  if (!strip_) return SseEvent(data);
  Json chunk = Json::parse(data, nullptr, false);
  if (chunk.is_discarded() || !chunk.is_object()) return SseEvent(data);
  auto choices = chunk.find("choices");
  if (choices != chunk.end() && choices->is_array()) {
    for (Json& choice : *choices) {
      if (!choice.is_object()) continue;
      int index = choice.value("index", 0);
      protocol::StreamFilter& filter = filters_.try_emplace(index).first->second;
      std::string text;
      Json* delta = choice.contains("delta") && choice["delta"].is_object() ? &choice["delta"] : nullptr;
      if (delta != nullptr && delta->contains("content") && (*delta)["content"].is_string()) {
        text = filter.Feed((*delta)["content"].get<std::string>());
      }
      bool finishing = choice.contains("finish_reason") && !choice["finish_reason"].is_null();
      if (finishing && !filter.finished()) text += filter.Finish();
      if (delta != nullptr && (delta->contains("content") || !text.empty())) (*delta)["content"] = text;
    }
    if (!choices->empty()) last_chunk_ = chunk;
  }
  return SseEvent(chunk.dump(-1, ' ', false, Json::error_handler_t::replace));
}

std::string StreamRewriter::Finish() {
  std::string out;
  for (auto& [index, filter] : filters_) {
    if (filter.finished()) continue;
    std::string rest = filter.Finish();
    if (rest.empty() || last_chunk_.is_null()) continue;
    Json chunk = last_chunk_;
    chunk["choices"] = Json::array({Json{{"index", index}, {"delta", {{"content", rest}}}, {"finish_reason", nullptr}}});
    out += SseEvent(chunk.dump(-1, ' ', false, Json::error_handler_t::replace));
  }
  return out;
}

const protocol::ReplyParse& StreamRewriter::first() const {
  auto it = filters_.find(0);
  return it == filters_.end() ? empty_ : it->second.result();
}

}  // namespace stratamem::serve
