// Inner products over float32 vectors (cosine for unit vectors).
#ifndef MEMSTRATA_VECTOR_DOT_H_
#define MEMSTRATA_VECTOR_DOT_H_

#include <cstddef>
#include <vector>

namespace memstrata {

// Picks an AVX2/FMA build on CPUs that have it (GCC function multiversioning).
float Dot(const float* a, const float* b, size_t n);

// Scales v to unit length; returns false for a zero or non-finite vector.
bool L2Normalize(std::vector<float>* v);

}  // namespace memstrata

#endif  // MEMSTRATA_VECTOR_DOT_H_
