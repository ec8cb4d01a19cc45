#include "embed/int8_gemm.h"

#include <immintrin.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace stratamem::embed {
namespace {

// Quantises each row of x to int8 (as int16 pairs packed in int32).
void QuantizeRows(const float* x, int m, int k, int k_pairs, Int8Scratch* s) {
  s->x_pairs.resize(static_cast<size_t>(m) * k_pairs);
  s->x_scale.resize(m);
  for (int r = 0; r < m; ++r) {
    const float* row = x + static_cast<size_t>(r) * k;
    float amax = 0;
    for (int i = 0; i < k; ++i) amax = std::max(amax, std::fabs(row[i]));
    const float scale = amax > 0 ? amax / 127.0f : 1.0f;
    const float inv = 1.0f / scale;
    s->x_scale[r] = scale;
    int32_t* dst = s->x_pairs.data() + static_cast<size_t>(r) * k_pairs;
    for (int p = 0; p < k_pairs; ++p) {
      const int i = 2 * p;
      const int16_t a = static_cast<int16_t>(std::lrintf(row[i] * inv));
      const int16_t b = i + 1 < k ? static_cast<int16_t>(std::lrintf(row[i + 1] * inv)) : 0;
      dst[p] = static_cast<int32_t>(static_cast<uint16_t>(a) | static_cast<uint32_t>(static_cast<uint16_t>(b)) << 16);
    }
  }
}

// The portable kernel: same arithmetic, one column at a time.
void KernelScalar(const int32_t* xp, const float* xs, int m, int k_pairs, const int8_t* panels,
                  const float* wscale, int n, float* y) {
  const int num_panels = (n + Int8Matrix::kPanel - 1) / Int8Matrix::kPanel;
  for (int p = 0; p < num_panels; ++p) {
    const int8_t* panel = panels + static_cast<size_t>(p) * k_pairs * Int8Matrix::kPanel * 2;
    for (int r = 0; r < m; ++r) {
      const int32_t* xr = xp + static_cast<size_t>(r) * k_pairs;
      for (int c = 0; c < Int8Matrix::kPanel; ++c) {
        const int col = p * Int8Matrix::kPanel + c;
        if (col >= n) break;
        int32_t acc = 0;
        for (int kp = 0; kp < k_pairs; ++kp) {
          const int16_t a = static_cast<int16_t>(xr[kp] & 0xffff);
          const int16_t b = static_cast<int16_t>(static_cast<uint32_t>(xr[kp]) >> 16);
          const int8_t* w = panel + (static_cast<size_t>(kp) * Int8Matrix::kPanel + c) * 2;
          acc += a * w[0] + b * w[1];
        }
        y[static_cast<size_t>(r) * n + col] += static_cast<float>(acc) * xs[r] * wscale[col];
      }
    }
  }
}

// R rows x 16 columns; 2R int32 accumulators in registers.
template <int R>
__attribute__((target("avx2,fma"), always_inline)) inline void BlockAvx2(
    const int32_t* xp, const float* xs, int k_pairs, const int8_t* panel, const float* wscale,
    float* y, int ldy, int cols) {
  __m256i acc[R][2];
  for (int r = 0; r < R; ++r) acc[r][0] = acc[r][1] = _mm256_setzero_si256();
  for (int kp = 0; kp < k_pairs; ++kp) {
    const __m256i w8 = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(panel + kp * 32));
    const __m256i w_lo = _mm256_cvtepi8_epi16(_mm256_castsi256_si128(w8));
    const __m256i w_hi = _mm256_cvtepi8_epi16(_mm256_extracti128_si256(w8, 1));
    for (int r = 0; r < R; ++r) {
      const __m256i xb = _mm256_set1_epi32(xp[static_cast<size_t>(r) * k_pairs + kp]);
      acc[r][0] = _mm256_add_epi32(acc[r][0], _mm256_madd_epi16(xb, w_lo));
      acc[r][1] = _mm256_add_epi32(acc[r][1], _mm256_madd_epi16(xb, w_hi));
    }
  }
  const __m256 s_lo = _mm256_loadu_ps(wscale), s_hi = _mm256_loadu_ps(wscale + 8);
  for (int r = 0; r < R; ++r) {
    const __m256 sx = _mm256_set1_ps(xs[r]);
    float* yr = y + static_cast<size_t>(r) * ldy;
    const __m256 lo = _mm256_mul_ps(_mm256_cvtepi32_ps(acc[r][0]), _mm256_mul_ps(s_lo, sx));
    const __m256 hi = _mm256_mul_ps(_mm256_cvtepi32_ps(acc[r][1]), _mm256_mul_ps(s_hi, sx));
    if (cols == Int8Matrix::kPanel) {
      _mm256_storeu_ps(yr, _mm256_add_ps(_mm256_loadu_ps(yr), lo));
      _mm256_storeu_ps(yr + 8, _mm256_add_ps(_mm256_loadu_ps(yr + 8), hi));
    } else {  // the last, partial panel
      alignas(32) float tmp[16];
      _mm256_store_ps(tmp, lo);
      _mm256_store_ps(tmp + 8, hi);
      for (int c = 0; c < cols; ++c) yr[c] += tmp[c];
    }
  }
}

