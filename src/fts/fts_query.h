// Turns free text into a safe FTS5 MATCH expression.
#ifndef MEMSTRATA_FTS_FTS_QUERY_H_
#define MEMSTRATA_FTS_FTS_QUERY_H_

#include <string>
#include <string_view>

namespace memstrata {

// Splits `text` into words (letters, digits and any non-ASCII character; all
// else separates), quotes each as an FTS5 string and ORs them, so user text can
// never be read as FTS5 syntax (AND, NEAR, column filters, unbalanced quotes).
// English function words ("the", "of", "what" ...) are dropped unless the query
// has no other word.
// Returns "" when the text has no word: the caller then skips full-text search.
std::string BuildFtsQuery(std::string_view text, size_t max_terms = 32);

}  // namespace memstrata

#endif  // MEMSTRATA_FTS_FTS_QUERY_H_
