// stratamem: persistent memory for LLM applications. The whole public C++ API.
#ifndef STRATAMEM_STRATAMEM_H_
#define STRATAMEM_STRATAMEM_H_

#include "stratamem/embedder.h"
#include "stratamem/env.h"
#include "stratamem/models.h"
#include "stratamem/export.h"
#include "stratamem/graph.h"
#include "stratamem/limits.h"
#include "stratamem/options.h"
#include "stratamem/record.h"
#include "stratamem/scope.h"
#include "stratamem/status.h"
#include "stratamem/store.h"

namespace stratamem {
// "0.1.0"
STRATAMEM_EXPORT const char* Version();
}  // namespace stratamem

#endif  // STRATAMEM_STRATAMEM_H_
