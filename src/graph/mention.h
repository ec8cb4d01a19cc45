// What the graph knows about one text: the entities it names. Produced by the
// native extractor (extractor.h) or given inline with a save, stored as
// mentions of one memory version (docs/format.md, "Graph").
#ifndef STRATAMEM_GRAPH_MENTION_H_
#define STRATAMEM_GRAPH_MENTION_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace stratamem::graph {

// Values are stored on disk (mentions.role): never renumber.
enum class MentionRole : int {
  kMention = 0,    // named somewhere in the text
  kSubject = 1,    // what the text is about: a transcript's speaker ("Tom: ..."), the first name of a note
  kAddressee = 2,  // only spoken to ("Thanks, Mel!", "Hey Marco"): the text is not about them
};

// How much a role says the text is about the entity: subject 1, mention 0.5,
// addressee 0.25. Merging keeps the role with the larger weight.
double RoleWeight(MentionRole role);
inline bool Stronger(MentionRole a, MentionRole b) { return RoleWeight(a) > RoleWeight(b); }

// The extractor's types. Inline entities may carry any other short type
// ("project", "organisation"); these are the ones the engine assigns.
inline constexpr std::string_view kPerson = "person";
inline constexpr std::string_view kName = "name";        // any other proper noun
inline constexpr std::string_view kTitle = "title";      // a quoted title of a work
inline constexpr std::string_view kCode = "code";
inline constexpr std::string_view kPath = "path";
inline constexpr std::string_view kUrl = "url";
inline constexpr std::string_view kEmail = "email";
inline constexpr std::string_view kDate = "date";
inline constexpr std::string_view kQuantity = "quantity";

// When two mentions of one entity disagree on its type, the more specific
// wins: person, then any inline type, then title, then the rest, then name.
int TypeRank(std::string_view type);

struct Mention {
  std::string surface;   // as first written (possessive kept: "Caroline's")
  std::string key;       // the entity's identity within a user (fold.h)
  std::string type;      // kPerson, kName, ... or an inline type
  MentionRole role = MentionRole::kMention;
  // A capitalised word that only starts a sentence ("Sweden is cold",
  // "Pottery helps"): capitalisation there is no evidence of a name, so it
  // counts only when the user's memories already name that entity elsewhere.
  bool weak = false;
  size_t begin = 0, end = 0;  // byte offsets of the first occurrence
  int count = 1;              // occurrences in the text
};

}  // namespace stratamem::graph

#endif  // STRATAMEM_GRAPH_MENTION_H_
