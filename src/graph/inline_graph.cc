#include "graph/inline_graph.h"

#include <unordered_map>
#include <unordered_set>

#include "graph/extractor.h"
#include "graph/fold.h"
#include "graph/mention.h"
#include "graph/words.h"
#include "util/utf8.h"

namespace stratamem::graph {
namespace {

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return std::string(s.substr(b, e - b));
}

Status CheckName(std::string_view name, const std::string& where) {
  if (IsBlank(name)) return Status::InvalidArgument(where + " is empty");
  if (!IsValidUtf8(name)) return Status::InvalidArgument(where + " is not valid UTF-8");
  if (name.size() > kMaxEntityNameBytes) {
    return Status::InvalidArgument(where + " is longer than " + std::to_string(kMaxEntityNameBytes) + " bytes");
  }
  for (unsigned char c : name) {
    if (c < 0x20 || c == 0x7F) return Status::InvalidArgument(where + " contains a control character");
  }
  return Status::OK();
}

Result<std::string> CheckType(std::string_view type, const std::string& where) {
  std::string t = AsciiLower(Trim(type));
  if (t.size() > kMaxTypeBytes) {
    return Status::InvalidArgument(where + " is longer than " + std::to_string(kMaxTypeBytes) + " bytes");
  }
  for (char c : t) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == ' ')) {
      return Status::InvalidArgument(where + " must be letters, digits, '_', '-' or spaces");
    }
  }
  return t;
}

// The extractor's type when it reads the whole name as one entity ("Dr. Lee"
// -> person, "src/x.rs" -> path), otherwise "name".
std::string GuessType(std::string_view name) {
  std::vector<Mention> found = ExtractEntities(name);
  if (found.size() == 1 && found[0].end - found[0].begin >= name.size() - (name.back() == '.' ? 1 : 0)) {
    return found[0].type;
  }
  return std::string(kName);
}

}  // namespace

std::string NormalizePredicate(std::string_view predicate) {
  std::string lower = NormalizeForHash(predicate);
  std::string out;
  bool gap = false;
  for (unsigned char c : lower) {
    bool word = c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (word) {
      if (gap && !out.empty()) out += '_';
      out += static_cast<char>(c);
      gap = false;
    } else {
      gap = true;
    }
  }
  return out;
}

Status CheckEntityInput(const EntityInput& entity, const std::string& where) {
  STRATAMEM_RETURN_IF_ERROR(CheckName(Trim(entity.name), where + ".name"));
  return CheckType(entity.type, where + ".type").status();
}

Status CheckRelationInput(const RelationInput& r, const std::string& where) {
  STRATAMEM_RETURN_IF_ERROR(CheckName(Trim(r.subject), where + ".source"));
  STRATAMEM_RETURN_IF_ERROR(CheckName(Trim(r.object), where + ".target"));
  if (!IsValidUtf8(r.predicate)) return Status::InvalidArgument(where + ".relationship is not valid UTF-8");
  std::string predicate = NormalizePredicate(r.predicate);
  if (predicate.empty()) return Status::InvalidArgument(where + ".relationship is empty");
  if (predicate.size() > kMaxPredicateBytes) {
    return Status::InvalidArgument(where + ".relationship is longer than " + std::to_string(kMaxPredicateBytes) +
                                   " bytes");
  }
  if (r.world_from < 0 || r.world_to < 0 || (r.world_to != 0 && r.world_from != 0 && r.world_to < r.world_from)) {
    return Status::InvalidArgument(where + " ends before it starts (world_to < world_from)");
  }
  return Status::OK();
}

Result<InlineGraph> PrepareInlineGraph(const std::vector<EntityInput>& entities,
                                       const std::vector<RelationInput>& relations) {
  if (entities.size() > kMaxInlineEntities) {
    return Status::InvalidArgument("at most " + std::to_string(kMaxInlineEntities) + " entities per memory");
  }
  if (relations.size() > kMaxInlineRelations) {
    return Status::InvalidArgument("at most " + std::to_string(kMaxInlineRelations) + " relations per memory");
  }
  InlineGraph out;
  std::unordered_map<std::string, size_t> by_key;
  std::unordered_map<std::string, std::string> key_of_name;  // trimmed name -> key
  auto add = [&](const std::string& name, std::string type) {
    if (type.empty()) type = GuessType(name);
    std::string key = FoldEntityKey(name, type);
    if (key.empty()) key = NormalizeForHash(name);
    auto [it, fresh] = by_key.try_emplace(key, out.entities.size());
    if (fresh) {
      out.entities.push_back({name, key, type});
    } else if (TypeRank(type) > TypeRank(out.entities[it->second].type)) {
      out.entities[it->second].type = type;
    }
    key_of_name[name] = key;
    return key;
  };
  for (size_t i = 0; i < entities.size(); ++i) {
    std::string where = "entities[" + std::to_string(i) + "]";
    STRATAMEM_RETURN_IF_ERROR(CheckEntityInput(entities[i], where));
    add(Trim(entities[i].name), CheckType(entities[i].type, where).value());
  }
  std::unordered_set<std::string> seen;
  for (size_t i = 0; i < relations.size(); ++i) {
    const RelationInput& r = relations[i];
    std::string where = "relationships[" + std::to_string(i) + "]";
    STRATAMEM_RETURN_IF_ERROR(CheckRelationInput(r, where));
    std::string subject = Trim(r.subject), object = Trim(r.object);
    std::string predicate = NormalizePredicate(r.predicate);
    auto key_for = [&](const std::string& name) {
      auto it = key_of_name.find(name);
      return it != key_of_name.end() ? it->second : add(name, "");
    };
    InlineRelation rel{key_for(subject), predicate, key_for(object), r.world_from, r.world_to};
    if (seen.insert(rel.subject_key + '\x1f' + rel.predicate + '\x1f' + rel.object_key).second) {
      out.relations.push_back(std::move(rel));
    }
  }
  return out;
}

}  // namespace stratamem::graph
