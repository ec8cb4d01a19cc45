// STRATAMEM_MULTIVERSION: compile a hot function for AVX-512, AVX2+FMA and baseline
// x86-64 and pick one at load time, so a portable build still uses the CPU it runs on.
#ifndef STRATAMEM_UTIL_MULTIVERSION_H_
#define STRATAMEM_UTIL_MULTIVERSION_H_

// Off under sanitizers: the load-time resolver (an ifunc) runs before the
// sanitizer runtime is initialised and crashes an instrumented binary.
#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
#define STRATAMEM_MULTIVERSION
#elif defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define STRATAMEM_MULTIVERSION \
  __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define STRATAMEM_MULTIVERSION
#endif

#endif  // STRATAMEM_UTIL_MULTIVERSION_H_
