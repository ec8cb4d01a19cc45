// y[M,N] += x[M,K] * W^T in 8-bit integers, for a fixed weight matrix W[N,K]
// (PyTorch Linear layout) quantised once at load.
//
// Weights: symmetric int8 per output channel (scale = max|w_row| / 127).
// Activations: symmetric int8 per row, quantised on every call (scale =
// max|x_row| / 127), so an outlier in one token does not coarsen another's.
// Products are exact: int8 values widened to int16 and multiplied pairwise
// into int32 (vpmaddwd), which cannot overflow for K < 2^16 and, unlike the
// u8 x s8 instruction (vpmaddubsw) that CPUs without VNNI offer, never
// saturates. Memory: a quarter of the float32 panels, which is what makes a
// short sentence faster: its products are bound by streaming the weights.
#ifndef STRATAMEM_EMBED_INT8_GEMM_H_
#define STRATAMEM_EMBED_INT8_GEMM_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace stratamem::embed {

// Per-call scratch: the quantised activations (reused, grows to the largest call).
struct Int8Scratch {
  std::vector<int32_t> x_pairs;  // [m][k/2], each two int16 (k even, k odd)
  std::vector<float> x_scale;    // [m]
};

class Int8Matrix {
 public:
  static constexpr int kPanel = 16;  // output columns per panel

  Int8Matrix() = default;
  // w: row-major [n, k] float32.
  Int8Matrix(const float* w, int n, int k);

  int n() const { return n_; }
  int k() const { return k_; }
  size_t bytes() const { return panels_.size() + scale_.size() * sizeof(float); }

  // y (row-major [m, n], already holding bias/residual) += x * W^T, approximately.
  void MultiplyAccumulate(const float* x, int m, float* y, Int8Scratch* scratch) const;

 private:
  int n_ = 0, k_ = 0, k_pairs_ = 0;
  // [ceil(n/16)][k_pairs][16 columns][2]: the two k of a pair side by side, so
  // one 32-bit lane of a widened register is one column's pair.
  std::vector<int8_t> panels_;
  std::vector<float> scale_;  // [ceil(n/16) * 16], 0 past n
};

}  // namespace stratamem::embed

#endif  // STRATAMEM_EMBED_INT8_GEMM_H_
