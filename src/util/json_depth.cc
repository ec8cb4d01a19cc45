#include "stratamem/limits.h"

namespace stratamem {

int JsonNestingDepth(std::string_view s, int stop_after) {
  int depth = 0, deepest = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '"') {
      for (++i; i < s.size() && s[i] != '"'; ++i) {
        if (s[i] == '\\') ++i;
      }
    } else if (c == '{' || c == '[') {
      if (++depth > deepest && (deepest = depth) > stop_after) return deepest;
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

}  // namespace stratamem
