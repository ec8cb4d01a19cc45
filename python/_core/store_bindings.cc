// PLACEHOLDER (owner: python helper).
#include <nanobind/nanobind.h>
namespace nb = nanobind;
namespace memstrata::python {
void BindErrors(nb::module_& m) {}
void BindStore(nb::module_& m) {}
}  // namespace memstrata::python
