// Symbol visibility for the stratamem library. The library is built with
// hidden visibility; only what is marked STRATAMEM_EXPORT is part of the ABI.
#ifndef STRATAMEM_EXPORT_H_
#define STRATAMEM_EXPORT_H_

#if defined(STRATAMEM_SHARED_LIBRARY)
#if defined(STRATAMEM_COMPILE_LIBRARY)
#define STRATAMEM_EXPORT __attribute__((visibility("default")))
#else
#define STRATAMEM_EXPORT
#endif
#else
#define STRATAMEM_EXPORT
#endif

#endif  // STRATAMEM_EXPORT_H_
