// The native entity extractor: the entities a memory names, found without a
// model call, for memories saved without inline entities. It finds people
// and other proper nouns (capitalised word runs, with "of"/"for"/"&" inside
// names, titles like "Dr." and cues like "my sister Giulia" or "Hey Marco"
// for people), a transcript's speaker label ("Tom: ..."), quoted titles,
// back-ticked code, code identifiers, paths, URLs, e-mail addresses, dates
// and times, and numbers with units. Mentions of one entity in the text are
// folded into one (fold.h). Precision and recall on a labelled sample, and
// what it misses, are in docs/graph.md.
//
// Pure function of the text; thread-safe.
#ifndef STRATAMEM_GRAPH_EXTRACTOR_H_
#define STRATAMEM_GRAPH_EXTRACTOR_H_

#include <string_view>
#include <vector>

#include "graph/mention.h"

namespace stratamem::graph {

// The entities `text` (valid UTF-8) names, in order of first occurrence.
std::vector<Mention> ExtractEntities(std::string_view text);

}  // namespace stratamem::graph

#endif  // STRATAMEM_GRAPH_EXTRACTOR_H_
