// Env: the seam between the engine and the outside world's time and randomness,
// so tests can inject a fake clock and deterministic ids.
#ifndef STRATAMEM_ENV_H_
#define STRATAMEM_ENV_H_

#include <cstdint>
#include <string>

#include "stratamem/export.h"

namespace stratamem {

class STRATAMEM_EXPORT Env {
 public:
  virtual ~Env();
  // Unix time in microseconds.
  virtual int64_t NowMicros() = 0;
  // A new memory id: a UUIDv7 string (time-ordered, 74 random bits). Thread-safe.
  virtual std::string NewId();
  // Fills `n` bytes with randomness. Thread-safe.
  virtual void RandomBytes(unsigned char* out, int n) = 0;

  // The process-wide default (system clock, OS randomness). Never deleted.
  static Env* Default();
};

}  // namespace stratamem

#endif  // STRATAMEM_ENV_H_
