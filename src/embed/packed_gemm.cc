#include "embed/packed_gemm.h"

#include <cstring>

#include "util/multiversion.h"

namespace stratamem::embed {
namespace {

// 16 floats: one AVX-512 register, two AVX2 registers, four SSE registers.
typedef float V16 __attribute__((vector_size(64)));


// R rows x one full panel of 16 columns; the accumulators stay in registers.
// `prefetch` (may be null): the next panel, pulled towards the cache while this
// one is computed, so the weight stream from memory overlaps with the FMAs.
template <int R>
__attribute__((always_inline)) inline void Block(const float* x, int k, const float* panel,
                                                 float* y, int ldy, const float* prefetch) {
  V16 acc[R];
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r) std::memcpy(&acc[r], y + r * ldy, sizeof(V16));
  for (int kk = 0; kk < k; ++kk) {
    if (prefetch) __builtin_prefetch(prefetch + kk * PackedMatrix::kPanel, 0, 3);
    V16 p;
    std::memcpy(&p, panel + kk * PackedMatrix::kPanel, sizeof(V16));
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r) acc[r] += x[r * k + kk] * p;
  }
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r) std::memcpy(y + r * ldy, &acc[r], sizeof(V16));
}

// A last panel narrower than 16 columns (n not a multiple of 16): plain loops.
void PartialPanel(const float* x, int m, int k, const float* panel, float* y, int ldy, int cols) {
  for (int r = 0; r < m; ++r) {
    for (int c = 0; c < cols; ++c) {
      float acc = y[r * ldy + c];
      for (int kk = 0; kk < k; ++kk) acc += x[r * k + kk] * panel[kk * PackedMatrix::kPanel + c];
      y[r * ldy + c] = acc;
    }
  }
}

STRATAMEM_MULTIVERSION
void Kernel(const float* x, int m, int k, const float* panels, int n, float* y) {
  constexpr int kRows = 6;
  const int num_panels = (n + PackedMatrix::kPanel - 1) / PackedMatrix::kPanel;
  for (int p = 0; p < num_panels; ++p) {
    const float* panel = panels + static_cast<size_t>(p) * k * PackedMatrix::kPanel;
    const int col0 = p * PackedMatrix::kPanel;
    const int cols = n - col0 < PackedMatrix::kPanel ? n - col0 : PackedMatrix::kPanel;
    if (cols < PackedMatrix::kPanel) {
      PartialPanel(x, m, k, panel, y + col0, n, cols);
      continue;
    }
    const float* next = p + 1 < num_panels ? panel + static_cast<size_t>(k) * PackedMatrix::kPanel : nullptr;
    int r = 0;
    for (; r + kRows <= m; r += kRows) {
      Block<kRows>(x + static_cast<size_t>(r) * k, k, panel, y + static_cast<size_t>(r) * n + col0,
                   n, r == 0 ? next : nullptr);
    }
    const float* xr = x + static_cast<size_t>(r) * k;
    float* yr = y + static_cast<size_t>(r) * n + col0;
    switch (m - r) {
      case 5: Block<5>(xr, k, panel, yr, n, r == 0 ? next : nullptr); break;
      case 4: Block<4>(xr, k, panel, yr, n, r == 0 ? next : nullptr); break;
      case 3: Block<3>(xr, k, panel, yr, n, r == 0 ? next : nullptr); break;
      case 2: Block<2>(xr, k, panel, yr, n, r == 0 ? next : nullptr); break;
      case 1: Block<1>(xr, k, panel, yr, n, r == 0 ? next : nullptr); break;
      default: break;
    }
  }
}

}  // namespace

PackedMatrix::PackedMatrix(const float* w, int n, int k) : n_(n), k_(k) {
  const int num_panels = (n + kPanel - 1) / kPanel;
  panels_.assign(static_cast<size_t>(num_panels) * k * kPanel, 0.0f);
  for (int row = 0; row < n; ++row) {
    float* dst = panels_.data() + static_cast<size_t>(row / kPanel) * k * kPanel + row % kPanel;
    const float* src = w + static_cast<size_t>(row) * k;
    for (int kk = 0; kk < k; ++kk) dst[static_cast<size_t>(kk) * kPanel] = src[kk];
  }
}

void PackedMatrix::MultiplyAccumulate(const float* x, int m, float* y) const {
  Kernel(x, m, k_, panels_.data(), n_, y);
}

}  // namespace stratamem::embed
