#include "graph/fold.h"

#include <algorithm>

#include "graph/lexicon.h"
#include "graph/mention.h"
#include "util/utf8.h"

namespace stratamem::graph {
namespace {

void ReplaceAll(std::string* s, std::string_view from, std::string_view to) {
  for (size_t at = s->find(from); at != std::string::npos; at = s->find(from, at + to.size())) {
    s->replace(at, from.size(), to);
  }
}

bool IsTrailingPunct(char c) { return c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?'; }
bool IsQuote(char c) { return c == '"' || c == '\'' || c == '`'; }

bool IsNameType(std::string_view type) { return type == kName || type == kPerson || type == kTitle; }

}  // namespace

double RoleWeight(MentionRole role) {
  switch (role) {
    case MentionRole::kSubject: return 1.0;
    case MentionRole::kAddressee: return 0.25;
    case MentionRole::kMention: break;
  }
  return 0.5;
}

int TypeRank(std::string_view type) {
  if (type == kPerson) return 5;
  if (type == kName) return 0;
  if (type == kTitle) return 3;
  if (type == kCode || type == kPath || type == kUrl || type == kEmail || type == kDate || type == kQuantity) {
    return 2;
  }
  return 4;  // an inline type says more than any guess but "person"
}

std::vector<std::string_view> KeyWords(std::string_view key) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < key.size()) {
    size_t j = key.find(' ', i);
    if (j == std::string_view::npos) j = key.size();
    if (j > i) out.push_back(key.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

std::string FoldEntityKey(std::string_view surface, std::string_view type) {
  std::string s = NormalizeForHash(surface);
  ReplaceAll(&s, "\xE2\x80\x99", "'");  // ’
  ReplaceAll(&s, "\xE2\x80\x98", "'");  // ‘
  ReplaceAll(&s, "\xE2\x80\x9C", "\"");  // “
  ReplaceAll(&s, "\xE2\x80\x9D", "\"");  // ”
  while (!s.empty() && (IsQuote(s.front()) || s.front() == ' ')) s.erase(s.begin());
  while (!s.empty() && (IsQuote(s.back()) || s.back() == ' ' || (IsTrailingPunct(s.back()) && type != kUrl))) {
    s.pop_back();
  }
  if (!IsNameType(type)) return s;
  if (s.size() > 2 && s.compare(s.size() - 2, 2, "'s") == 0) {
    s.resize(s.size() - 2);
  } else if (s.size() > 2 && s.back() == '\'' && s[s.size() - 2] == 's') {
    s.pop_back();
  }
  // Leading "the" and person titles go while at least one word remains;
  // a title before a connector is part of the name ("Queen of Sheba").
  for (;;) {
    std::vector<std::string_view> words = KeyWords(s);
    if (words.size() < 2) break;
    std::string_view first = words[0];
    std::string_view bare = first.back() == '.' ? first.substr(0, first.size() - 1) : first;
    bool drop = bare == "the" || (type != kTitle && IsPersonTitle(bare) && !IsNameConnector(words[1]));
    if (!drop) break;
    s.erase(0, static_cast<size_t>(words[1].data() - s.data()));
  }
  return s;
}

}  // namespace stratamem::graph
