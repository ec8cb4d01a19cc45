#include "stratamem/stratamem.h"

namespace stratamem {
const char* Version() { return STRATAMEM_VERSION; }
}  // namespace stratamem
