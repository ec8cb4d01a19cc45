// Which mentions of one memory are stored, and under which entity. The
// decisions are the graph's; what the user's store already holds is asked
// through EntityDirectory, so every storage driver resolves the same way.
#ifndef STRATAMEM_GRAPH_RESOLVE_H_
#define STRATAMEM_GRAPH_RESOLVE_H_

#include <string>
#include <string_view>
#include <vector>

#include "graph/inline_graph.h"
#include "graph/mention.h"
#include "stratamem/status.h"

namespace stratamem::graph {

// The user's entities as the store holds them (one user per directory).
class EntityDirectory {
 public:
  virtual ~EntityDirectory() = default;
  // True when the user has an entity with this key.
  virtual Result<bool> Known(std::string_view key) = 0;
  // Keys of the user's person entities of two or more words whose first word
  // is `word` (at most `limit`): "caroline" -> {"caroline smith"}.
  virtual Result<std::vector<std::string>> PeopleFirstNamed(std::string_view word, size_t limit) = 0;
};

enum class MentionSource : int { kExtracted = 0, kInline = 1 };  // stored (mentions.source)

struct ResolvedMention {
  std::string entity_key;  // the entity it belongs to (may differ from mention.key: an alias)
  Mention mention;         // mention.key is the alias key as written
  MentionSource source = MentionSource::kExtracted;
};

// The rules:
//  - inline entities are always stored, under their own key;
//  - an extracted mention with the key of an inline entity joins it;
//  - a weak mention (a capitalised word that only starts a sentence) is
//    stored only when the user already has that entity;
//  - a one-word name that is the first name of exactly one known person of
//    two or more words joins that person ("Caroline" -> "Caroline Smith");
//  - one stored mention per entity, the most specific type, the strongest role.
Result<std::vector<ResolvedMention>> ResolveMentions(const std::vector<Mention>& extracted,
                                                     const InlineGraph& given, EntityDirectory* directory);

}  // namespace stratamem::graph

#endif  // STRATAMEM_GRAPH_RESOLVE_H_
