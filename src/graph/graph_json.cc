#include "graph/graph_json.h"

#include <initializer_list>
#include <tuple>

#include "graph/inline_graph.h"

namespace stratamem::graph {
namespace {

using Json = nlohmann::json;

// The first of `keys` present with a string value; nullptr when none is.
const std::string* StringAt(const Json& object, std::initializer_list<const char*> keys) {
  for (const char* key : keys) {
    auto it = object.find(key);
    if (it != object.end() && it->is_string()) return &it->get_ref<const std::string&>();
  }
  return nullptr;
}

// Reads both lists; `problem` returns false to stop at the first one.
class Reader {
 public:
  Reader(GraphItems* out, std::function<bool(std::string)> problem, const char* relations_name)
      : out_(out), problem_(std::move(problem)), relations_name_(relations_name) {}

  bool Entities(const Json* list) {
    if (list == nullptr || list->is_null()) return true;
    if (!list->is_array()) return problem_("\"entities\" is not a list");
    for (size_t i = 0; i < list->size(); ++i) {
      if (!Entity((*list)[i], "entities[" + std::to_string(i) + "]")) return false;
    }
    return true;
  }

  bool Relations(const Json* list) {
    if (list == nullptr || list->is_null()) return true;
    if (!list->is_array()) return problem_(std::string("\"") + relations_name_ + "\" is not a list");
    for (size_t i = 0; i < list->size(); ++i) {
      if (!Relation((*list)[i], std::string(relations_name_) + "[" + std::to_string(i) + "]")) return false;
    }
    return true;
  }

 private:
  bool Entity(const Json& e, const std::string& where) {
    EntityInput in;
    if (e.is_string()) {
      in.name = e.get<std::string>();
    } else if (const std::string* name = e.is_object() ? StringAt(e, {"name", "entity"}) : nullptr) {
      in.name = *name;
      if (const std::string* type = StringAt(e, {"type", "entity_type"})) in.type = *type;
    } else {
      return problem_(where + " is not a name or {\"name\", \"type\"}");
    }
    if (out_->entities.size() >= kMaxInlineEntities) {
      return problem_("more than " + std::to_string(kMaxInlineEntities) + " entities");
    }
    if (Status ok = CheckEntityInput(in, where); !ok.ok()) return problem_(ok.message());
    out_->entities.push_back(std::move(in));
    return true;
  }

  bool Relation(const Json& r, const std::string& where) {
    const std::string *subject = nullptr, *predicate = nullptr, *object = nullptr;
    if (r.is_array() && r.size() == 3 && r[0].is_string() && r[1].is_string() && r[2].is_string()) {
      subject = &r[0].get_ref<const std::string&>();
      predicate = &r[1].get_ref<const std::string&>();
      object = &r[2].get_ref<const std::string&>();
    } else if (r.is_object()) {
      subject = StringAt(r, {"source", "subject"});
      predicate = StringAt(r, {"type", "relationship", "predicate", "relation"});
      object = StringAt(r, {"target", "destination", "object"});
    }
    if (subject == nullptr || predicate == nullptr || object == nullptr) {
      return problem_(where + " is not [source, type, target]");
    }
    if (out_->relations.size() >= kMaxInlineRelations) {
      return problem_("more than " + std::to_string(kMaxInlineRelations) + " " + relations_name_);
    }
    RelationInput in{*subject, *predicate, *object};
    if (Status ok = CheckRelationInput(in, where); !ok.ok()) return problem_(ok.message());
    out_->relations.push_back(std::move(in));
    return true;
  }

  GraphItems* out_;
  std::function<bool(std::string)> problem_;
  const char* relations_name_;
};

}  // namespace

void ReadGraphItemsLenient(const Json* entities, const Json* relations, GraphItems* out,
                           const std::function<void(std::string)>& problem) {
  Reader reader(out, [&](std::string what) {
    problem(what + "; dropped");
    return true;  // go on with the next item
  }, "relations");
  reader.Entities(entities);
  reader.Relations(relations);
}

Result<GraphItems> ReadGraphItemsStrict(const Json* entities, const Json* relations) {
  GraphItems out;
  std::string error;
  Reader reader(&out, [&](std::string what) {
    error = std::move(what);
    return false;
  }, "relationships");
  if (!reader.Entities(entities) || !reader.Relations(relations)) return Status::InvalidArgument(error);
  return out;
}

}  // namespace stratamem::graph

namespace stratamem {

Status ParseGraphInputs(std::string_view entities_json, std::string_view relationships_json,
                        std::vector<EntityInput>* entities, std::vector<RelationInput>* relations) {
  using Json = nlohmann::json;
  Json e, r;
  for (auto [text, json, name] : {std::tuple{entities_json, &e, "entities"},
                                  std::tuple{relationships_json, &r, "relationships"}}) {
    if (text.empty()) continue;
    *json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (json->is_discarded()) return Status::InvalidArgument(std::string(name) + " is not valid JSON");
  }
  auto items = graph::ReadGraphItemsStrict(&e, &r);
  if (!items.ok()) return items.status();
  for (EntityInput& in : items->entities) entities->push_back(std::move(in));
  for (RelationInput& in : items->relations) relations->push_back(std::move(in));
  return Status::OK();
}

}  // namespace stratamem
