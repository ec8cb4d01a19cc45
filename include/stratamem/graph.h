// The graph: entities a user's memories name, the relations between them,
// and what search and the graph surfaces read from it (docs/graph.md).
//
// Entities come from two places: given inline with a save (SaveRequest::
// entities / relations, the <memory> block, MCP and REST) or found by the
// native extractor in memories saved without them. Both are stored in the
// same SQLite transaction as the memory. Every read here is scoped exactly
// like a search: an entity or relation is visible from a context when a
// memory version it comes from is visible there.
//
// Two clocks, kept apart (docs/format.md, "Graph"):
//   world time  world_from / world_to: when a fact held in the world, when known
//               (0 = unknown); a supersede closes the old fact's world_to.
//   store time  when the store learned or retired it: the memory versions'
//               valid_from / valid_to. `as_of` asks "what did we believe then",
//               `valid_at` asks "what was true then".
#ifndef STRATAMEM_GRAPH_H_
#define STRATAMEM_GRAPH_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "stratamem/export.h"
#include "stratamem/scope.h"
#include "stratamem/status.h"

namespace stratamem {

// An entity given with a save. `type` "" lets the engine guess it.
struct EntityInput {
  std::string name;
  std::string type;
};

// A relation given with a save: subject and object are entity names (added as
// entities when not listed), predicate a short verb phrase ("works at" is
// stored as "works_at"). World time in unix microseconds, 0 = unknown.
struct RelationInput {
  std::string subject;
  std::string predicate;
  std::string object;
  int64_t world_from = 0;
  int64_t world_to = 0;
};

// Entities and relationships given as JSON text, as MCP memory_save and the
// REST save route take them (docs/graph.md, "Inline entities"): names or
// {"name", "type"}; [source, type, target] or {"source", "type", "target"}.
// "" is none. A malformed item is an InvalidArgument naming it, and nothing
// is appended; what is appended passes the save's own checks.
STRATAMEM_EXPORT Status ParseGraphInputs(std::string_view entities_json, std::string_view relationships_json,
                                         std::vector<EntityInput>* entities, std::vector<RelationInput>* relations);

// An entity found by the native extractor (ExtractEntities).
struct ExtractedEntity {
  std::string name;      // as written
  std::string key;       // folded identity: case, possessive, "the", titles
  std::string type;      // person, name, title, code, path, url, email, date, quantity
  bool subject = false;  // what the text is about (a speaker label, a note's first name)
  // A capitalised word that only starts a sentence: stored only when the
  // user's memories already name that entity elsewhere.
  bool weak = false;
  int count = 1;
};

// What the extractor finds in `text`, without storing anything.
STRATAMEM_EXPORT Result<std::vector<ExtractedEntity>> ExtractEntities(std::string_view text);
// The folded key of one way of writing an entity of `type` ("Caroline's" -> "caroline").
STRATAMEM_EXPORT Result<std::string> FoldEntityKey(std::string_view surface, std::string_view type);

struct Entity {
  int64_t id = 0;             // stable within the store while any memory names it
  std::string key;            // folded identity within the user
  std::string name;           // the most frequent visible spelling of `key` (else of any alias)
  std::string type;
  std::vector<std::string> aliases;  // every other visible way of writing it
  int64_t memories = 0;       // visible memories that name it
};

struct Relation {
  int64_t id = 0;
  std::string subject;        // entity names (as the entity's `name`)
  std::string predicate;
  std::string object;
  int64_t subject_id = 0, object_id = 0;
  std::string memory_id;      // the memory it came from
  int memory_version = 0;
  int64_t world_from = 0;     // world time, 0 = unknown
  int64_t world_to = 0;       // 0 = still holds (or unknown)
  int64_t recorded_at = 0;    // store time: when its memory version became current
  bool superseded = false;    // its memory was superseded: a past fact, world_to closed
};

// One entity reachable from the asked one, and how.
struct Neighbor {
  Entity entity;
  int hops = 1;               // 1: named together with it or related to it; 2: via another entity
  double score = 0;           // path strength in (0, 1], decayed by distance
  std::string path;           // "Caroline -[works_at]-> Acme", "Caroline ~ Sweden (3 memories)"
  std::vector<std::string> memory_ids;  // memories that name it, newest first (at most 5)
};

struct GraphReadOptions {
  ScopeContext context;       // user_id required; visibility as for search
  int64_t as_of = 0;          // store time: answer as the store stood then (0: now)
  int64_t valid_at = 0;       // world time: only what held then (0: any time)
  int limit = 100;            // most entities / relations / neighbours returned (1..10000)
};

struct EntityQuery : GraphReadOptions {
  std::string name;           // "" all; else entities whose name or an alias folds to this
  std::string type;           // "" any
  std::string memory_id;      // "" all; else the entities this memory (a visible version of it) names
};

struct RelationQuery : GraphReadOptions {
  std::string entity;         // "" all; else relations with this entity as subject or object
  std::string predicate;      // "" any
  // Relations of superseded memories (past facts, world_to closed) are
  // listed too unless this is false.
  bool include_superseded = true;
};

struct NeighborQuery : GraphReadOptions {
  std::string entity;         // required: a name or alias
  int hops = 2;               // 1 or 2
};

// Everything visible from one context, for export.
struct GraphSnapshot {
  std::vector<Entity> entities;
  std::vector<Relation> relations;
  // Entities named together in visible memories: (entity id, entity id, memories).
  struct CoMention {
    int64_t a = 0, b = 0;
    int64_t memories = 0;
  };
  std::vector<CoMention> co_mentions;
};

// Export formats (stratamem graph --export, Python graph()).
STRATAMEM_EXPORT std::string GraphToJson(const GraphSnapshot& graph);
STRATAMEM_EXPORT std::string GraphToGraphml(const GraphSnapshot& graph);
STRATAMEM_EXPORT std::string GraphToDot(const GraphSnapshot& graph);

}  // namespace stratamem

#endif  // STRATAMEM_GRAPH_H_
