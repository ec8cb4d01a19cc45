#include "fts/fts_query.h"

#include <set>
#include <vector>

namespace memstrata {

std::string BuildFtsQuery(std::string_view text, size_t max_terms) {
  std::vector<std::string> terms;
  std::set<std::string> seen;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty() && terms.size() < max_terms && seen.insert(cur).second) terms.push_back(cur);
    cur.clear();
  };
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    bool word = (u >= 0x80) || (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') ||
                u == '_';
    if (word) {
      cur.push_back(c);
    } else {
      flush();
    }
  }
  flush();
  std::string out;
  for (const auto& t : terms) {
    if (!out.empty()) out += " OR ";
    out += '"';
    out += t;  // words contain no '"' by construction
    out += '"';
  }
  return out;
}

}  // namespace memstrata
