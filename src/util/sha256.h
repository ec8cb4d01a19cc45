// SHA-256 (FIPS 180-4), used for content hashes. Small and dependency-free.
#ifndef MEMSTRATA_UTIL_SHA256_H_
#define MEMSTRATA_UTIL_SHA256_H_

#include <string>
#include <string_view>

namespace memstrata {

// Lower-case hex digest of `data`.
std::string Sha256Hex(std::string_view data);

}  // namespace memstrata

#endif  // MEMSTRATA_UTIL_SHA256_H_
