// PLACEHOLDER until the SQLite store lands (owner: lead). Replaced, not kept.
#include "memstrata/store.h"

namespace memstrata {
MemoryStore::~MemoryStore() = default;
Result<std::unique_ptr<MemoryStore>> MemoryStore::Open(const OpenOptions&, std::unique_ptr<Embedder>) {
  return Status::NotSupported("store not built yet");
}
}  // namespace memstrata
