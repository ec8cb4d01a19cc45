// The Python-visible store handle and the one way engine calls are made from
// Python (GIL released, Status raised once the GIL is held again). Shared by
// store_bindings.cc and graph_bindings.cc.
#ifndef STRATAMEM_PYTHON_STORE_HANDLE_H_
#define STRATAMEM_PYTHON_STORE_HANDLE_H_

#include <nanobind/nanobind.h>

#include <memory>
#include <optional>
#include <type_traits>
#include <utility>

#include "errors.h"
#include "stratamem/stratamem.h"

namespace stratamem::python {

// Close() leaves the engine object alive (later calls then return IOError) so
// a call racing with close() never sees a dangling pointer; the object dies
// with the Python handle.
struct StoreHandle {
  std::unique_ptr<MemoryStore> store;
};

// Runs `fn` (an engine call returning Result<T> or Status) without the GIL,
// then raises or returns the value with the GIL held.
template <typename Fn>
auto Call(Fn&& fn) {
  using R = decltype(fn());
  std::optional<R> result;
  {
    nanobind::gil_scoped_release release;
    result.emplace(fn());
  }
  if constexpr (std::is_same_v<R, Status>) {
    ThrowStatus(*result);
  } else {
    if (!result->ok()) ThrowStatus(result->status());
    return std::move(*result).value();
  }
}

inline MemoryStore& Engine(StoreHandle& h) {
  if (!h.store) ThrowStatus(Status::IOError("store is not open"));
  return *h.store;
}

// The graph's value types and Store methods (graph_bindings.cc).
void BindGraphTypes(nanobind::module_& m);
void BindGraphMethods(nanobind::class_<StoreHandle>& store);

}  // namespace stratamem::python

#endif  // STRATAMEM_PYTHON_STORE_HANDLE_H_
