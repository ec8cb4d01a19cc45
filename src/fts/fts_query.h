// Turns free text into a safe FTS5 MATCH expression.
#ifndef STRATAMEM_FTS_FTS_QUERY_H_
#define STRATAMEM_FTS_FTS_QUERY_H_

#include <string>
#include <string_view>

namespace stratamem {

// Splits `text` into words (letters, digits and any non-ASCII character; all
// else separates), quotes each as an FTS5 string and ORs them, so user text can
// never be read as FTS5 syntax (AND, NEAR, column filters, unbalanced quotes).
// English function words ("the", "of", "what" ...) are dropped unless the query
// has no other word.
// Returns "" when the text has no word: the caller then skips full-text search.
std::string BuildFtsQuery(std::string_view text, size_t max_terms = 32);

// Restricts `terms` (a BuildFtsQuery result) to one user's rows: the content
// column must match `terms` and the user_key column (docs/format.md) must hold
// that user's token, so FTS5 only walks and scores the user's own rows.
std::string UserFtsQuery(std::string_view user_id, const std::string& terms);

// The token the store indexes for `user_id`: 'u' followed by the hex of its
// UTF-8 bytes (what SQLite's 'u' || hex(user_id) yields).
std::string UserKeyToken(std::string_view user_id);

}  // namespace stratamem

#endif  // STRATAMEM_FTS_FTS_QUERY_H_
