#include "embed/packed_gemm.h"

#include <cstring>

#include "util/multiversion.h"

namespace stratamem::embed {
namespace {

// Half a panel: one AVX2 register (two SSE registers). A panel is two of them:
// with 16-float vectors GCC splits each operation on AVX2 and spills the
// accumulators to the stack (measured: 7 GFLOPS on a Zen core, against 40+ here).
typedef float V8 __attribute__((vector_size(32)));

// R rows x one full panel of 16 columns; the 2R accumulators stay in registers
// (12 of AVX2's 16 for R = 6). `prefetch` (may be null): the next panel, pulled
// towards the cache while this one is computed, so the weight stream from
// memory overlaps with the FMAs. kAcc false: y is overwritten, never read.
template <int R, bool kAcc>
__attribute__((always_inline)) inline void Block(const float* x, int ldx, int k, const float* panel,
                                                 float* y, int ldy, const float* prefetch) {
  V8 lo[R], hi[R];
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r) {
    if (kAcc) {
      std::memcpy(&lo[r], y + r * ldy, sizeof(V8));
      std::memcpy(&hi[r], y + r * ldy + 8, sizeof(V8));
    } else {
      lo[r] = V8{};
      hi[r] = V8{};
    }
  }
  for (int kk = 0; kk < k; ++kk) {
    if (prefetch) __builtin_prefetch(prefetch + kk * kPanelWidth, 0, 3);
    V8 p0, p1;
    std::memcpy(&p0, panel + kk * kPanelWidth, sizeof(V8));
    std::memcpy(&p1, panel + kk * kPanelWidth + 8, sizeof(V8));
#pragma GCC unroll 8
    for (int r = 0; r < R; ++r) {
      const float xv = x[r * ldx + kk];
      lo[r] += xv * p0;
      hi[r] += xv * p1;
    }
  }
#pragma GCC unroll 8
  for (int r = 0; r < R; ++r) {
    std::memcpy(y + r * ldy, &lo[r], sizeof(V8));
    std::memcpy(y + r * ldy + 8, &hi[r], sizeof(V8));
  }
}

// Rows [0, m) of one panel, in blocks of up to 6 rows.
template <bool kAcc>
__attribute__((always_inline)) inline void PanelRows(const float* x, int ldx, int m, int k,
                                                     const float* panel, float* y, int ldy,
                                                     const float* next) {
  constexpr int kRows = 6;
  int r = 0;
  for (; r + kRows <= m; r += kRows) {
    Block<kRows, kAcc>(x + static_cast<size_t>(r) * ldx, ldx, k, panel, y + static_cast<size_t>(r) * ldy,
                 ldy, r == 0 ? next : nullptr);
  }
  const float* xr = x + static_cast<size_t>(r) * ldx;
  float* yr = y + static_cast<size_t>(r) * ldy;
  const float* pf = r == 0 ? next : nullptr;
  switch (m - r) {
    case 5: Block<5, kAcc>(xr, ldx, k, panel, yr, ldy, pf); break;
    case 4: Block<4, kAcc>(xr, ldx, k, panel, yr, ldy, pf); break;
    case 3: Block<3, kAcc>(xr, ldx, k, panel, yr, ldy, pf); break;
    case 2: Block<2, kAcc>(xr, ldx, k, panel, yr, ldy, pf); break;
    case 1: Block<1, kAcc>(xr, ldx, k, panel, yr, ldy, pf); break;
    default: break;
  }
}

// A last panel narrower than 16 columns (n not a multiple of 16): the same
// vector blocks on a 16-wide copy of y's columns (the panel is zero-padded), so
// each element is summed in the same order as in a full panel.
template <bool kAcc>
__attribute__((always_inline)) inline void PartialPanel(const float* x, int ldx, int m, int k,
                                                        const float* panel, float* y, int ldy,
                                                        int cols) {
  constexpr int kRows = 6;
  float tmp[kRows * kPanelWidth];
  for (int r0 = 0; r0 < m; r0 += kRows) {
    const int rows = m - r0 < kRows ? m - r0 : kRows;
    std::memset(tmp, 0, sizeof(tmp));
    for (int r = 0; kAcc && r < rows; ++r) {
      std::memcpy(tmp + r * kPanelWidth, y + static_cast<size_t>(r0 + r) * ldy, sizeof(float) * cols);
    }
    PanelRows<kAcc>(x + static_cast<size_t>(r0) * ldx, ldx, rows, k, panel, tmp, kPanelWidth, nullptr);
    for (int r = 0; r < rows; ++r) {
      std::memcpy(y + static_cast<size_t>(r0 + r) * ldy, tmp + r * kPanelWidth, sizeof(float) * cols);
    }
  }
}

template <bool kAcc>
__attribute__((always_inline)) inline void Panels(const float* x, int ldx, int m, int k,
                                                  const float* panels, int n, float* y, int ldy) {
  const int num_panels = (n + kPanelWidth - 1) / kPanelWidth;
  for (int p = 0; p < num_panels; ++p) {
    const float* panel = panels + static_cast<size_t>(p) * k * kPanelWidth;
    const int col0 = p * kPanelWidth;
    const int cols = n - col0 < kPanelWidth ? n - col0 : kPanelWidth;
    if (cols < kPanelWidth) {
      PartialPanel<kAcc>(x, ldx, m, k, panel, y + col0, ldy, cols);
      continue;
    }
    const float* next = p + 1 < num_panels ? panel + static_cast<size_t>(k) * kPanelWidth : nullptr;
    PanelRows<kAcc>(x, ldx, m, k, panel, y + col0, ldy, next);
  }
}

STRATAMEM_MULTIVERSION
void Kernel(const float* x, int ldx, int m, int k, const float* panels, int n, float* y, int ldy,
            bool accumulate) {
  if (accumulate) {
    Panels<true>(x, ldx, m, k, panels, n, y, ldy);
  } else {
    Panels<false>(x, ldx, m, k, panels, n, y, ldy);
  }
}

void Resize(int n, int k, std::vector<float>* panels) {
  const int num_panels = (n + kPanelWidth - 1) / kPanelWidth;
  // assign, not resize: the padding past n must be zero even in a reused buffer.
  panels->assign(static_cast<size_t>(num_panels) * k * kPanelWidth, 0.0f);
}

}  // namespace

