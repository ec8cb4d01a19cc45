// memstrata: persistent memory for LLM applications. The whole public C++ API.
#ifndef MEMSTRATA_MEMSTRATA_H_
#define MEMSTRATA_MEMSTRATA_H_

#include "memstrata/embedder.h"
#include "memstrata/env.h"
#include "memstrata/export.h"
#include "memstrata/options.h"
#include "memstrata/record.h"
#include "memstrata/scope.h"
#include "memstrata/status.h"
#include "memstrata/store.h"

namespace memstrata {
// "0.1.0"
MEMSTRATA_EXPORT const char* Version();
}  // namespace memstrata

#endif  // MEMSTRATA_MEMSTRATA_H_
