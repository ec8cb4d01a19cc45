#include "store/dedup.h"

#include <algorithm>
#include <string>
#include <vector>

#include "util/utf8.h"

namespace stratamem {
namespace {

struct Words {
  std::vector<std::string> words;    // every word, numbers included
  std::vector<std::string> numbers;  // every run of digits, also inside words ("3pm")
};

Words Split(std::string_view text) {
  std::string norm = NormalizeForHash(text);
  Words out;
  std::string cur, number;
  auto flush_number = [&] {
    if (!number.empty()) out.numbers.push_back(std::move(number));
    number.clear();
  };
  auto flush = [&] {
    flush_number();
    if (!cur.empty()) out.words.push_back(std::move(cur));
    cur.clear();
  };
  for (char c : norm) {
    unsigned char u = static_cast<unsigned char>(c);
    bool is_digit = u >= '0' && u <= '9';
    bool word = is_digit || u >= 0x80 || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z');
    if (!word) {
      flush();
      continue;
    }
    cur.push_back(c);
    if (is_digit) {
      number.push_back(c);
    } else {
      flush_number();
    }
  }
  flush();
  return out;
}

size_t WordEditDistance(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

bool SameWordsNearly(std::string_view a, std::string_view b) {
  Words wa = Split(a), wb = Split(b);
  if (wa.numbers != wb.numbers) return false;
  size_t longest = std::max(wa.words.size(), wb.words.size());
  size_t allowed = std::max<size_t>(1, longest / 5);
  if ((wa.words.size() > wb.words.size() ? wa.words.size() - wb.words.size()
                                         : wb.words.size() - wa.words.size()) > allowed) {
    return false;
  }
  return WordEditDistance(wa.words, wb.words) <= allowed;
}

}  // namespace stratamem
