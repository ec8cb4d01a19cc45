// UTF-8 checks and the text normalisation behind content hashes.
#ifndef STRATAMEM_UTIL_UTF8_H_
#define STRATAMEM_UTIL_UTF8_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace stratamem {

// True when `s` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
// On failure *bad_offset is the byte offset of the first bad sequence.
bool IsValidUtf8(std::string_view s, size_t* bad_offset = nullptr);

// Decodes the code point at s[*i] into *cp and moves *i past it; false at
// the end of `s` or at a malformed sequence.
bool NextCodepoint(std::string_view s, size_t* i, int32_t* cp);

// True when `s` (valid UTF-8) has no character other than white space.
bool IsBlank(std::string_view s);

// NFKC, case-folded, white space runs collapsed to one space and trimmed:
// two texts that normalise equally state the same fact for dedup purposes.
std::string NormalizeForHash(std::string_view s);

}  // namespace stratamem

#endif  // STRATAMEM_UTIL_UTF8_H_
