// The memory side of one proxied chat completion: the same six steps as the
// Python with_memory() (docs/with-memory.md), on the C++ engine and the
// shared <memory> protocol (src/protocol):
//   1 inject   recalled memories into the latest user message
//   2 instruct append the instruction to the system prompt
//   3 call     (proxy.cc)
//   4 parse    the reply's blocks (StripCompletion / the stream rewriter)
//   5 store    the first choice's facts (StoreFacts)
//   6 return   the reply without its blocks (proxy.cc)
#ifndef STRATAMEM_TOOLS_SERVE_CHAT_MEMORY_H_
#define STRATAMEM_TOOLS_SERVE_CHAT_MEMORY_H_

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "stratamem/stratamem.h"
#include "protocol/echo_guard.h"
#include "protocol/stream_filter.h"
#include "serve/server.h"

namespace stratamem::serve {

struct ChatPlan {
  nlohmann::json body;         // what goes upstream
  ScopeContext context;        // whose memory ("" user_id: memory is off)
  bool memory = false;         // recall and store at all
  bool instruct = false;       // the model was asked for a block: strip and store
  bool stream = false;
  std::string model;
  protocol::EchoGuard given;    // what the model was given (facts echoed from it are not its own)
  std::vector<MemoryRecord> recalled;
};

// A message's text parts: a string, or the {"type": "text"} parts of a list.
std::vector<std::string> TextParts(const nlohmann::json& content);
// The text parts joined by newlines.
std::string TextOf(const nlohmann::json& content);
// Adds `text` before or after a content value (a string gets "\n\n", a list
// a text part, null (after only) becomes the text); false when the content
// has a shape that cannot be extended safely.
bool AddText(nlohmann::json* content, const std::string& text, bool before);

// Step 1's search: the block of memories recalled for `query` ("" when none
// or the search failed, which is logged) and the memories it holds.
struct RecallBlock {
  std::string text;
  std::vector<MemoryRecord> included;
};
RecallBlock RecallFor(const ServeContext& ctx, const ScopeContext& context, const std::string& query);

// The ids, stream flag and model of a plan; memory is off (and `*request`
// moved into plan.body) without a user_id or a list of messages.
ChatPlan BeginPlan(nlohmann::json* request, const ScopeContext& context);

// Steps 1 and 2 for /v1/chat/completions. `request` is the client's body (a JSON object). JSON
// response formats get memories but no instruction (a block would break the JSON).
ChatPlan PlanChat(nlohmann::json request, const ScopeContext& context, const ServeContext& ctx);

// Step 4 for a whole completion: every choice's content loses its blocks;
// returns the first choice's parse, echoed blocks removed.
protocol::ReplyParse StripCompletion(nlohmann::json* response, const ChatPlan& plan);

// The facts of `parse` minus those the reply only echoed from the request
// (protocol/echo_guard.h) and the instruction's placeholders.
std::vector<protocol::Fact> OwnFacts(const protocol::ReplyParse& parse, const ChatPlan& plan);

// Step 5: saves the facts (one transaction), superseding the memory a fact's
// `replaces` names when this tenant can see it. Failures are logged, never
// returned: memory is an aid and must not fail the user's call.
void StoreFacts(const ServeContext& ctx, const ChatPlan& plan, const std::vector<protocol::Fact>& facts);

}  // namespace stratamem::serve

#endif  // STRATAMEM_TOOLS_SERVE_CHAT_MEMORY_H_