__attribute__((target("avx2,fma"))) void KernelAvx2(const int32_t* xp, const float* xs, int m,
                                                     int k_pairs, const int8_t* panels,
                                                     const float* wscale, int n, float* y) {
  constexpr int kRows = 6;
  const int num_panels = (n + Int8Matrix::kPanel - 1) / Int8Matrix::kPanel;
  for (int p = 0; p < num_panels; ++p) {
    const int8_t* panel = panels + static_cast<size_t>(p) * k_pairs * Int8Matrix::kPanel * 2;
    const int col0 = p * Int8Matrix::kPanel;
    const int cols = std::min(Int8Matrix::kPanel, n - col0);
    const float* ws = wscale + col0;
    int r = 0;
    for (; r + kRows <= m; r += kRows) {
      BlockAvx2<kRows>(xp + static_cast<size_t>(r) * k_pairs, xs + r, k_pairs, panel, ws,
                       y + static_cast<size_t>(r) * n + col0, n, cols);
    }
    const int32_t* xr = xp + static_cast<size_t>(r) * k_pairs;
    float* yr = y + static_cast<size_t>(r) * n + col0;
    switch (m - r) {
      case 5: BlockAvx2<5>(xr, xs + r, k_pairs, panel, ws, yr, n, cols); break;
      case 4: BlockAvx2<4>(xr, xs + r, k_pairs, panel, ws, yr, n, cols); break;
      case 3: BlockAvx2<3>(xr, xs + r, k_pairs, panel, ws, yr, n, cols); break;
      case 2: BlockAvx2<2>(xr, xs + r, k_pairs, panel, ws, yr, n, cols); break;
      case 1: BlockAvx2<1>(xr, xs + r, k_pairs, panel, ws, yr, n, cols); break;
      default: break;
    }
  }
}

bool HaveAvx2() {
  static const bool have = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return have;
}

}  // namespace

Int8Matrix::Int8Matrix(const float* w, int n, int k) : n_(n), k_(k), k_pairs_((k + 1) / 2) {
  const int num_panels = (n + kPanel - 1) / kPanel;
  panels_.assign(static_cast<size_t>(num_panels) * k_pairs_ * kPanel * 2, 0);
  scale_.assign(static_cast<size_t>(num_panels) * kPanel, 0.0f);
  for (int row = 0; row < n; ++row) {
    const float* src = w + static_cast<size_t>(row) * k;
    float amax = 0;
    for (int i = 0; i < k; ++i) amax = std::max(amax, std::fabs(src[i]));
    const float scale = amax > 0 ? amax / 127.0f : 1.0f;
    scale_[row] = scale;
    int8_t* panel = panels_.data() + static_cast<size_t>(row / kPanel) * k_pairs_ * kPanel * 2;
    const int c = row % kPanel;
    for (int i = 0; i < k; ++i) {
      const long q = std::lrintf(src[i] / scale);
      panel[(static_cast<size_t>(i / 2) * kPanel + c) * 2 + i % 2] =
          static_cast<int8_t>(std::clamp(q, -127L, 127L));
    }
  }
}

void Int8Matrix::MultiplyAccumulate(const float* x, int m, float* y, Int8Scratch* scratch) const {
  if (m <= 0) return;
  QuantizeRows(x, m, k_, k_pairs_, scratch);
  if (HaveAvx2()) {
    KernelAvx2(scratch->x_pairs.data(), scratch->x_scale.data(), m, k_pairs_, panels_.data(),
               scale_.data(), n_, y);
  } else {
    KernelScalar(scratch->x_pairs.data(), scratch->x_scale.data(), m, k_pairs_, panels_.data(),
                 scale_.data(), n_, y);
  }
}

}  // namespace stratamem::embed
