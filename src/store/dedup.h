// The text side of near-duplicate detection. A high cosine alone is not
// enough to merge two facts: embeddings barely tell "meeting at 3pm" from
// "meeting at 4pm", or "uses uv, not pip" from "uses pip, not uv", and a
// wrong merge loses the newer fact. So a near-duplicate must also say the
// same thing in (almost) the same words.
#ifndef STRATAMEM_STORE_DEDUP_H_
#define STRATAMEM_STORE_DEDUP_H_

#include <string_view>

namespace stratamem {

// True when, after normalisation (NFKC, case folding), `a` and `b` have the
// same numbers in the same order and their word sequences differ by at most
// max(1, 20% of the longer one) insertions, deletions or substitutions.
bool SameWordsNearly(std::string_view a, std::string_view b);

}  // namespace stratamem

#endif  // STRATAMEM_STORE_DEDUP_H_
