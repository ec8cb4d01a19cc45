// Entities that are one token by their shape: e-mail addresses, URLs, paths
// and code identifiers ("oncall@acme.dev", "https://...", "src/x.rs",
// "parse_lines()", "tokio::sync::Mutex", "MAX_RETRIES", "#482").
#ifndef STRATAMEM_GRAPH_TOKEN_KINDS_H_
#define STRATAMEM_GRAPH_TOKEN_KINDS_H_

#include <string_view>

namespace stratamem::graph {

// kEmail, kUrl, kPath or kCode when the token has that shape, else "". A
// brand written in camel case ("iCloud", "macOS", "eBay") is not code: it is
// left for the name pass.
std::string_view TokenKind(std::string_view token);

// True for identifier characters: ASCII letters, digits and '_'.
bool IsIdentChar(char c);

}  // namespace stratamem::graph

#endif  // STRATAMEM_GRAPH_TOKEN_KINDS_H_
