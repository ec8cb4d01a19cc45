// Entities and relations written as JSON: a <memory> fact's "entities" /
// "relations", and the "entities" / "relationships" of MCP memory_save and the
// REST save route. One reader for all of them, in the reference API's shapes:
//   entities:      ["Ann", {"name": "Acme", "type": "organization"}]
//                  ({"entity", "entity_type"} is read too)
//   relationships: [["Ann", "works at", "Acme"],
//                   {"source", "type" | "relationship", "target" | "destination"}]
//                  ({"subject", "predicate", "object"} is read too)
// Every item kept passes the save's own checks (inline_graph.h).
#ifndef STRATAMEM_GRAPH_GRAPH_JSON_H_
#define STRATAMEM_GRAPH_GRAPH_JSON_H_

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "stratamem/graph.h"
#include "stratamem/status.h"

namespace stratamem::graph {

struct GraphItems {
  std::vector<EntityInput> entities;
  std::vector<RelationInput> relations;
};

// Lenient (the model's block): a malformed item is reported to `problem` and
// dropped, the rest kept. `entities` / `relations` may be null (absent).
void ReadGraphItemsLenient(const nlohmann::json* entities, const nlohmann::json* relations, GraphItems* out,
                           const std::function<void(std::string)>& problem);

// Strict (an API call): the first malformed item is an InvalidArgument naming
// it ("relationships[1] is not [source, type, target]"), nothing is kept.
Result<GraphItems> ReadGraphItemsStrict(const nlohmann::json* entities, const nlohmann::json* relations);

}  // namespace stratamem::graph

#endif  // STRATAMEM_GRAPH_GRAPH_JSON_H_
