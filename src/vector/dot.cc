#include "vector/dot.h"

#include "util/multiversion.h"

#include <cmath>

namespace stratamem {

STRATAMEM_MULTIVERSION
float Dot(const float* a, const float* b, size_t n) {
  // Eight independent accumulators let the compiler keep a full vector of
  // partial sums per lane without a loop-carried dependency.
  float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    for (int j = 0; j < 8; ++j) acc[j] += a[i + j] * b[i + j];
  }
  float s = 0;
  for (; i < n; ++i) s += a[i] * b[i];
  return s + ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
}

bool L2Normalize(std::vector<float>* v) {
  double sum = 0;
  for (float x : *v) sum += static_cast<double>(x) * x;
  if (!(sum > 0) || !std::isfinite(sum)) return false;
  float inv = static_cast<float>(1.0 / std::sqrt(sum));
  for (float& x : *v) x *= inv;
  return true;
}

}  // namespace stratamem
