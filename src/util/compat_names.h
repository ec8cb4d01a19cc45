// The project was called memstrata until 2026-12 (that name belongs to another
// project on PyPI). Files written under the old name keep opening: this header
// and the tests of it are the only code that still spells it.
#ifndef STRATAMEM_UTIL_COMPAT_NAMES_H_
#define STRATAMEM_UTIL_COMPAT_NAMES_H_

namespace stratamem {

// meta('magic') of stores written before the rename; accepted on open and
// replaced by kStoreMagic when the store is opened for writing.
inline constexpr const char* kLegacyStoreMagic = "memstrata-store";
// The first 8 bytes of HNSW sidecars written before the rename; accepted on
// load, never written.
inline constexpr char kLegacySidecarMagic[8] = {'M', 'S', 'T', 'R', 'H', 'N', 'S', 'W'};

}  // namespace stratamem

#endif  // STRATAMEM_UTIL_COMPAT_NAMES_H_
