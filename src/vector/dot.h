// Inner products over float32 vectors (cosine for unit vectors).
#ifndef STRATAMEM_VECTOR_DOT_H_
#define STRATAMEM_VECTOR_DOT_H_

#include <cstddef>
#include <vector>

namespace stratamem {

// Picks an AVX2/FMA build on CPUs that have it (GCC function multiversioning).
float Dot(const float* a, const float* b, size_t n);

// Scales v to unit length; returns false for a zero or non-finite vector.
bool L2Normalize(std::vector<float>* v);

}  // namespace stratamem

#endif  // STRATAMEM_VECTOR_DOT_H_
