#include "graph/expand.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "graph/extractor.h"
#include "graph/fold.h"
#include "graph/lexicon.h"
#include "graph/words.h"

namespace stratamem::graph {
namespace {

constexpr size_t kMaxQueryKeys = 64;
constexpr double kCoMentionsForFullStrength = 3;

const char* RoleName(MentionRole role) {
  switch (role) {
    case MentionRole::kSubject: return "subject";
    case MentionRole::kAddressee: return "addressee";
    case MentionRole::kMention: break;
  }
  return "mention";
}

bool RunWordOk(const Word& w) {
  if (!HasLetter(w.text)) return false;
  std::string lower = AsciiLower(w.text);
  if (lower.size() > 2 && lower.compare(lower.size() - 2, 2, "'s") == 0) lower.resize(lower.size() - 2);
  return !IsCommonWord(lower);
}

// One seed's best way to reach a memory.
struct Reach {
  double value = 0;
  int hops = 1;
  std::string path;
};

}  // namespace

std::vector<std::string> QueryKeys(std::string_view query) {
  std::vector<std::string> keys;
  std::unordered_set<std::string> seen;
  auto add = [&](std::string key) {
    if (!key.empty() && keys.size() < kMaxQueryKeys && seen.insert(key).second) keys.push_back(std::move(key));
  };
  for (const Mention& m : ExtractEntities(query)) add(m.key);
  std::vector<Word> words = SplitWords(query);
  for (size_t i = 0; i < words.size(); ++i) {
    for (size_t n = 1; n <= 3 && i + n <= words.size(); ++n) {
      const Word& last = words[i + n - 1];
      if (n > 1) {
        const Word& before = words[i + n - 2];
        if (before.ends_sentence || before.trail == ',' || before.trail == ';') break;
      }
      if (!RunWordOk(words[i]) || !RunWordOk(last)) continue;
      add(FoldEntityKey(query.substr(words[i].begin, last.end - words[i].begin), kName));
    }
  }
  return keys;
}

Result<Expansion> ExpandQuery(std::string_view query, GraphSource* source, const ExpandOptions& options) {
  std::vector<std::string> keys = QueryKeys(query);
  if (keys.empty()) return Expansion{};
  auto seeds = source->MatchKeys(keys);
  if (!seeds.ok()) return seeds.status();
  return ExpandSeeds(std::move(seeds).value(), source, options);
}

Result<Expansion> ExpandSeeds(std::vector<EntityRow> seeds, GraphSource* source, const ExpandOptions& options) {
  Expansion out;
  if (seeds.empty()) return out;
  auto visible = source->Memories();
  if (!visible.ok()) return visible.status();
  double n = static_cast<double>(std::max<int64_t>(*visible, 1));
  auto specificity = [n](const EntityRow& e) {
    return std::log1p(n / static_cast<double>(std::max<int64_t>(e.memories, 1)));
  };
  std::sort(seeds.begin(), seeds.end(), [&](const EntityRow& a, const EntityRow& b) {
    return specificity(a) > specificity(b) || (specificity(a) == specificity(b) && a.id < b.id);
  });
  if (seeds.size() > options.max_seeds) seeds.resize(options.max_seeds);
  std::unordered_map<int64_t, size_t> seed_at;
  std::vector<int64_t> seed_ids;
  for (size_t i = 0; i < seeds.size(); ++i) {
    seed_at[seeds[i].id] = i;
    seed_ids.push_back(seeds[i].id);
  }
  // reach[seq][seed index]
  std::unordered_map<int64_t, std::vector<Reach>> reach;
  auto note = [&](int64_t seq, size_t seed, double value, int hops, const std::function<std::string()>& path) {
    auto& per_seed = reach[seq];
    if (per_seed.empty()) per_seed.resize(seeds.size());
    Reach& r = per_seed[seed];
    if (value > r.value) r = Reach{value, hops, path()};
  };

  auto hop1 = source->MentionsOf(seed_ids, options.mentions_per_entity);
  if (!hop1.ok()) return hop1.status();
  std::unordered_map<int64_t, std::vector<size_t>> seeds_in;  // hop-1 memory -> seeds it names
  for (const MentionRow& m : *hop1) {
    size_t s = seed_at.at(m.entity);
    seeds_in[m.seq].push_back(s);
    note(m.seq, s, specificity(seeds[s]) * RoleWeight(m.role), 1,
         [&] { return seeds[s].name + " (" + RoleName(m.role) + ")"; });
  }

  if (options.hops >= 2 && !seeds_in.empty()) {
    // Stepping stones: entities named together with a seed, and related ones.
    struct Stone {
      size_t seed = 0;
      int64_t entity = 0;
      int64_t shared = 0;
      std::string predicate;  // set when a relation links them
      bool outgoing = true;
      double score = 0;
    };
    std::unordered_map<std::string, Stone> stones;  // "seed|entity"
    auto stone = [&](size_t seed, int64_t entity) -> Stone& {
      Stone& st = stones[std::to_string(seed) + "|" + std::to_string(entity)];
      st.seed = seed;
      st.entity = entity;
      return st;
    };
    std::vector<int64_t> seqs;
    for (const auto& [seq, _] : seeds_in) seqs.push_back(seq);
    auto co = source->MentionsIn(seqs);
    if (!co.ok()) return co.status();
    for (const MentionRow& m : *co) {
      if (seed_at.count(m.entity)) continue;
      for (size_t s : seeds_in[m.seq]) ++stone(s, m.entity).shared;
    }
    auto rels = source->RelationsOf(seed_ids);
    if (!rels.ok()) return rels.status();
    for (const RelationRow& r : *rels) {
      bool from_seed = seed_at.count(r.subject) > 0;
      int64_t other = from_seed ? r.object : r.subject;
      if (seed_at.count(other)) continue;
      Stone& st = stone(seed_at.at(from_seed ? r.subject : r.object), other);
      st.predicate = r.predicate;
      st.outgoing = from_seed;
    }
    std::vector<int64_t> ids;
    for (const auto& [_, st] : stones) ids.push_back(st.entity);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    auto rows = source->Entities(ids);
    if (!rows.ok()) return rows.status();
    std::unordered_map<int64_t, EntityRow> entity;
    for (auto& e : *rows) entity[e.id] = std::move(e);
    std::vector<Stone> kept;
    for (auto& [_, st] : stones) {
      auto it = entity.find(st.entity);
      if (it == entity.end()) continue;
      const EntityRow& f = it->second;
      double seed_spec = specificity(seeds[st.seed]);
      double strength;
      if (!st.predicate.empty()) {
        strength = 1;
      } else {
        if (static_cast<double>(f.memories) > options.max_neighbour_share * n) continue;
        strength = std::min(1.0, static_cast<double>(st.shared) / kCoMentionsForFullStrength) *
                   std::min(1.0, specificity(f) / seed_spec);
      }
      st.score = seed_spec * options.hop_decay * strength;
      if (st.score > 0) kept.push_back(st);
    }
    std::sort(kept.begin(), kept.end(), [](const Stone& a, const Stone& b) {
      return a.score > b.score || (a.score == b.score && a.entity < b.entity);
    });
    if (kept.size() > options.max_neighbours) kept.resize(options.max_neighbours);
    auto describe = [&](const Stone& st) {
      const std::string& a = seeds[st.seed].name;
      const std::string& b = entity[st.entity].name;
      if (st.predicate.empty()) return a + " ~ " + b + " (" + std::to_string(st.shared) + " memories)";
      return st.outgoing ? a + " -[" + st.predicate + "]-> " + b : b + " -[" + st.predicate + "]-> " + a;
    };
    double best_stone = kept.empty() ? 1 : kept.front().score;
    std::unordered_map<int64_t, std::vector<size_t>> stones_of;  // entity -> kept stones
    std::vector<int64_t> stone_ids;
    for (size_t i = 0; i < kept.size(); ++i) {
      if (stones_of[kept[i].entity].empty()) stone_ids.push_back(kept[i].entity);
      stones_of[kept[i].entity].push_back(i);
      Neighbour nb;
      nb.entity = entity[kept[i].entity];
      nb.hops = 1;
      nb.score = kept[i].score / best_stone;
      nb.path = describe(kept[i]);
      nb.shared = kept[i].shared;
      out.neighbours.push_back(std::move(nb));
    }
    auto hop2 = source->MentionsOf(stone_ids, options.mentions_per_entity);
    if (!hop2.ok()) return hop2.status();
    for (const MentionRow& m : *hop2) {
      for (size_t i : stones_of[m.entity]) {
        const Stone& st = kept[i];
        note(m.seq, st.seed, st.score * RoleWeight(m.role), 2,
             [&] { return describe(st) + " (" + RoleName(m.role) + ")"; });
      }
    }
  }

  double best = 0;
  for (auto& [seq, per_seed] : reach) {
    GraphHit hit;
    hit.seq = seq;
    double strongest = 0;
    for (const Reach& r : per_seed) {
      hit.score += r.value;
      if (r.value > strongest) {
        strongest = r.value;
        hit.hops = r.hops;
        hit.path = r.path;
      }
    }
    best = std::max(best, hit.score);
    out.hits.push_back(std::move(hit));
  }
  for (GraphHit& h : out.hits) h.score = best > 0 ? h.score / best : 0;
  std::sort(out.hits.begin(), out.hits.end(), [](const GraphHit& a, const GraphHit& b) {
    return a.score > b.score || (a.score == b.score && a.seq > b.seq);
  });
  out.seeds = std::move(seeds);
  return out;
}

}  // namespace stratamem::graph
