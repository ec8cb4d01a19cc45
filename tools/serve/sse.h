// Server-Sent Events for the streaming proxy: splitting the upstream's byte
// stream into events, and rewriting chat.completion.chunk events so every
// choice's text goes through a StreamFilter (blocks never reach the client,
// whatever the chunk boundaries).
//
// Not thread-safe: one reader and one rewriter per stream.
#ifndef STRATAMEM_TOOLS_SERVE_SSE_H_
#define STRATAMEM_TOOLS_SERVE_SSE_H_

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "protocol/stream_filter.h"

namespace stratamem::serve {

// One complete event: its "event:" name ("" when none) and its data (the
// "data:" lines joined with "\n").
struct SseMessage {
  std::string event;
  std::string data;
};

// Feeds bytes in any pieces; returns each complete event. Fields other than
// event and data, and comments, are dropped.
class SseReader {
 public:
  std::vector<SseMessage> FeedMessages(std::string_view bytes);
  // The data of each complete event (OpenAI streams name no events).
  std::vector<std::string> Feed(std::string_view bytes);

 private:
  std::string line_;
  std::string event_;
  std::string data_;
  bool has_data_ = false;
};

// "data: <payload>\n\n"
std::string SseEvent(std::string_view payload);

class StreamRewriter {
 public:
  // strip = false: events pass through unchanged (memory off or JSON mode).
  explicit StreamRewriter(bool strip) : strip_(strip) {}

  // One event's data (not "[DONE]") -> the SSE text to send (may be "").
  std::string OnEvent(const std::string& data);
  // The stream ended: the text still held back by a choice that never got a
  // finish_reason, as one extra chunk (a copy of the last chunk's shape).
  std::string Finish();
  // The first choice's parse; complete after Finish().
  const protocol::ReplyParse& first() const;

 private:
  bool strip_;
  std::map<int, protocol::StreamFilter> filters_;  // by choice index
  nlohmann::json last_chunk_;
  protocol::ReplyParse empty_;
};

}  // namespace stratamem::serve

#endif  // STRATAMEM_TOOLS_SERVE_SSE_H_