void PackTransposed(const float* w, int n, int k, int ldw, std::vector<float>* panels) {
  Resize(n, k, panels);
  for (int row = 0; row < n; ++row) {
    float* dst = panels->data() + static_cast<size_t>(row / kPanelWidth) * k * kPanelWidth +
                 row % kPanelWidth;
    const float* src = w + static_cast<size_t>(row) * ldw;
    for (int kk = 0; kk < k; ++kk) dst[static_cast<size_t>(kk) * kPanelWidth] = src[kk];
  }
}

void PackRows(const float* b, int k, int n, int ldb, std::vector<float>* panels) {
  Resize(n, k, panels);
  for (int col0 = 0; col0 < n; col0 += kPanelWidth) {
    const int cols = n - col0 < kPanelWidth ? n - col0 : kPanelWidth;
    float* dst = panels->data() + static_cast<size_t>(col0 / kPanelWidth) * k * kPanelWidth;
    for (int kk = 0; kk < k; ++kk) {
      std::memcpy(dst + static_cast<size_t>(kk) * kPanelWidth, b + static_cast<size_t>(kk) * ldb + col0,
                  sizeof(float) * cols);
    }
  }
}

void MultiplyPacked(const float* x, int ldx, int m, int k, const float* panels, int n, float* y,
                    int ldy) {
  Kernel(x, ldx, m, k, panels, n, y, ldy, true);
}

void MultiplyPackedInto(const float* x, int ldx, int m, int k, const float* panels, int n, float* y,
                        int ldy) {
  Kernel(x, ldx, m, k, panels, n, y, ldy, false);
}

}  // namespace stratamem::embed
