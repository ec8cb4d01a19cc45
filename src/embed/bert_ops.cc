#include "embed/bert_ops.h"

#include <cblas.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace memstrata::embed {

void GemmAccumulate(const float* x, const float* w, float* y, int m, int n, int k) {
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, k, 1.0f, x, k, w, k, 1.0f, y, n);
}

void FillRows(float* y, const float* bias, const float* residual, int rows, int n) {
  for (int r = 0; r < rows; ++r) {
    float* row = y + static_cast<size_t>(r) * n;
    if (residual) {
      const float* res = residual + static_cast<size_t>(r) * n;
      for (int i = 0; i < n; ++i) row[i] = bias[i] + res[i];
    } else {
      std::memcpy(row, bias, sizeof(float) * n);
    }
  }
}

void LayerNorm(float* x, const float* gamma, const float* beta, int rows, int n, float eps) {
  for (int r = 0; r < rows; ++r) {
    float* row = x + static_cast<size_t>(r) * n;
    float sum = 0;
    for (int i = 0; i < n; ++i) sum += row[i];
    const float mean = sum / n;
    float var = 0;
    for (int i = 0; i < n; ++i) {
      const float d = row[i] - mean;
      var += d * d;
    }
    const float inv = 1.0f / std::sqrt(var / n + eps);
    for (int i = 0; i < n; ++i) row[i] = (row[i] - mean) * inv * gamma[i] + beta[i];
  }
}

void GeluErf(float* x, size_t n) {
  constexpr float kInvSqrt2 = 0.70710678118654752f;
  for (size_t i = 0; i < n; ++i) x[i] = 0.5f * x[i] * (1.0f + std::erf(x[i] * kInvSqrt2));
}

void GeluTanh(float* x, size_t n) {
  constexpr float kSqrt2OverPi = 0.79788456080286536f;
  for (size_t i = 0; i < n; ++i) {
    const float v = x[i];
    x[i] = 0.5f * v * (1.0f + std::tanh(kSqrt2OverPi * (v + 0.044715f * v * v * v)));
  }
}

void SoftmaxRows(float* x, int rows, int n) {
  for (int r = 0; r < rows; ++r) {
    float* row = x + static_cast<size_t>(r) * n;
    const float mx = *std::max_element(row, row + n);
    float sum = 0;
    for (int i = 0; i < n; ++i) {
      row[i] = std::exp(row[i] - mx);
      sum += row[i];
    }
    const float inv = 1.0f / sum;
    for (int i = 0; i < n; ++i) row[i] *= inv;
  }
}

void L2Normalize(float* v, int n) {
  double ss = 0;
  for (int i = 0; i < n; ++i) ss += static_cast<double>(v[i]) * v[i];
  const float inv = static_cast<float>(1.0 / std::max(std::sqrt(ss), 1e-12));
  for (int i = 0; i < n; ++i) v[i] *= inv;
}

}  // namespace memstrata::embed
