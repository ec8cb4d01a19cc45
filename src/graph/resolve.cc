#include "graph/resolve.h"

#include <unordered_map>

#include "graph/fold.h"

namespace stratamem::graph {

Result<std::vector<ResolvedMention>> ResolveMentions(const std::vector<Mention>& extracted,
                                                     const InlineGraph& given, EntityDirectory* directory) {
  std::vector<ResolvedMention> out;
  std::unordered_map<std::string, size_t> at;  // entity key -> index in out
  auto keep = [&](ResolvedMention r) {
    auto [it, fresh] = at.try_emplace(r.entity_key, out.size());
    if (fresh) {
      out.push_back(std::move(r));
      return;
    }
    ResolvedMention& kept = out[it->second];
    kept.mention.count += r.mention.count;
    if (TypeRank(r.mention.type) > TypeRank(kept.mention.type)) kept.mention.type = r.mention.type;
    if (Stronger(r.mention.role, kept.mention.role)) kept.mention.role = r.mention.role;
  };
  for (const InlineEntity& e : given.entities) {
    Mention m;
    m.surface = e.name;
    m.key = e.key;
    m.type = e.type;
    keep({e.key, std::move(m), MentionSource::kInline});
  }
  for (const Mention& m : extracted) {
    if (at.count(m.key)) {  // named inline too: one mention, the inline type wins over a guess
      ResolvedMention& kept = out[at[m.key]];
      if (Stronger(m.role, kept.mention.role)) kept.mention.role = m.role;
      continue;
    }
    auto known = directory->Known(m.key);
    if (!known.ok()) return known.status();
    std::string entity_key = m.key;
    if (!*known && (m.type == kName || m.type == kPerson) && KeyWords(m.key).size() == 1) {
      // The people this memory names inline count as known, then the store's.
      std::vector<std::string> people;
      for (const InlineEntity& e : given.entities) {
        if (e.type == kPerson && e.key.size() > m.key.size() && e.key.compare(0, m.key.size() + 1, m.key + " ") == 0) {
          people.push_back(e.key);
        }
      }
      if (people.empty()) {
        auto stored = directory->PeopleFirstNamed(m.key, 2);
        if (!stored.ok()) return stored.status();
        people = std::move(stored).value();
      }
      if (people.size() == 1) {
        entity_key = people.front();
        *known = true;
      }
    }
    if (m.weak && !*known) continue;
    Mention copy = m;
    copy.weak = false;
    keep({std::move(entity_key), std::move(copy), MentionSource::kExtracted});
  }
  return out;
}

}  // namespace stratamem::graph
