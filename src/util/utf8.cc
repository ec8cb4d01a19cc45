#include "util/utf8.h"

#include <utf8proc.h>

#include <cstdlib>

namespace stratamem {

bool IsValidUtf8(std::string_view s, size_t* bad_offset) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  size_t n = s.size(), i = 0;
  while (i < n) {
    unsigned char c = p[i];
    size_t len;
    uint32_t cp;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2; cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3; cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4; cp = c & 0x07;
    } else {
      if (bad_offset) *bad_offset = i;
      return false;
    }
    if (i + len > n) {
      if (bad_offset) *bad_offset = i;
      return false;
    }
    for (size_t k = 1; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) {
        if (bad_offset) *bad_offset = i;
        return false;
      }
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    bool overlong = (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      if (bad_offset) *bad_offset = i;
      return false;
    }
    i += len;
  }
  return true;
}

namespace {
bool IsSpaceCodepoint(utf8proc_int32_t cp) {
  if (cp == ' ' || (cp >= 0x09 && cp <= 0x0D) || cp == 0x85 || cp == 0x200B || cp == 0xFEFF) return true;
  utf8proc_category_t cat = utf8proc_category(cp);
  return cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_ZL || cat == UTF8PROC_CATEGORY_ZP;
}
}  // namespace

bool NextCodepoint(std::string_view s, size_t* i, int32_t* cp) {
  if (*i >= s.size()) return false;
  utf8proc_int32_t c;
  utf8proc_ssize_t len = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data()) + *i,
                                          static_cast<utf8proc_ssize_t>(s.size() - *i), &c);
  if (len <= 0) return false;
  *i += static_cast<size_t>(len);
  *cp = c;
  return true;
}

bool IsBlank(std::string_view s) {
  size_t i = 0;
  int32_t cp;
  while (NextCodepoint(s, &i, &cp)) {
    if (!IsSpaceCodepoint(cp)) return false;
  }
  return i == s.size();
}

std::string NormalizeForHash(std::string_view s) {
  utf8proc_uint8_t* mapped = nullptr;
  utf8proc_ssize_t len = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
                                      static_cast<utf8proc_ssize_t>(s.size()), &mapped,
                                      static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                                                                     UTF8PROC_COMPAT | UTF8PROC_CASEFOLD));
  std::string folded = len >= 0 ? std::string(reinterpret_cast<char*>(mapped), static_cast<size_t>(len))
                                : std::string(s);
  std::free(mapped);
  std::string out;
  out.reserve(folded.size());
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(folded.data());
  utf8proc_ssize_t n = static_cast<utf8proc_ssize_t>(folded.size()), i = 0;
  bool pending_space = false;
  while (i < n) {
    utf8proc_int32_t cp;
    utf8proc_ssize_t l = utf8proc_iterate(p + i, n - i, &cp);
    if (l <= 0) break;
    if (IsSpaceCodepoint(cp)) {
      pending_space = !out.empty();
    } else {
      if (pending_space) out.push_back(' ');
      pending_space = false;
      out.append(folded, static_cast<size_t>(i), static_cast<size_t>(l));
    }
    i += l;
  }
  return out;
}

}  // namespace stratamem
