// Finding <memory> blocks in a model's reply, whole or streamed chunk by chunk.
//
// StreamFilter is fed the reply's text as it arrives and returns what is safe
// to show: everything except the blocks. It holds back only bytes that could
// still turn out to be part of a block: a suffix that is a prefix of
// "<memory>" and the whitespace run just before it (so the whitespace that
// separated the block from the answer goes away with the block). The user
// never sees a partial tag. At the end it has the parsed facts.
//
// ParseReply() is the same machine run over a whole reply, so a streamed
// reply and a non-streamed one give byte-identical visible text.
//
// Tags are matched ASCII-case-insensitively; an unclosed block (reply cut by
// max_tokens) is swallowed to the end and its complete facts kept.
// Not thread-safe: one filter per reply (per choice).
#ifndef STRATAMEM_PROTOCOL_STREAM_FILTER_H_
#define STRATAMEM_PROTOCOL_STREAM_FILTER_H_

#include <string>
#include <string_view>
#include <vector>

#include "protocol/memory_block.h"

namespace stratamem::protocol {

inline constexpr std::string_view kOpenTag = "<memory>";
inline constexpr std::string_view kCloseTag = "</memory>";

struct ReplyParse {
  std::string visible;              // the reply without its blocks
  std::vector<Fact> facts;          // from every block, in order, deduplicated
  std::vector<std::string> blocks;  // raw text inside each block (echo checks, logs)
  std::vector<std::string> problems;
  bool unclosed = false;            // the reply ended inside a block
};

class StreamFilter {
 public:
  explicit StreamFilter(ParseOptions options = {});

  // Feeds the next piece of the reply (UTF-8; pieces may split anywhere
  // between code points). Returns the text that can be shown now.
  std::string Feed(std::string_view chunk);
  // Ends the reply: returns the held-back text that turned out not to be a
  // block (or "" ) and finalises result(). Feed after Finish is ignored.
  std::string Finish();

  bool finished() const { return finished_; }
  bool in_block() const { return in_block_; }
  // Complete after Finish(); `visible` is the concatenation of all returns.
  const ReplyParse& result() const { return result_; }

 private:
  void Emit(std::string_view text, std::string* out);
  void OpenBlock(std::string_view before, std::string* out);
  void CloseBlock(bool closed);

  ParseOptions options_;
  ReplyParse result_;
  BlockParse parsed_;
  std::string held_;   // a possible partial "<memory>" or "</memory>" (< 9 bytes)
  std::string space_;  // text mode: whitespace not yet known to be shown
  std::string body_;  // block mode: the block's text so far
  bool in_block_ = false;
  bool finished_ = false;
  // Whitespace around removed blocks: between a block and the next text only
  // one separator survives (the one before the block, else the one after).
  bool after_block_ = false;
  bool shown_any_ = false;  // visible non-space text has been returned
  std::string gap_before_;
  std::string gap_after_;
};

// The whole reply at once (the non-streaming path).
ReplyParse ParseReply(std::string_view reply, const ParseOptions& options = {});

}  // namespace stratamem::protocol

#endif  // STRATAMEM_PROTOCOL_STREAM_FILTER_H_
