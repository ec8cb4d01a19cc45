// Alias folding: the key that makes "Caroline", "caroline" and "Caroline's"
// one entity, "Dr. Okafor" and "Okafor" one person, and "8 May 2023" and
// "May 8, 2023" one date (dates get their key from the extractor, dates.h).
#ifndef STRATAMEM_GRAPH_FOLD_H_
#define STRATAMEM_GRAPH_FOLD_H_

#include <string>
#include <string_view>
#include <vector>

namespace stratamem::graph {

// NFKC, Unicode case folding, white space collapsed, curly apostrophes made
// straight, surrounding quotes and trailing punctuation dropped. For names,
// people and titles also: a final possessive ('s, s'), a leading "the", and
// leading person titles ("dr", "mayor", "grandma") while a name remains.
// Other types (code, paths, URLs, e-mail, quantities) keep their words.
std::string FoldEntityKey(std::string_view surface, std::string_view type);

// The space-separated words of a key ("madeline miller" -> {"madeline", "miller"}).
std::vector<std::string_view> KeyWords(std::string_view key);

}  // namespace stratamem::graph

#endif  // STRATAMEM_GRAPH_FOLD_H_
