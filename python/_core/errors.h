// The one place where engine Status codes become Python exceptions.
//
// The exception classes themselves are pure Python (stratamem/errors.py); the
// binding looks them up once at import (BindErrors) and ThrowStatus raises the
// class registered for each Status::Code.
#ifndef STRATAMEM_PYTHON_ERRORS_H_
#define STRATAMEM_PYTHON_ERRORS_H_

#include <nanobind/nanobind.h>

#include "stratamem/status.h"

namespace stratamem::python {

// Raises the Python exception for a non-OK status (throws nb::python_error).
// Call with the GIL held. Does nothing for an OK status.
void ThrowStatus(const stratamem::Status& status);

// Registers _core.set_error_classes(dict) so stratamem.errors can hand the
// exception classes to the binding.
void BindErrors(nanobind::module_& m);

}  // namespace stratamem::python

#endif  // STRATAMEM_PYTHON_ERRORS_H_
