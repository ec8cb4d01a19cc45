// Small dense matrix products for the BERT forward pass, on operands packed
// into 16-column panels: y[M,N] += x[M,K] * B[K,N].
//
// Why not BLAS: for a single sentence M is ~10-30 rows, and OpenBLAS then
// spends most of its time re-packing the 40 MB of weights on every call (profiled:
// ~13 GFLOPS, 25 ms per sentence). Pre-packed panels are streamed once per call
// and reused from L1 for every row, which keeps small-M products memory-bound.
// The attention products (Q K^T and P V per head) pack their right operand per
// call into a reused buffer; it is small (sequence length x head size), so the
// engine needs no BLAS library at all.
#ifndef STRATAMEM_EMBED_PACKED_GEMM_H_
#define STRATAMEM_EMBED_PACKED_GEMM_H_

#include <vector>

namespace stratamem::embed {

constexpr int kPanelWidth = 16;  // output columns per panel

// Packs B = W^T for W row-major [n, k] with row stride ldw (PyTorch Linear
// layout, or the keys K of one head) into `panels`, zero-padded past n.
void PackTransposed(const float* w, int n, int k, int ldw, std::vector<float>* panels);
// Packs B row-major [k, n] with row stride ldb (the values V of one head).
void PackRows(const float* b, int k, int n, int ldb, std::vector<float>* panels);

// y (row-major [m, n], row stride ldy, already holding bias/residual or zeros)
// += x (row-major [m, k], row stride ldx) * B, with B packed by one of the above.
// Each output element is summed in the same order whatever m is, so a sentence
// gets bit-identical results alone or in a batch.
void MultiplyPacked(const float* x, int ldx, int m, int k, const float* panels, int n, float* y,
                    int ldy);
// The same, y = x * B: y's old contents are never read (no need to clear it).
void MultiplyPackedInto(const float* x, int ldx, int m, int k, const float* panels, int n, float* y,
                        int ldy);

// A fixed weight matrix W[n, k] (PyTorch Linear layout), packed once at load.
class PackedMatrix {
 public:
  PackedMatrix() = default;
  // w: row-major [n, k].
  PackedMatrix(const float* w, int n, int k) : n_(n), k_(k) { PackTransposed(w, n, k, k, &panels_); }

  int n() const { return n_; }
  int k() const { return k_; }

  // y (row-major [m, n], already holding bias/residual) += x (row-major [m, k]) * W^T.
  void MultiplyAccumulate(const float* x, int m, float* y) const {
    MultiplyPacked(x, k_, m, k_, panels_.data(), n_, y, n_);
  }

 private:
  int n_ = 0, k_ = 0;
  std::vector<float> panels_;  // [ceil(n/16)][k][16], zero-padded past n
};

}  // namespace stratamem::embed

#endif  // STRATAMEM_EMBED_PACKED_GEMM_H_
