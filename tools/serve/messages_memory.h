// The memory side of one proxied Anthropic Messages call (POST /v1/messages):
// the six steps of chat_memory.h for Anthropic's shapes, on the same engine
// and protocol code. See docs/anthropic.md.
//   - `system` is a string or a list of text blocks: the instruction is
//     appended to it (a string gets "\n\n" + instruction, a list one more
//     text block, so cache_control breakpoints before it stay valid), or
//     becomes it when there is none.
//   - The recalled memories go first into the latest user message that has
//     text of its own (a message of tool results only is skipped, as OpenAI's
//     tool messages are), after any tool_result blocks it starts with (the
//     API wants those first).
//   - A reply's `content` is a list of blocks: every text block loses its
//     <memory> blocks, and the facts of all text blocks are stored. A text
//     block left empty is dropped when the reply has other blocks.
//   - Streams: text_delta pieces of each text block go through one
//     StreamFilter per block; text still held back at content_block_stop is
//     sent as one more content_block_delta just before it. Facts are stored
//     only once message_stop has been seen (a cut stream stores nothing).
//     Such a stream can leave an empty text block (the block had started
//     before the <memory> showed); empty text blocks of assistant messages
//     sent back are dropped from the request, as the API refuses them.
//
// Not thread-safe: one rewriter per stream.
#ifndef STRATAMEM_TOOLS_SERVE_MESSAGES_MEMORY_H_
#define STRATAMEM_TOOLS_SERVE_MESSAGES_MEMORY_H_

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "protocol/stream_filter.h"
#include "serve/chat_memory.h"
#include "serve/sse.h"

namespace stratamem::serve {

// Steps 1 and 2. A request asking for JSON output (output_config.format or
// output_format) gets memories but no instruction.
ChatPlan PlanMessages(nlohmann::json request, const ScopeContext& context, const ServeContext& ctx);

// Step 4 for a whole Message: returns the parse of its text blocks (their
// facts, in order), blocks removed from `response` in place.
protocol::ReplyParse StripMessage(nlohmann::json* response, const ChatPlan& plan);

class MessagesStreamRewriter {
 public:
  // strip = false: events pass through unchanged (memory off or JSON output).
  explicit MessagesStreamRewriter(bool strip) : strip_(strip) {}

  // One upstream event -> the SSE text to send (named events, as Anthropic's
  // SDKs dispatch on the event name).
  std::string OnEvent(const SseMessage& event);
  // True once message_stop was relayed: the reply is whole.
  bool complete() const { return complete_; }
  // The facts of every text block, in block order (after complete()).
  protocol::ReplyParse Parse() const;

 private:
  bool strip_;
  bool complete_ = false;
  std::map<long long, protocol::StreamFilter> filters_;  // text blocks, by index
};

// "event: NAME\ndata: PAYLOAD\n\n" ("data: ..." alone when `event` is "").
std::string SseNamedEvent(const std::string& event, std::string_view payload);

}  // namespace stratamem::serve

#endif  // STRATAMEM_TOOLS_SERVE_MESSAGES_MEMORY_H_
