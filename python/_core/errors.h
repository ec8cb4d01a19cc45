// The one place where engine Status codes become Python exceptions.
//
// The exception classes themselves are pure Python (memstrata/errors.py); the
// binding looks them up once at import (BindErrors) and ThrowStatus raises the
// class registered for each Status::Code.
#ifndef MEMSTRATA_PYTHON_ERRORS_H_
#define MEMSTRATA_PYTHON_ERRORS_H_

#include <nanobind/nanobind.h>

#include "memstrata/status.h"

namespace memstrata::python {

// Raises the Python exception for a non-OK status (throws nb::python_error).
// Call with the GIL held. Does nothing for an OK status.
void ThrowStatus(const memstrata::Status& status);

// Registers _core.set_error_classes(dict) so memstrata.errors can hand the
// exception classes to the binding.
void BindErrors(nanobind::module_& m);

}  // namespace memstrata::python

#endif  // MEMSTRATA_PYTHON_ERRORS_H_
