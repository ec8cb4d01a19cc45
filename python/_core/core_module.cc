// stratamem._core: the module definition. Each subsystem binds itself in its own
// file (store_bindings.cc, embed_bindings.cc); errors are translated in one
// place (errors_bindings.cc).
#include <nanobind/nanobind.h>

#include "stratamem/stratamem.h"

namespace nb = nanobind;

namespace stratamem::python {
void BindErrors(nb::module_& m);
void BindEmbed(nb::module_& m);
void BindModels(nb::module_& m);
void BindStore(nb::module_& m);
void BindProtocol(nb::module_& m);
}  // namespace stratamem::python

NB_MODULE(_core, m) {
  m.doc() = "stratamem engine (C++). Use the pure-Python API in `stratamem` instead.";
  m.attr("__version__") = stratamem::Version();
  stratamem::python::BindErrors(m);
  stratamem::python::BindEmbed(m);
  stratamem::python::BindModels(m);
  stratamem::python::BindStore(m);
  stratamem::python::BindProtocol(m);
}
