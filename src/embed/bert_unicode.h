// Character classes for BERT text normalisation and pre-tokenisation, exactly as
// the `tokenizers` package applies them (BertNormalizer, BertPreTokenizer).
#ifndef STRATAMEM_EMBED_BERT_UNICODE_H_
#define STRATAMEM_EMBED_BERT_UNICODE_H_

#include <string_view>
#include <vector>

namespace stratamem::embed {

// Removed by clean_text: Cc/Cf/Co/Cs (except \t \n \r), NUL and U+FFFD.
bool IsBertControl(char32_t c);
// Rust's char::is_whitespace (the White_Space property), plus \t \n \r.
bool IsBertWhitespace(char32_t c);
// ASCII punctuation (includes symbols like $+<=>^`|~) or a Unicode P* category.
bool IsBertPunctuation(char32_t c);
// General category Mn: removed after NFD when accents are stripped.
bool IsBertNonspacingMark(char32_t c);
// The CJK ideograph blocks that BERT surrounds with spaces.
bool IsBertCjk(char32_t c);

// UTF-8 to code points; an invalid byte sequence becomes U+FFFD (which clean_text drops).
std::vector<char32_t> DecodeUtf8(std::string_view text);
void AppendUtf8(char32_t c, std::string* out);

// Canonical decomposition (NFD) of `cps`, including canonical reordering of marks.
std::vector<char32_t> Nfd(const std::vector<char32_t>& cps);
// Full lowercase mapping of one code point (U+0130 becomes two), appended to `out`.
void AppendLowercase(char32_t c, std::vector<char32_t>* out);

}  // namespace stratamem::embed

#endif  // STRATAMEM_EMBED_BERT_UNICODE_H_
