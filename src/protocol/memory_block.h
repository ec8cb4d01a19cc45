// The <memory> block protocol: the facts a model appends to its reply, e.g.
//   <memory>{"memories": [{"content": "Prefers Python", "scope": "user",
//            "importance": 0.8, "replaces": "Prefers Go", "entities": ["Python"],
//            "relations": [["user", "prefers", "Python"]]}]}</memory>
// This file parses the text inside one block. Finding blocks in a reply (whole
// or streamed) is stream_filter.h. Used by Python's with_memory() and the C++
// HTTP proxy (`serve`), so it depends on nothing but the standard library,
// nlohmann::json, the public headers and graph/graph_json.h (the reader of
// inline entities, with the checks an item must pass to be saved).
#ifndef STRATAMEM_PROTOCOL_MEMORY_BLOCK_H_
#define STRATAMEM_PROTOCOL_MEMORY_BLOCK_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "stratamem/graph.h"
#include "stratamem/scope.h"

namespace stratamem::protocol {

// One fact the model asked to remember.
struct Fact {
  std::string content;    // trimmed, never empty
  Scope scope = Scope::kUser;
  double importance = 0.5;  // in [0, 1]
  // The exact text or id of an older memory this fact replaces; "" for a new fact.
  std::string replaces;
  // The graph the fact names (docs/graph.md), saved with it in one write.
  // Every item here passes the save's checks (graph/graph_json.h): a
  // malformed one is dropped (and listed in `problems`), never the fact.
  std::vector<EntityInput> entities;
  std::vector<RelationInput> relations;
};

struct ParseOptions {
  Scope default_scope = Scope::kUser;  // for facts without a (known) scope
  double default_importance = 0.5;     // for facts without a usable importance
  size_t max_facts = 32;               // per reply; a runaway model cannot flood the store
};

// What came out of one or more blocks. Parsing never fails: what cannot be
// read is described in `problems` (for debug logs) and dropped.
struct BlockParse {
  std::vector<Fact> facts;            // in order, duplicates (same content) removed
  std::vector<std::string> problems;  // one line per thing dropped or guessed
};

// Parses the text between <memory> and </memory>. `closed` is false when the
// reply ended inside the block (cut by max_tokens): then only complete facts
// are kept. Accepts {"memories": [...]}, a bare list, a single fact object,
// lists of plain strings, plain-text lines, code fences around the JSON and
// truncated or malformed JSON (complete fact objects are salvaged). A fact's
// "entities" are names or {"name", "type"} objects; its "relations" (or
// "relationships") are [subject, predicate, object] lists or {"source",
// "type", "target"} objects (the names save() reads). Appends to
// `out`, so several blocks of one reply accumulate (and dedupe) in one place.
void ParseBlockBody(std::string_view body, bool closed, const ParseOptions& options,
                    BlockParse* out);

}  // namespace stratamem::protocol

#endif  // STRATAMEM_PROTOCOL_MEMORY_BLOCK_H_
