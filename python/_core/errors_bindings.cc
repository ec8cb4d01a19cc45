// Status -> Python exception, in one place. The classes live in pure Python
// (stratamem/errors.py, which draws the tree); they are looked up by name
// there on first use so that module stays the single source of truth.
#include <Python.h>

#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>

#include "errors.h"

namespace nb = nanobind;

namespace stratamem::python {
namespace {

// The Python class name in stratamem.errors for each Status::Code.
const char* ClassNameFor(Status::Code code) {
  switch (code) {
    case Status::Code::kInvalidArgument: return "InvalidInputError";
    case Status::Code::kNotFound: return "NotFoundError";
    case Status::Code::kCorruption: return "CorruptionError";
    case Status::Code::kIOError: return "StoreError";
    case Status::Code::kDimensionMismatch: return "DimensionMismatchError";
    case Status::Code::kNotSupported: return "NotSupportedError";
    case Status::Code::kEmbedderError: return "EmbedderError";
    case Status::Code::kOk:
    case Status::Code::kInternal: break;
  }
  return "InternalError";
}

}  // namespace

void ThrowStatus(const Status& status) {
  if (status.ok()) return;
  nb::object errors = nb::module_::import_("stratamem.errors");
  nb::object cls = errors.attr(ClassNameFor(status.code()));
  nb::object exc = cls(nb::str(status.message().c_str(), status.message().size()));
  // The engine's stable numeric code, for callers that want to branch on it.
  exc.attr("status_code") = static_cast<int>(status.code());
  PyErr_SetObject(cls.ptr(), exc.ptr());
  throw nb::python_error();
}

void BindErrors(nb::module_& m) {
  nb::enum_<Status::Code>(m, "StatusCode", "The engine's stable error codes (stratamem/status.h).")
      .value("OK", Status::Code::kOk)
      .value("INVALID_ARGUMENT", Status::Code::kInvalidArgument)
      .value("NOT_FOUND", Status::Code::kNotFound)
      .value("CORRUPTION", Status::Code::kCorruption)
      .value("IO_ERROR", Status::Code::kIOError)
      .value("DIMENSION_MISMATCH", Status::Code::kDimensionMismatch)
      .value("NOT_SUPPORTED", Status::Code::kNotSupported)
      .value("EMBEDDER_ERROR", Status::Code::kEmbedderError)
      .value("INTERNAL", Status::Code::kInternal);
  // Lets the tests check the mapping for every code without provoking each
  // failure in the engine.
  m.def(
      "_raise_status",
      [](Status::Code code, const std::string& message) {
        switch (code) {
          case Status::Code::kOk: return;
          case Status::Code::kInvalidArgument: ThrowStatus(Status::InvalidArgument(message)); break;
          case Status::Code::kNotFound: ThrowStatus(Status::NotFound(message)); break;
          case Status::Code::kCorruption: ThrowStatus(Status::Corruption(message)); break;
          case Status::Code::kIOError: ThrowStatus(Status::IOError(message)); break;
          case Status::Code::kDimensionMismatch: ThrowStatus(Status::DimensionMismatch(message)); break;
          case Status::Code::kNotSupported: ThrowStatus(Status::NotSupported(message)); break;
          case Status::Code::kEmbedderError: ThrowStatus(Status::EmbedderError(message)); break;
          case Status::Code::kInternal: ThrowStatus(Status::Internal(message)); break;
        }
      },
      nb::arg("code"), nb::arg("message"));
}

}  // namespace stratamem::python
