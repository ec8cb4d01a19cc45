// Symbol visibility for the memstrata library. The library is built with
// hidden visibility; only what is marked MEMSTRATA_EXPORT is part of the ABI.
#ifndef MEMSTRATA_EXPORT_H_
#define MEMSTRATA_EXPORT_H_

#if defined(MEMSTRATA_SHARED_LIBRARY)
#if defined(MEMSTRATA_COMPILE_LIBRARY)
#define MEMSTRATA_EXPORT __attribute__((visibility("default")))
#else
#define MEMSTRATA_EXPORT
#endif
#else
#define MEMSTRATA_EXPORT
#endif

#endif  // MEMSTRATA_EXPORT_H_
