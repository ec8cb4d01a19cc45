#include "protocol/echo_guard.h"

#include <cstdint>
#include <utility>

namespace stratamem::protocol {
namespace {

bool IsAsciiSpace(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Four hex digits at s[i], or -1.
int32_t Hex4(std::string_view s, size_t i) {
  if (i + 4 > s.size()) return -1;
  int32_t v = 0;
  for (size_t k = 0; k < 4; ++k) {
    int d = HexValue(s[i + k]);
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Decodes the JSON escape at s[i] == '\\' into *out; returns the bytes used
// (1 when it is no escape: the backslash is kept as it is).
size_t DecodeEscape(std::string_view s, size_t i, std::string* out) {
  if (i + 1 >= s.size()) {
    out->push_back('\\');
    return 1;
  }
  char c = s[i + 1];
  switch (c) {
    case '"': case '\\': case '/': out->push_back(c); return 2;
    case 'n': case 't': case 'r': case 'b': case 'f': out->push_back(' '); return 2;
    case 'u': {
      int32_t hi = Hex4(s, i + 2);
      if (hi < 0) break;
      uint32_t cp = static_cast<uint32_t>(hi);
      size_t used = 6;
      if (hi >= 0xD800 && hi <= 0xDBFF && i + 8 <= s.size() && s[i + 6] == '\\' && s[i + 7] == 'u') {
        int32_t lo = Hex4(s, i + 8);
        if (lo >= 0xDC00 && lo <= 0xDFFF) {
          cp = 0x10000 + ((static_cast<uint32_t>(hi) - 0xD800) << 10) + (static_cast<uint32_t>(lo) - 0xDC00);
          used = 12;
        }
      }
      AppendUtf8(cp, out);
      return used;
    }
    default: break;
  }
  out->push_back('\\');
  return 1;
}

// Knuth-Morris-Pratt: is `needle` in `hay`? O(|hay| + |needle|) whatever the input.
bool Contains(std::string_view hay, std::string_view needle) {
  if (needle.empty()) return true;
  if (needle.size() > hay.size()) return false;
  std::vector<size_t> fail(needle.size(), 0);
  for (size_t i = 1, k = 0; i < needle.size(); ++i) {
    while (k > 0 && needle[i] != needle[k]) k = fail[k - 1];
    if (needle[i] == needle[k]) ++k;
    fail[i] = k;
  }
  for (size_t i = 0, k = 0; i < hay.size(); ++i) {
    while (k > 0 && hay[i] != needle[k]) k = fail[k - 1];
    if (hay[i] == needle[k]) ++k;
    if (k == needle.size()) return true;
  }
  return false;
}

}  // namespace

std::string NormaliseForEcho(std::string_view text) {
  // Escapes first, so "\u0020" and "\n" fold into whitespace like the real ones.
  std::string decoded;
  decoded.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    if (text[i] == '\\') {
      i += DecodeEscape(text, i, &decoded);
    } else {
      decoded.push_back(text[i++]);
    }
  }
  std::string out;
  out.reserve(decoded.size());
  bool space = false;
  for (unsigned char c : decoded) {
    if (IsAsciiSpace(c)) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
  }
  return out;
}

void EchoGuard::AddMessage(const std::vector<std::string>& parts) {
  if (parts.empty()) return;
  std::string joined, spaced;
  for (size_t i = 0; i < parts.size(); ++i) {
    joined += parts[i];
    if (i > 0) spaced += ' ';
    spaced += parts[i];
  }
  texts_.push_back(NormaliseForEcho(joined));
  if (parts.size() > 1) texts_.push_back(NormaliseForEcho(spaced));
}

bool EchoGuard::IsEchoed(const Fact& fact) const {
  std::string needle = NormaliseForEcho(fact.content);
  if (needle.empty()) return false;
  for (const std::string& text : texts_) {
    if (Contains(text, needle)) return true;
  }
  return false;
}

std::vector<Fact> EchoGuard::OwnFacts(std::vector<Fact> facts) const {
  std::vector<Fact> kept;
  for (Fact& fact : facts) {
    if (!IsEchoed(fact)) kept.push_back(std::move(fact));
  }
  return kept;
}

}  // namespace stratamem::protocol
