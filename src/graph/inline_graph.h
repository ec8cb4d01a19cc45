// Entities and relations given with a save (SaveRequest::entities /
// relations): checked and normalised before the write, so a bad item is a
// clear InvalidArgument and nothing is stored.
#ifndef STRATAMEM_GRAPH_INLINE_GRAPH_H_
#define STRATAMEM_GRAPH_INLINE_GRAPH_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "stratamem/graph.h"
#include "stratamem/status.h"

namespace stratamem::graph {

inline constexpr size_t kMaxInlineEntities = 64;   // per memory
inline constexpr size_t kMaxInlineRelations = 64;  // per memory
inline constexpr size_t kMaxEntityNameBytes = 200;
inline constexpr size_t kMaxTypeBytes = 32;
inline constexpr size_t kMaxPredicateBytes = 64;

struct InlineEntity {
  std::string name;  // trimmed, as given
  std::string key;   // FoldEntityKey(name, type)
  std::string type;  // given (lower case) or guessed by the extractor
};

struct InlineRelation {
  std::string subject_key, predicate, object_key;
  int64_t world_from = 0, world_to = 0;
};

struct InlineGraph {
  std::vector<InlineEntity> entities;    // one per key; relation ends included
  std::vector<InlineRelation> relations;  // one per (subject, predicate, object)
  bool empty() const { return entities.empty() && relations.empty(); }
};

// "works at" -> "works_at": lower case, runs of spaces, '-' and '_' made one
// '_'; letters, digits and '_' only (any script). "" when nothing is left.
std::string NormalizePredicate(std::string_view predicate);

// One item on its own, as PrepareInlineGraph checks it (`where` names it in
// the error): the <memory> parser drops an item that fails, keeping the fact.
Status CheckEntityInput(const EntityInput& entity, const std::string& where);
Status CheckRelationInput(const RelationInput& relation, const std::string& where);

// Checks every item (names non-empty UTF-8 without control characters, at
// most kMaxEntityNameBytes; types lower-case words; predicates non-empty;
// world_to >= world_from) and folds them. Errors name the item:
// "entities[2].name is empty".
Result<InlineGraph> PrepareInlineGraph(const std::vector<EntityInput>& entities,
                                       const std::vector<RelationInput>& relations);

}  // namespace stratamem::graph

#endif  // STRATAMEM_GRAPH_INLINE_GRAPH_H_
