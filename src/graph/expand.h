// Graph expansion: from the entities a query names to the memories around
// them, scored by path and decayed by distance. Search fuses the scores as a
// third signal beside the vector and BM25 ones (search/graph_signal.h);
// Neighbors() and the MCP/REST "related" surfaces read the same expansion.
//
//   seeds      entities named in the query (by name or alias; a first name
//              finds the full name), each weighted by how specific it is:
//              w(e) = log(1 + N / n(e)) for N visible memories, n(e) naming e
//   hop 1      memories naming a seed:      w(e) x role
//   hop 2      memories naming a neighbour f of a seed (named together with
//              it, or related to it):       w(e) x decay x strength(e, f) x role
//   score(m)   sum over seeds of the best path through that seed, divided by
//              the query's best, so the strongest graph match scores 1
//   role       subject 1 (a speaker, a note's first name), mention 0.5,
//              addressee 0.25 ("Thanks, Mel!")
//   strength   1 for a relation; for co-mentions min(1, shared / 3) x the
//              neighbour's own specificity relative to the seed's
//
// Very common entities (named by more than max_neighbour_share of the
// visible memories) are not used as stepping stones: they connect everything.
#ifndef STRATAMEM_GRAPH_EXPAND_H_
#define STRATAMEM_GRAPH_EXPAND_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "graph/graph_source.h"
#include "stratamem/status.h"

namespace stratamem::graph {

struct ExpandOptions {
  int hops = 2;                       // 1 or 2
  size_t max_seeds = 8;
  size_t mentions_per_entity = 400;   // memories read per entity, newest first
  size_t max_neighbours = 12;         // stepping stones kept for hop 2
  double hop_decay = 0.5;
  double max_neighbour_share = 0.2;
};

struct GraphHit {
  int64_t seq = 0;
  double score = 0;   // in (0, 1]
  int hops = 1;
  std::string path;   // "Caroline (subject)", "Alice -[works_at]-> Acme (mention)"
};

struct Neighbour {
  EntityRow entity;
  int hops = 1;
  double score = 0;   // relative to the strongest neighbour, in (0, 1]
  std::string path;
  int64_t shared = 0;  // memories naming it together with the seed (co-mentions)
};

struct Expansion {
  std::vector<EntityRow> seeds;
  std::vector<GraphHit> hits;             // best first
  std::vector<Neighbour> neighbours;      // best first
};

// The keys a query may name an entity by: the extractor's mentions (weak
// ones too: a question often starts with a name) and its runs of one to
// three words that do not start or end with a common word, folded.
std::vector<std::string> QueryKeys(std::string_view query);

// Expansion from the entities `query` names. No seed: an empty expansion.
Result<Expansion> ExpandQuery(std::string_view query, GraphSource* source, const ExpandOptions& options);
// Expansion from given seeds (Neighbors()).
Result<Expansion> ExpandSeeds(std::vector<EntityRow> seeds, GraphSource* source, const ExpandOptions& options);

}  // namespace stratamem::graph

#endif  // STRATAMEM_GRAPH_EXPAND_H_
