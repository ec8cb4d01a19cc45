// libFuzzer target: the MCP JSON-RPC reader and dispatcher, one input = lines
// fed to one server (so initialize followed by tools/call is reachable), on a
// real in-memory store with the hash embedder. Properties: never crashes or
// throws, and every line that is not blank or a notification is answered
// with one JSON value.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "mcp/memory_tools.h"
#include "mcp/server.h"
#include "stratamem/stratamem.h"

namespace {

stratamem::MemoryStore* Store() {
  static stratamem::MemoryStore* store = [] {
    stratamem::OpenOptions o;
    o.db_path = ":memory:";
    o.vector_backend = stratamem::VectorBackend::kExact;
    stratamem::EmbedderOptions e;
    e.backend = stratamem::EmbedderBackend::kHash;
    e.dimension = 32;
    auto embedder = stratamem::NewEmbedder(e);
    if (!embedder.ok()) std::abort();
    auto s = stratamem::MemoryStore::Open(o, std::move(embedder).value());
    if (!s.ok()) std::abort();
    return s->release();
  }();
  return store;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  stratamem::mcp::MemoryTools tools(Store(), stratamem::ScopeContext{"fuzz", "s", "a", ""});
  std::ostringstream log;
  stratamem::mcp::Server server(&tools, {"stratamem", "0", ""}, &log);
  std::string input(reinterpret_cast<const char*>(data), size);
  std::istringstream lines(input);
  std::string line;
  while (std::getline(lines, line)) {
    auto reply = server.HandleLine(line);
    if (!reply) continue;
    if (nlohmann::json::parse(*reply, nullptr, false).is_discarded()) std::abort();
  }
  return 0;
}
