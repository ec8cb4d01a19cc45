// libFuzzer target: the <memory> block parser on arbitrary text. Properties:
// never crashes, never hangs (linear: see bench/parser_bench.cc), every fact
// kept is non-empty, trimmed, at most max_facts, importance in [0, 1].
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "protocol/memory_block.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  bool closed = (data[0] & 1) != 0;
  std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  stratamem::protocol::ParseOptions options;
  options.max_facts = 8;
  stratamem::protocol::BlockParse out;
  stratamem::protocol::ParseBlockBody(body, closed, options, &out);
  if (out.facts.size() > options.max_facts) std::abort();
  for (const auto& fact : out.facts) {
    if (fact.content.empty() || !(fact.importance >= 0.0 && fact.importance <= 1.0)) std::abort();
    char first = fact.content.front(), last = fact.content.back();
    if (first == ' ' || first == '\n' || last == ' ' || last == '\n') std::abort();
  }
  return 0;
}
