// The two things with_memory() adds to a chat request: the instruction that
// asks for a <memory> block (appended to the system prompt) and the read-only
// block of remembered facts (put into the latest user message). Shared with
// the C++ proxy so both speak exactly the same protocol.
#ifndef STRATAMEM_PROTOCOL_INSTRUCTION_H_
#define STRATAMEM_PROTOCOL_INSTRUCTION_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace stratamem::protocol {

// Appended to the system prompt. Short on purpose: it is paid on every call
// (its token count is measured in docs/with-memory.md).
std::string_view MemoryInstruction();

inline constexpr std::string_view kContextOpen = "<stratamem-context>";
inline constexpr std::string_view kContextClose = "</stratamem-context>";

// A memory's text made safe to sit inside the context block: '&', '<' and '>'
// become &amp; &lt; &gt; (so no tag, in particular the block's own closing
// delimiter, can be written by a memory) and every character a common reader
// breaks lines on becomes a space (so a memory cannot fake another list item
// or a line of instructions): all C0 controls and DEL (\n \r \v \f \x1c-\x1e
// among them; \r\n is one space), the C1 controls U+0080-U+009F (NEL, U+0085)
// and U+2028 / U+2029.
std::string NeutraliseMemoryText(std::string_view text);

struct ContextBlock {
  std::string text;      // "" when no memory fits (then nothing is injected)
  size_t included = 0;   // how many of the memories made it in (a prefix)
};

// The block put into the latest user message: a header saying this is
// reference data and not instructions, then one "- memory" line per memory,
// best first, stopping before the block would exceed `max_chars` bytes.
ContextBlock FormatMemoryContext(const std::vector<std::string>& memories, size_t max_chars);

}  // namespace stratamem::protocol

#endif  // STRATAMEM_PROTOCOL_INSTRUCTION_H_
