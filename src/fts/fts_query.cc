#include "fts/fts_query.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <string_view>
#include <vector>

namespace stratamem {
namespace {

// English function words. In a small store they are rare enough for BM25 to
// weigh them heavily ("of" in one of five turns outranks "dog"), so a query
// keeps them only when it has nothing else.
constexpr std::string_view kStopwords[] = {
    "a",     "about", "after", "all",   "also",  "am",    "an",    "and",   "any",   "are",   "as",
    "at",    "be",    "been",  "but",   "by",    "can",   "could", "did",   "do",    "does",  "for",
    "from",  "had",   "has",   "have",  "he",    "her",   "him",   "his",   "how",   "i",     "if",
    "in",    "into",  "is",    "it",    "its",   "me",    "my",    "no",    "not",   "of",    "on",
    "or",    "our",   "s",     "she",   "should", "so",   "some",  "than",  "that",  "the",   "their",
    "them",  "then",  "there", "these", "they",  "this",  "to",    "was",   "we",    "were",  "what",
    "when",  "where", "which", "who",   "whom",  "why",   "will",  "with",  "would", "you",   "your"};

bool IsStopword(const std::string& word) {
  std::string lower(word);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return std::find(std::begin(kStopwords), std::end(kStopwords), lower) != std::end(kStopwords);
}

}  // namespace

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
  std::vector<std::string> content;
  std::copy_if(terms.begin(), terms.end(), std::back_inserter(content),
               [](const std::string& t) { return !IsStopword(t); });
  if (!content.empty()) terms.swap(content);
  std::string out;
  for (const auto& t : terms) {
    if (!out.empty()) out += " OR ";
    out += '"';
    out += t;  // words contain no '"' by construction
    out += '"';
  }
  return out;
}

std::string UserKeyToken(std::string_view user_id) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "u";
  out.reserve(1 + 2 * user_id.size());
  for (char c : user_id) {
    unsigned char u = static_cast<unsigned char>(c);
    out.push_back(kHex[u >> 4]);
    out.push_back(kHex[u & 15]);
  }
  return out;
}

std::string UserFtsQuery(std::string_view user_id, const std::string& terms) {
  std::string out = "user_key : \"";
  out += UserKeyToken(user_id);
  out += "\" AND content : (";
  out += terms;
  out += ')';
  return out;
}

}  // namespace stratamem
