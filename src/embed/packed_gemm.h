// y[M,N] += x[M,K] * W^T for a fixed weight matrix W[N,K] (PyTorch Linear layout),
// with W re-packed once at load time into column panels.
//
// Why not BLAS here: for a single sentence M is ~10-30 rows, and OpenBLAS then
// spends most of its time re-packing the 40 MB of weights on every call (profiled:
// ~13 GFLOPS, 25 ms per sentence). Pre-packed panels are streamed once per call
// and reused from L1 for every row, which keeps small-M products memory-bound.
#ifndef STRATAMEM_EMBED_PACKED_GEMM_H_
#define STRATAMEM_EMBED_PACKED_GEMM_H_

#include <vector>

namespace stratamem::embed {

class PackedMatrix {
 public:
  static constexpr int kPanel = 16;  // output columns per panel

  PackedMatrix() = default;
  // w: row-major [n, k].
  PackedMatrix(const float* w, int n, int k);

  int n() const { return n_; }
  int k() const { return k_; }

  // y (row-major [m, n], already holding bias/residual) += x (row-major [m, k]) * W^T.
  // Each output element is computed in the same order whatever m is, so a
  // sentence gets bit-identical results alone or in a batch.
  void MultiplyAccumulate(const float* x, int m, float* y) const;

 private:
  int n_ = 0, k_ = 0;
  std::vector<float> panels_;  // [ceil(n/16)][k][16], zero-padded past n
};

}  // namespace stratamem::embed

#endif  // STRATAMEM_EMBED_PACKED_GEMM_H_
