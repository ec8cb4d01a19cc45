// Status and Result<T>: errors are values at every boundary of the engine.
// No exception crosses the public API; bindings map Code to exception classes
// in exactly one place (python/stratamem/_errors.py via the binding).
#ifndef STRATAMEM_STATUS_H_
#define STRATAMEM_STATUS_H_

#include <optional>
#include <string>
#include <utility>

#include "stratamem/export.h"

namespace stratamem {

class STRATAMEM_EXPORT Status {
 public:
  // Stable numeric values: the Python binding and the CLI exit codes use them.
  enum class Code : int {
    kOk = 0,
    kInvalidArgument = 1,    // bad content, ids, options, JSON ...
    kNotFound = 2,           // unknown memory id
    kCorruption = 3,         // not a stratamem/SQLite file, failed checks
    kIOError = 4,            // cannot open/write the file, disk full, busy
    kDimensionMismatch = 5,  // vector dimension differs from the store's
    kNotSupported = 6,       // a backend or feature not available here
    kEmbedderError = 7,      // the embedder failed (model files, HTTP)
    kInternal = 8,           // a bug: please report
  };

  Status() = default;
  static Status OK() { return Status(); }
  static Status InvalidArgument(std::string msg) { return Status(Code::kInvalidArgument, std::move(msg)); }
  static Status NotFound(std::string msg) { return Status(Code::kNotFound, std::move(msg)); }
  static Status Corruption(std::string msg) { return Status(Code::kCorruption, std::move(msg)); }
  static Status IOError(std::string msg) { return Status(Code::kIOError, std::move(msg)); }
  static Status DimensionMismatch(std::string msg) { return Status(Code::kDimensionMismatch, std::move(msg)); }
  static Status NotSupported(std::string msg) { return Status(Code::kNotSupported, std::move(msg)); }
  static Status EmbedderError(std::string msg) { return Status(Code::kEmbedderError, std::move(msg)); }
  static Status Internal(std::string msg) { return Status(Code::kInternal, std::move(msg)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // "InvalidArgument: content is empty"
  std::string ToString() const;
  static const char* CodeName(Code code);

 private:
  Status(Code code, std::string msg) : code_(code), message_(std::move(msg)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

// A value or the Status that explains why there is none.
template <typename T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}                    // NOLINT: implicit on purpose
  Result(Status status) : status_(std::move(status)) {}            // NOLINT: implicit on purpose
  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace stratamem

// Propagate a non-OK Status from an expression returning Status.
#define STRATAMEM_RETURN_IF_ERROR(expr)          \
  do {                                           \
    ::stratamem::Status _st = (expr);            \
    if (!_st.ok()) return _st;                   \
  } while (0)

#endif  // STRATAMEM_STATUS_H_
