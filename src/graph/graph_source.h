// What graph logic reads from a store: a small, batch-shaped interface that
// a storage driver implements once (the SQLite store: store/sqlite_graph_
// source.h). One source answers for one viewer at one moment: everything it
// returns is visible from that viewer's context (the same rule as search)
// and belongs to the memory versions of that moment (current, as_of, or
// believed-and-held at valid_at).
#ifndef STRATAMEM_GRAPH_GRAPH_SOURCE_H_
#define STRATAMEM_GRAPH_GRAPH_SOURCE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "graph/mention.h"
#include "stratamem/status.h"

namespace stratamem::graph {

struct EntityRow {
  int64_t id = 0;
  std::string key;
  std::string name;      // a visible way of writing it
  std::string type;
  // Memory versions that name it. For scoring, drivers may count every
  // version of the user (cheap, like BM25's corpus statistics); nothing
  // here is shown to the viewer as is.
  int64_t memories = 0;
};

struct MentionRow {
  int64_t seq = 0;     // the memory version
  int64_t entity = 0;
  MentionRole role = MentionRole::kMention;
};

struct RelationRow {
  int64_t id = 0;
  int64_t seq = 0;
  int64_t subject = 0, object = 0;
  std::string predicate;
};

class GraphSource {
 public:
  virtual ~GraphSource() = default;
  // Entities whose visible mentions were written with one of these keys, or
  // (for one-word keys) whose key starts with that word and a space: a first
  // name finds the full name, unless another of `keys` starts with that word
  // (the query gave the full name itself).
  virtual Result<std::vector<EntityRow>> MatchKeys(const std::vector<std::string>& keys) = 0;
  // Up to `per_entity` visible memory versions naming each entity, newest first.
  virtual Result<std::vector<MentionRow>> MentionsOf(const std::vector<int64_t>& entities, size_t per_entity) = 0;
  // Every entity the given memory versions name.
  virtual Result<std::vector<MentionRow>> MentionsIn(const std::vector<int64_t>& seqs) = 0;
  // Relations from visible memory versions with one of these entities as subject or object.
  virtual Result<std::vector<RelationRow>> RelationsOf(const std::vector<int64_t>& entities) = 0;
  // The entities with these ids, named as visible here.
  virtual Result<std::vector<EntityRow>> Entities(const std::vector<int64_t>& ids) = 0;
  // How many memory versions the user has (for how specific an entity is).
  virtual Result<int64_t> Memories() = 0;
};

}  // namespace stratamem::graph

#endif  // STRATAMEM_GRAPH_GRAPH_SOURCE_H_
