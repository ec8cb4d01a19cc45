#include "memstrata/memstrata.h"

namespace memstrata {
const char* Version() { return MEMSTRATA_VERSION; }
}  // namespace memstrata
