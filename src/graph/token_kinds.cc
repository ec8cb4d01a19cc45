#include "graph/token_kinds.h"

#include <string>
#include <vector>

#include "graph/lexicon.h"
#include "graph/mention.h"
#include "graph/words.h"

namespace stratamem::graph {
namespace {

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }

bool HasAsciiLetter(std::string_view s) {
  for (char c : s) {
    if (IsAsciiLetter(c)) return true;
  }
  return false;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t i = 0;
  for (;;) {
    size_t j = s.find(sep, i);
    out.push_back(s.substr(i, j == std::string_view::npos ? std::string_view::npos : j - i));
    if (j == std::string_view::npos) break;
    i = j + 1;
  }
  return out;
}

bool IsIdentifier(std::string_view s) {
  if (s.empty() || IsDigit(s[0])) return false;
  for (char c : s) {
    if (!IsIdentChar(c)) return false;
  }
  return HasAsciiLetter(s);
}

// Two or more non-empty labels of letters, digits and '-' ("acme", "dev").
bool AreHostLabels(const std::vector<std::string_view>& labels) {
  if (labels.size() < 2) return false;
  for (std::string_view l : labels) {
    if (l.empty()) return false;
    for (char c : l) {
      if (!(IsAsciiLetter(c) || IsDigit(c) || c == '-')) return false;
    }
  }
  return true;
}

bool IsEmail(std::string_view t) {
  size_t at = t.find('@');
  if (at == std::string_view::npos || at == 0 || t.find('@', at + 1) != std::string_view::npos) return false;
  for (size_t i = 0; i < at; ++i) {
    char c = t[i];
    if (!(IsIdentChar(c) || c == '.' || c == '%' || c == '+' || c == '-')) return false;
  }
  std::vector<std::string_view> labels = Split(t.substr(at + 1), '.');
  if (!AreHostLabels(labels)) return false;
  std::string_view tld = labels.back();
  return tld.size() >= 2 && IsAsciiLetter(tld[0]);
}

// "host.tld", "host.tld:port", "host.tld/path": a known top-level domain, or
// a port. A two-label name whose last label is also a file extension
// ("setup.sh") is a file.
bool IsHostUrl(std::string_view t) {
  size_t end = t.find('/');
  std::string_view host = t.substr(0, end);
  bool port = false;
  size_t colon = host.find(':');
  if (colon != std::string_view::npos) {
    std::string_view p = host.substr(colon + 1);
    if (p.empty() || p.size() > 5) return false;
    for (char c : p) {
      if (!IsDigit(c)) return false;
    }
    port = true;
    host = host.substr(0, colon);
  }
  std::vector<std::string_view> labels = Split(host, '.');
  if (!AreHostLabels(labels) || !HasAsciiLetter(labels[0])) return false;
  std::string tld = AsciiLower(labels.back());
  if (port) return HasAsciiLetter(tld);
  if (!IsTopLevelDomain(tld)) return false;
  if (labels.size() == 2 && IsFileExtension(tld)) return false;
  // Capitalised words glued by a period ("Self.Take") are not hosts.
  for (std::string_view l : labels) {
    for (char c : l) {
      if (IsUpper(c)) return tld == "com" || tld == "org" || tld == "net";
    }
  }
  return true;
}

bool IsPath(std::string_view t) {
  if (t.size() >= 2 && (t[0] == '/' || t.substr(0, 2) == "~/" || t.substr(0, 2) == "./" ||
                        (t.size() >= 3 && t.substr(0, 3) == "../"))) {
    return HasAsciiLetter(t);
  }
  if (t.size() >= 3 && IsAsciiLetter(t[0]) && t[1] == ':' && t[2] == '\\') return true;
  size_t slashes = 0;
  for (char c : t) slashes += c == '/';
  std::vector<std::string_view> parts = Split(t, '/');
  std::string_view last = parts.back();
  size_t dot = last.rfind('.');
  bool ext = dot != std::string_view::npos && dot > 0 && dot + 1 < last.size() &&
             IsFileExtension(AsciiLower(last.substr(dot + 1))) && HasAsciiLetter(last.substr(0, dot));
  if (slashes > 0) {
    for (std::string_view p : parts) {
      for (char c : p) {
        if (!(IsIdentChar(c) || c == '.' || c == '-' || c == '{' || c == '}' || c == '@' || c == '+')) return false;
      }
    }
    if (!HasAsciiLetter(t)) return false;
    return ext || t.back() == '/' || slashes >= 2;
  }
  // One file name: "uv.lock", "backup_to_s3.sh", ".editorconfig", "Dockerfile".
  for (char c : t) {
    if (!(IsIdentChar(c) || c == '.' || c == '-')) return false;
  }
  if (t[0] == '.' && t.size() >= 3 && IsAsciiLetter(t[1])) {
    return t.find('.', 1) == std::string_view::npos || ext;
  }
  if (ext) {
    // "Node.js", "Vue.js": a capitalised stem before .js is a product.
    std::string lext = AsciiLower(last.substr(dot + 1));
    if (IsUpper(t[0]) && (lext == "js" || lext == "ts" || lext == "io")) return false;
    return Split(t, '.').size() <= 3;
  }
  std::string lower = AsciiLower(t);
  if (IsBareFileName(lower)) {
    bool all_caps = true;
    for (char c : t) all_caps &= !IsLower(c);
    return all_caps || (lower != "license" && lower != "readme" && lower != "changelog");
  }
  return false;
}

// Camel case that is a brand, not code: a prefix of at most two lower-case
// letters ("iCloud", "eBay", "iOS") or a word then capitals ("macOS").
bool IsCamelBrand(std::string_view t) {
  size_t prefix = 0;
  while (prefix < t.size() && IsLower(t[prefix])) ++prefix;
  if (prefix <= 2) return true;
  for (size_t i = prefix; i < t.size(); ++i) {
    if (!IsUpper(t[i])) return false;
  }
  return true;
}

bool IsCode(std::string_view t) {
  if (t.size() >= 2 && t[0] == '#') {
    std::string_view rest = t.substr(1);
    bool digits = true;
    for (char c : rest) digits &= IsDigit(c);
    if (digits) return true;
    if (!IsLower(rest[0])) return false;
    for (char c : rest) {
      if (!(IsIdentChar(c) || c == '-')) return false;
    }
    return true;
  }
  if (t.size() >= 3 && t.substr(0, 2) == "--" && IsAsciiLetter(t[2])) return true;
  if (t.find("::") != std::string_view::npos) {
    for (std::string_view part : Split(t, ':')) {
      if (!part.empty() && !IsIdentifier(part)) return false;
    }
    return true;
  }
  size_t paren = t.find('(');
  if (paren != std::string_view::npos && paren > 0 && t.back() == ')') {
    return IsIdentifier(t.substr(0, paren)) || IsCode(t.substr(0, paren));
  }
  size_t colon = t.find(':');
  if (colon != std::string_view::npos && colon > 0 && colon + 1 < t.size()) {
    // An image or package reference: "python:3.12-slim", "node:20".
    std::string_view name = t.substr(0, colon), tag = t.substr(colon + 1);
    bool ok = IsLower(name[0]) && IsDigit(tag[0]);
    for (char c : name) ok &= IsIdentChar(c) || c == '-' || c == '/' || c == '.';
    for (char c : tag) ok &= IsIdentChar(c) || c == '-' || c == '.';
    return ok;
  }
  if (t.find('.') != std::string_view::npos) {
    std::vector<std::string_view> parts = Split(t, '.');
    bool cased = false;
    for (std::string_view p : parts) {
      if (!IsIdentifier(p)) return false;
      for (char c : p) cased |= IsUpper(c) || c == '_';
    }
    return parts[0].size() >= 2 && (cased || parts.size() >= 3);
  }
  if (!IsIdentifier(t)) return false;
  size_t under = t.find('_');
  if (under != std::string_view::npos && under > 0 && under + 1 < t.size()) return true;
  if (IsLower(t[0])) {
    for (char c : t) {
      if (IsUpper(c)) return !IsCamelBrand(t);
    }
  }
  return false;
}

}  // namespace

bool IsIdentChar(char c) { return IsAsciiLetter(c) || IsDigit(c) || c == '_'; }

std::string_view TokenKind(std::string_view t) {
  if (t.size() < 2) return {};
  if (t.find("://") != std::string_view::npos) {
    size_t scheme = t.find("://");
    bool ok = scheme > 0 && IsAsciiLetter(t[0]);
    for (size_t i = 0; i < scheme; ++i) ok &= IsAsciiLetter(t[i]) || IsDigit(t[i]) || t[i] == '+' || t[i] == '.';
    return ok && t.size() > scheme + 3 ? kUrl : std::string_view();
  }
  if (IsEmail(t)) return kEmail;
  if (t.size() > 4 && AsciiLower(t.substr(0, 4)) == "www.") return kUrl;
  if (IsHostUrl(t)) return kUrl;
  if (IsPath(t)) return kPath;
  if (IsCode(t)) return kCode;
  return {};
}

}  // namespace stratamem::graph
