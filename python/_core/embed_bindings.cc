// PLACEHOLDER (owner: embed helper).
#include <nanobind/nanobind.h>
namespace nb = nanobind;
namespace memstrata::python {
void BindEmbed(nb::module_& m) {}
}  // namespace memstrata::python
