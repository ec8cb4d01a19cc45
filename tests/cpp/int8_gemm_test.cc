// The int8 products against float32 ones: every shape the encoder meets
// (row counts around the 6-row block, a partial last panel, an odd K) stays
// within the quantisation error, and y is accumulated into, not overwritten.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "embed/int8_gemm.h"

namespace stratamem::embed {
namespace {

std::vector<float> Random(size_t n, std::mt19937* rng, float scale = 1.0f) {
  std::normal_distribution<float> d(0.0f, scale);
  std::vector<float> v(n);
  for (float& x : v) x = d(*rng);
  return v;
}

TEST(Int8GemmTest, MatchesFloatProductsWithinQuantisationError) {
  std::mt19937 rng(7);
  for (int k : {33, 384}) {
    for (int n : {16, 40}) {
      const std::vector<float> w = Random(static_cast<size_t>(n) * k, &rng, 0.05f);
      Int8Matrix q(w.data(), n, k);
      Int8Scratch scratch;
      for (int m : {1, 5, 6, 7, 13}) {
        std::vector<float> x = Random(static_cast<size_t>(m) * k, &rng);
        x[0] = 8.0f;  // an outlier in row 0 must not coarsen the other rows
        std::vector<float> y(static_cast<size_t>(m) * n, 1.0f), want(y);
        for (int r = 0; r < m; ++r) {
          for (int c = 0; c < n; ++c) {
            double acc = 0;
            for (int i = 0; i < k; ++i) acc += static_cast<double>(x[r * k + i]) * w[c * k + i];
            want[r * n + c] += static_cast<float>(acc);
          }
        }
        q.MultiplyAccumulate(x.data(), m, y.data(), &scratch);
        double err = 0, norm = 0;
        for (size_t i = 0; i < y.size(); ++i) {
          err += (y[i] - want[i]) * (y[i] - want[i]);
          norm += (want[i] - 1.0) * (want[i] - 1.0);
        }
        EXPECT_LT(std::sqrt(err / norm), 0.02) << "m=" << m << " n=" << n << " k=" << k;
      }
    }
  }
}

TEST(Int8GemmTest, ZeroRowsAndWeightsStayZero) {
  const std::vector<float> w(16 * 8, 0.0f);
  Int8Matrix q(w.data(), 16, 8);
  Int8Scratch scratch;
  std::vector<float> x(2 * 8, 0.0f), y(2 * 16, 3.0f);
  q.MultiplyAccumulate(x.data(), 2, y.data(), &scratch);
  for (float v : y) EXPECT_EQ(v, 3.0f);
}

}  // namespace
}  // namespace stratamem::embed
