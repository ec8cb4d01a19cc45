#include "stratamem/env.h"

#include <sys/random.h>

#include <chrono>
#include <cstdio>
#include <mutex>
#include <random>

namespace stratamem {

Env::~Env() = default;

std::string Env::NewId() {
  // UUIDv7 (RFC 9562): 48-bit unix milliseconds, version 7, variant 10, random rest.
  unsigned char b[16];
  RandomBytes(b, 16);
  uint64_t ms = static_cast<uint64_t>(NowMicros() / 1000);
  for (int i = 0; i < 6; ++i) b[i] = static_cast<unsigned char>(ms >> (40 - 8 * i));
  b[6] = static_cast<unsigned char>(0x70 | (b[6] & 0x0f));
  b[8] = static_cast<unsigned char>(0x80 | (b[8] & 0x3f));
  char out[37];
  std::snprintf(out, sizeof(out),
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11],
                b[12], b[13], b[14], b[15]);
  return std::string(out, 36);
}

namespace {

class PosixEnv final : public Env {
 public:
  int64_t NowMicros() override {
    return std::chrono::duration_cast<std::chrono::microseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
  void RandomBytes(unsigned char* out, int n) override {
    int got = 0;
    while (got < n) {
      ssize_t r = getrandom(out + got, static_cast<size_t>(n - got), 0);
      if (r <= 0) break;
      got += static_cast<int>(r);
    }
    if (got < n) {  // getrandom unavailable: fall back to a seeded PRNG
      std::lock_guard<std::mutex> lock(mu_);
      for (; got < n; ++got) out[got] = static_cast<unsigned char>(rng_());
    }
  }

 private:
  std::mutex mu_;
  std::mt19937_64 rng_{std::random_device{}()};
};

}  // namespace

Env* Env::Default() {
  static PosixEnv* env = new PosixEnv();  // never deleted: usable during static destruction
  return env;
}

}  // namespace stratamem
