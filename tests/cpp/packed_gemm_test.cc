// The panel kernels against a plain triple loop, over sizes that are and are
// not multiples of the panel width and the 6-row block, with row strides wider
// than the rows (as in the attention heads, which read slices of the QKV rows).
#include "embed/packed_gemm.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace stratamem::embed {
namespace {

std::vector<float> Random(size_t n, std::mt19937* rng) {
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  std::vector<float> v(n);
  for (float& x : v) x = dist(*rng);
  return v;
}

struct Shape {
  int m, k, n;
};

const Shape kShapes[] = {{1, 1, 1},   {1, 32, 13},  {13, 32, 13}, {6, 16, 16},  {7, 17, 33},
                         {44, 32, 44}, {5, 384, 48}, {30, 64, 31}, {256, 32, 256}};

// y0 + x * B where B[kk][j] = b(kk, j).
template <typename B>
std::vector<double> Reference(const std::vector<float>& x, int ldx, const std::vector<float>& y0,
                              int ldy, Shape s, B b) {
  std::vector<double> y(static_cast<size_t>(s.m) * s.n);
  for (int i = 0; i < s.m; ++i) {
    for (int j = 0; j < s.n; ++j) {
      double acc = y0[static_cast<size_t>(i) * ldy + j];
      for (int kk = 0; kk < s.k; ++kk) acc += double(x[static_cast<size_t>(i) * ldx + kk]) * b(kk, j);
      y[static_cast<size_t>(i) * s.n + j] = acc;
    }
  }
  return y;
}

void ExpectNear(const std::vector<double>& want, const std::vector<float>& y, int ldy, Shape s) {
  for (int i = 0; i < s.m; ++i) {
    for (int j = 0; j < s.n; ++j) {
      const double w = want[static_cast<size_t>(i) * s.n + j];
      ASSERT_NEAR(y[static_cast<size_t>(i) * ldy + j], w, 1e-4 * (1 + std::sqrt(double(s.k))))
          << "m=" << s.m << " k=" << s.k << " n=" << s.n << " at (" << i << ", " << j << ")";
    }
  }
}

// B given as W[n, k] (transposed == true, packed by PackTransposed) or as
// B[k, n] (PackRows), each with a row stride wider than its rows.
void CheckLayout(bool transposed, unsigned seed) {
  std::mt19937 rng(seed);
  for (Shape s : kShapes) {
    const int ldx = s.k + 3, ldy = s.n + 2;
    const int ldb = transposed ? s.k + 5 : s.n + 7;
    auto x = Random(static_cast<size_t>(s.m) * ldx, &rng);
    auto b = Random(static_cast<size_t>(transposed ? s.n : s.k) * ldb, &rng);
    auto y = Random(static_cast<size_t>(s.m) * ldy, &rng);
    const auto want = Reference(x, ldx, y, ldy, s, [&](int kk, int j) {
      return transposed ? b[size_t(j) * ldb + kk] : b[size_t(kk) * ldb + j];
    });
    std::vector<float> panels;
    if (transposed) {
      PackTransposed(b.data(), s.n, s.k, ldb, &panels);
    } else {
      PackRows(b.data(), s.k, s.n, ldb, &panels);
    }
    MultiplyPacked(x.data(), ldx, s.m, s.k, panels.data(), s.n, y.data(), ldy);
    ExpectNear(want, y, ldy, s);
  }
}

TEST(PackedGemmTest, TransposedOperandMatchesReference) { CheckLayout(true, 7); }

TEST(PackedGemmTest, RowOperandMatchesReference) { CheckLayout(false, 11); }

TEST(PackedGemmTest, IntoOverwritesWithoutReading) {
  std::mt19937 rng(13);
  for (Shape s : kShapes) {
    const int ldy = s.n + 3;
    auto x = Random(static_cast<size_t>(s.m) * s.k, &rng);
    auto b = Random(static_cast<size_t>(s.k) * s.n, &rng);
    std::vector<float> zeros(static_cast<size_t>(s.m) * ldy, 0.0f);
    const auto want = Reference(x, s.k, zeros, ldy, s, [&](int kk, int j) { return b[size_t(kk) * s.n + j]; });
    std::vector<float> panels;
    PackRows(b.data(), s.k, s.n, s.n, &panels);
    std::vector<float> y(zeros.size(), std::nanf(""));  // garbage that must not leak in
    MultiplyPackedInto(x.data(), s.k, s.m, s.k, panels.data(), s.n, y.data(), ldy);
    ExpectNear(want, y, ldy, s);
  }
}

TEST(PackedGemmTest, WritesOnlyItsColumnsAndReusedBufferIsRepadded) {
  // A narrow product into a wide y must leave the other columns alone, and a
  // buffer that held a larger packing must not leak old values into the padding.
  std::mt19937 rng(3);
  std::vector<float> panels;
  auto big = Random(40 * 40, &rng);
  PackTransposed(big.data(), 40, 40, 40, &panels);
  const Shape s{9, 40, 5};
  auto w = Random(static_cast<size_t>(s.n) * s.k, &rng);
  auto x = Random(static_cast<size_t>(s.m) * s.k, &rng);
  std::vector<float> y(static_cast<size_t>(s.m) * 12, 0.5f);
  const auto want = Reference(x, s.k, y, 12, s, [&](int kk, int j) { return w[size_t(j) * s.k + kk]; });
  PackTransposed(w.data(), s.n, s.k, s.k, &panels);
  MultiplyPacked(x.data(), s.k, s.m, s.k, panels.data(), s.n, y.data(), 12);
  ExpectNear(want, y, 12, s);
  for (int i = 0; i < s.m; ++i) {
    for (int j = s.n; j < 12; ++j) EXPECT_EQ(y[static_cast<size_t>(i) * 12 + j], 0.5f);
  }
}

TEST(PackedGemmTest, RowsAreIndependentOfTheirNeighbours) {
  // Bit-identical results for a row alone or among others (batch == single).
  std::mt19937 rng(5);
  const int k = 96, n = 40;
  auto w = Random(static_cast<size_t>(n) * k, &rng);
  auto x = Random(static_cast<size_t>(11) * k, &rng);
  PackedMatrix packed(w.data(), n, k);
  std::vector<float> all(static_cast<size_t>(11) * n, 0.0f), one(n, 0.0f);
  packed.MultiplyAccumulate(x.data(), 11, all.data());
  packed.MultiplyAccumulate(x.data() + 7 * k, 1, one.data());
  for (int j = 0; j < n; ++j) EXPECT_EQ(one[j], all[7 * n + j]) << j;
}

}  // namespace
}  // namespace stratamem::embed
