// The echo defence: a fact the reply's <memory> block carries is not the
// model's own when the request already contained it, typed by the user or
// returned by a tool (a prompt injection asking the model to "remember" it).
// The decision is made on the parsed facts, not on the block's raw text, so
// reformatting the echo (whitespace, key order, \u escapes, a block split
// across content parts) does not get it stored.
//
// What counts as "contained": the fact's content, normalised (ASCII case
// folded, every run of whitespace one space, JSON string escapes decoded), is
// a substring of a request message's text normalised the same way. A
// message's content parts are tried joined with nothing and with a space.
// Cost: linear in the request's and the facts' sizes (KMP, no backtracking).
// Not thread-safe to build; const methods may be called concurrently.
#ifndef STRATAMEM_PROTOCOL_ECHO_GUARD_H_
#define STRATAMEM_PROTOCOL_ECHO_GUARD_H_

#include <string>
#include <string_view>
#include <vector>

#include "protocol/memory_block.h"

namespace stratamem::protocol {

// Case-folded, whitespace-collapsed, JSON-unescaped text (see above).
std::string NormaliseForEcho(std::string_view text);

class EchoGuard {
 public:
  // One message that the model did not write (system, user, tool, function),
  // as its text parts in order.
  void AddMessage(const std::vector<std::string>& parts);
  void AddText(std::string_view text) { AddMessage({std::string(text)}); }

  bool IsEchoed(const Fact& fact) const;
  // The facts that are not echoes, in order.
  std::vector<Fact> OwnFacts(std::vector<Fact> facts) const;

 private:
  std::vector<std::string> texts_;  // normalised
};

}  // namespace stratamem::protocol

#endif  // STRATAMEM_PROTOCOL_ECHO_GUARD_H_
