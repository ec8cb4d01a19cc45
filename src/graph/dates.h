// Dates, times and numbers with units, which span several words ("8 May
// 2023", "Friday, 7 June 2024", "6:45 pm", "3 hours 40 minutes", "$340
// million", "65,000 visitors"). Each match gives a key that folds spellings
// of the same value together: "8 May 2023", "May 8, 2023" and "2023-05-08"
// all have the key "2023-05-08".
#ifndef STRATAMEM_GRAPH_DATES_H_
#define STRATAMEM_GRAPH_DATES_H_

#include <cstddef>
#include <string>
#include <vector>

#include "graph/words.h"

namespace stratamem::graph {

// How many words from words[i] form a date or time (0: none); *key is its folded key.
size_t MatchDate(const std::vector<Word>& words, size_t i, std::string* key);

// How many words from words[i] form a quantity (0: none); *key is its folded key.
size_t MatchQuantity(const std::vector<Word>& words, size_t i, std::string* key);

}  // namespace stratamem::graph

#endif  // STRATAMEM_GRAPH_DATES_H_
