// libFuzzer target: the streaming <memory> filter. The first byte picks how
// the reply is cut into pieces; the property is that a streamed reply and the
// same reply parsed whole give byte-identical visible text and the same facts
// (docs/with-memory.md promises it), and that no piece of a tag is shown.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "protocol/stream_filter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  size_t step = 1 + data[0] % 13;
  std::string_view reply(reinterpret_cast<const char*>(data) + 1, size - 1);
  stratamem::protocol::StreamFilter filter;
  std::string shown;
  for (size_t at = 0; at < reply.size(); at += step) shown += filter.Feed(reply.substr(at, step));
  shown += filter.Finish();
  stratamem::protocol::ReplyParse whole = stratamem::protocol::ParseReply(reply);
  if (shown != whole.visible || shown != filter.result().visible) std::abort();
  if (filter.result().facts.size() != whole.facts.size()) std::abort();
  for (size_t i = 0; i < whole.facts.size(); ++i) {
    if (filter.result().facts[i].content != whole.facts[i].content) std::abort();
  }
  return 0;
}
