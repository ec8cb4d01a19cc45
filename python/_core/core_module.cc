// memstrata._core: the module definition. Each subsystem binds itself in its own
// file (store_bindings.cc, embed_bindings.cc); errors are translated in one
// place (errors_bindings.cc).
#include <nanobind/nanobind.h>

#include "memstrata/memstrata.h"

namespace nb = nanobind;

namespace memstrata::python {
void BindErrors(nb::module_& m);
void BindEmbed(nb::module_& m);
void BindStore(nb::module_& m);
void BindProtocol(nb::module_& m);
}  // namespace memstrata::python

NB_MODULE(_core, m) {
  m.doc() = "memstrata engine (C++). Use the pure-Python API in `memstrata` instead.";
  m.attr("__version__") = memstrata::Version();
  memstrata::python::BindErrors(m);
  memstrata::python::BindEmbed(m);
  memstrata::python::BindStore(m);
  memstrata::python::BindProtocol(m);
}
