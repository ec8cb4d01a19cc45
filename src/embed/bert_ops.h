// The element-wise and row-wise kernels of a BERT forward pass (the matrix
// products are in packed_gemm.h). Plain functions over row-major float arrays.
#ifndef STRATAMEM_EMBED_BERT_OPS_H_
#define STRATAMEM_EMBED_BERT_OPS_H_

#include <cstddef>

namespace stratamem::embed {

// Each of the `rows` rows of y (width n) becomes bias (+ residual row if not null).
void FillRows(float* y, const float* bias, const float* residual, int rows, int n);
// In place, per row: (x - mean) / sqrt(var + eps) * gamma + beta.
void LayerNorm(float* x, const float* gamma, const float* beta, int rows, int n, float eps);
// In place: x * 0.5 * (1 + erf(x / sqrt(2))), the exact GELU of HF's "gelu".
void GeluErf(float* x, size_t n);
// In place: tanh approximation ("gelu_new", "gelu_pytorch_tanh").
void GeluTanh(float* x, size_t n);
// In place, each row of width n becomes its softmax.
void SoftmaxRows(float* x, int rows, int n);
// Scales v[n] to unit L2 norm (divides by max(norm, 1e-12) like torch's F.normalize).
void L2Normalize(float* v, int n);

}  // namespace stratamem::embed

#endif  // STRATAMEM_EMBED_BERT_OPS_H_
