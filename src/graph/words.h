// The extractor's view of a text: white-space separated tokens with their
// surrounding punctuation peeled off and noted, and sentence starts marked.
#ifndef STRATAMEM_GRAPH_WORDS_H_
#define STRATAMEM_GRAPH_WORDS_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace stratamem::graph {

struct Word {
  size_t begin = 0, end = 0;  // byte range of `text` in the input
  std::string_view text;      // the token without surrounding punctuation
  std::string lower;          // ASCII letters lower-cased (other bytes kept)
  char lead = 0;              // punctuation peeled from the front ('(' '"' ...), 0 if none
  char trail = 0;             // the first punctuation peeled from the back ('.' ',' '!' ...), 0 if none
  bool sentence_start = false;
  bool ends_sentence = false;  // . ! ? after it (not an abbreviation's period)
  bool capitalised = false;    // first letter upper case (any script)
  bool all_caps = false;       // at least two letters, none lower case
  bool consumed = false;       // already part of an entity
};

// Splits `text` (valid UTF-8) into words. `start` marks where a sentence
// begins (0: the text start).
std::vector<Word> SplitWords(std::string_view text, size_t start = 0);

// Lower-cases ASCII letters.
std::string AsciiLower(std::string_view s);

// The first code point of `s` is an upper-case / lower-case letter.
bool StartsUpper(std::string_view s);
bool StartsLower(std::string_view s);
bool HasLetter(std::string_view s);

}  // namespace stratamem::graph

#endif  // STRATAMEM_GRAPH_WORDS_H_
