// Helpers shared by the C++ tests.
#ifndef STRATAMEM_TESTS_TEST_UTIL_H_
#define STRATAMEM_TESTS_TEST_UTIL_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "stratamem/embedder.h"
#include "stratamem/env.h"

namespace stratamem::test {

// A clock the test moves by hand, so moments ("as of", ages) are exact.
class ManualEnv final : public Env {
 public:
  int64_t NowMicros() override { return now.load(); }
  void RandomBytes(unsigned char* out, int n) override { Env::Default()->RandomBytes(out, n); }
  std::atomic<int64_t> now{1'700'000'000'000'000};
};

// The deterministic hash embedder (no model needed).
std::unique_ptr<Embedder> HashEmbedder(int dimension = 64);

// Directory of the installed all-MiniLM-L6-v2 weights: $STRATAMEM_MODEL_DIR, else
// asks Python where the model package stratamem-model-minilm put them. Empty when
// neither works (model tests then fail with a clear message).
std::string ModelDir();

// A fresh empty directory under $TMPDIR, removed at process exit.
std::string TempDir();

}  // namespace stratamem::test

#endif  // STRATAMEM_TESTS_TEST_UTIL_H_
