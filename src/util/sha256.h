// SHA-256 (FIPS 180-4), used for content hashes. Small and dependency-free.
#ifndef STRATAMEM_UTIL_SHA256_H_
#define STRATAMEM_UTIL_SHA256_H_

#include <string>
#include <string_view>

namespace stratamem {

// Lower-case hex digest of `data`.
std::string Sha256Hex(std::string_view data);

}  // namespace stratamem

#endif  // STRATAMEM_UTIL_SHA256_H_
