// MEMSTRATA_MULTIVERSION: compile a hot function for AVX-512, AVX2+FMA and baseline
// x86-64 and pick one at load time, so a portable build still uses the CPU it runs on.
#ifndef MEMSTRATA_EMBED_MULTIVERSION_H_
#define MEMSTRATA_EMBED_MULTIVERSION_H_

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define MEMSTRATA_MULTIVERSION \
  __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define MEMSTRATA_MULTIVERSION
#endif

#endif  // MEMSTRATA_EMBED_MULTIVERSION_H_
