#include "mcp/memory_tools.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "cli/record_json.h"
#include "mcp/schema_check.h"
#include "mcp/tool_schemas.h"

namespace stratamem::mcp {
namespace {

using Json = nlohmann::json;

Json NullIfEmpty(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

// A memory as the tools show it: what an agent needs to judge and cite a fact,
// without the store's bookkeeping (hashes, validity intervals).
Json MemoryJson(const MemoryRecord& r) {
  Json metadata = Json::parse(r.metadata_json, nullptr, /*allow_exceptions=*/false);
  if (!metadata.is_object()) metadata = Json::object();
  return Json{{"id", r.id},
              {"content", r.content},
              {"scope", ScopeName(r.scope)},
              {"importance", r.importance},
              {"source_agent", NullIfEmpty(r.source_agent)},
              {"sources", r.sources},
              {"seen_count", r.seen_count},
              {"version", r.version},
              {"session_id", NullIfEmpty(r.context.session_id)},
              {"created_at", cli::FormatTime(r.created_at, /*with_micros=*/false)},
              {"updated_at", cli::FormatTime(r.updated_at, /*with_micros=*/false)},
              {"metadata", std::move(metadata)}};
}

// The text block repeats the structured result as JSON: the spec's advice for
// clients that read only `content`, and models read JSON well.
ToolResult Ok(Json structured) {
  ToolResult result;
  result.text = cli::Dump(structured);
  result.structured = std::move(structured);
  return result;
}

ToolResult Fail(const std::string& message) {
  ToolResult result;
  result.is_error = true;
  result.text = message;
  return result;
}

ToolResult Fail(const Status& status) { return Fail(status.ToString()); }

const Json& InputSchemaOf(const std::string& name) {
  for (const auto& tool : ToolDefinitions()) {
    if (tool["name"] == name) return tool["inputSchema"];
  }
  static const Json empty = Json::object();
  return empty;
}

std::vector<Scope> ScopesArg(const Json& args) {
  std::vector<Scope> scopes;
  for (const auto& name : args.value("scope", Json::array())) {
    auto scope = ParseScope(name.get<std::string>());
    if (scope.ok()) scopes.push_back(*scope);  // the schema admitted only valid names
  }
  return scopes;
}

std::string MetadataArg(const Json& args) {
  auto it = args.find("metadata");
  return it == args.end() ? std::string() : it->dump();
}

}  // namespace

MemoryTools::MemoryTools(MemoryStore* store, ScopeContext identity)
    : store_(store), identity_(std::move(identity)) {}

ToolResult MemoryTools::Call(const std::string& name, const Json& arguments) {
  const Json args = arguments.is_null() ? Json::object() : arguments;
  if (std::string error = CheckAgainstSchema(args, InputSchemaOf(name)); !error.empty()) {
    return Fail("invalid arguments for " + name + ": " + error);
  }
  if (name == "memory_save") return Save(args);
  if (name == "memory_search") return Search(args);
  if (name == "memory_update") return Update(args);
  if (name == "memory_forget") return Forget(args);
  if (name == "memory_related") return Related(args);
  return List(args);
}

Result<MemoryRecord> MemoryTools::OwnRecord(const std::string& id) {
  auto record = store_->Get(id);
  // Another user's memory is reported exactly like a missing one: its
  // existence is not this user's business.
  if (!record.ok() || record->context.user_id != identity_.user_id) {
    if (record.ok() || record.status().code() == Status::Code::kNotFound) {
      return Status::NotFound("no memory with id '" + id + "'");
    }
    return record.status();
  }
  return record;
}

ToolResult MemoryTools::Save(const Json& args) {
  SaveRequest request;
  request.content = args["content"].get<std::string>();
  request.scope = ParseScope(args.value("scope", "user")).value();
  request.importance = args.value("importance", 0.5);
  request.metadata_json = MetadataArg(args);
  request.context = identity_;
  request.source_agent = identity_.agent_id;
  if (Status st = ParseGraphInputs(args.contains("entities") ? args["entities"].dump() : "",
                                   args.contains("relationships") ? args["relationships"].dump() : "",
                                   &request.entities, &request.relations);
      !st.ok()) {
    return Fail(st);
  }
  if (Status st = ValidateContextFor(request.scope, request.context); !st.ok()) {
    return Fail("scope '" + std::string(ScopeName(request.scope)) + "' is not available: this server was started "
                "without --session" + std::string(request.scope == Scope::kAgent ? " or --agent" : "") +
                "; use scope 'user'");
  }
  auto outcome = store_->SaveDetailed({request});
  if (!outcome.ok()) return Fail(outcome.status());
  const SaveOutcome& saved = outcome->front();
  auto record = store_->Get(saved.id);
  if (!record.ok()) return Fail(record.status());
  return Ok(Json{{"id", saved.id}, {"merged", saved.merged}, {"memory", MemoryJson(*record)}});
}

ToolResult MemoryTools::Search(const Json& args) {
  SearchRequest request;
  request.query = args["query"].get<std::string>();
  request.top_k = args.value("top_k", kDefaultTopK);
  request.scopes = ScopesArg(args);
  request.context = identity_;
  auto found = store_->Search(request);
  if (!found.ok()) return Fail(found.status());
  Json results = Json::array();
  for (const SearchResult& r : *found) {
    results.push_back(Json{{"memory", MemoryJson(r.record)}, {"score", r.score}});
  }
  return Ok(Json{{"results", std::move(results)}});
}

ToolResult MemoryTools::Update(const Json& args) {
  const std::string id = args["id"].get<std::string>();
  auto current = OwnRecord(id);
  if (!current.ok()) return Fail(current.status());
  if (current->valid_to != 0) {
    return Fail("memory '" + id + "' was superseded" +
                (current->superseded_by.empty() ? std::string() : " by '" + current->superseded_by + "'") +
                "; update the current one");
  }
  if (args.value("supersede", false)) {
    SaveRequest replacement;
    replacement.content = args["content"].get<std::string>();
    replacement.scope = current->scope;
    replacement.context = current->context;  // same level and ids as the fact it replaces
    replacement.source_agent = identity_.agent_id;
    replacement.importance = args.value("importance", current->importance);
    replacement.metadata_json = args.contains("metadata") ? MetadataArg(args) : current->metadata_json;
    auto new_id = store_->Supersede(id, replacement);
    if (!new_id.ok()) return Fail(new_id.status());
    auto record = store_->Get(*new_id);
    if (!record.ok()) return Fail(record.status());
    return Ok(Json{{"id", *new_id}, {"superseded", id}, {"memory", MemoryJson(*record)}});
  }
  UpdateRequest request;
  request.content = args["content"].get<std::string>();
  request.importance = args.value("importance", -1.0);
  request.metadata_json = MetadataArg(args);
  auto updated = store_->Update(id, request);
  if (!updated.ok()) return Fail(updated.status());
  return Ok(Json{{"id", id}, {"superseded", nullptr}, {"memory", MemoryJson(*updated)}});
}

ToolResult MemoryTools::Forget(const Json& args) {
  const std::string id = args["id"].get<std::string>();
  auto current = OwnRecord(id);
  if (!current.ok()) return Fail(current.status());
  if (Status st = store_->Delete(id); !st.ok()) return Fail(st);
  return Ok(Json{{"deleted", id}});
}

ToolResult MemoryTools::List(const Json& args) {
  ListRequest request;
  request.context = identity_;
  request.visible_only = true;
  request.scopes = ScopesArg(args);
  request.limit = args.value("limit", kDefaultListLimit);
  request.offset = args.value("offset", 0);
  auto listed = store_->List(request);
  if (!listed.ok()) return Fail(listed.status());
  Json memories = Json::array();
  for (const MemoryRecord& r : *listed) memories.push_back(MemoryJson(r));
  size_t count = memories.size();
  return Ok(Json{{"memories", std::move(memories)}, {"count", count}});
}

ToolResult MemoryTools::Related(const Json& args) {
  const std::string entity = args.value("entity", "");
  const std::string id = args.value("id", "");
  if (entity.empty() == id.empty()) return Fail("give entity (a name) or id (a memory's id), one of them");
  const int limit = args.value("limit", kDefaultRelated);
  EntityQuery eq;
  eq.context = identity_;
  eq.name = entity;
  eq.limit = limit;
  if (!id.empty()) {
    if (auto own = OwnRecord(id); !own.ok()) return Fail(own.status());
    eq.memory_id = id;
  }
  auto seeds = store_->Entities(eq);
  if (!seeds.ok()) return Fail(seeds.status());
  if (!entity.empty() && seeds->empty()) return Fail("no entity '" + entity + "' is named in the memories visible here");
  // Memory ids closest first: the seeds' relations, then each neighbour's (best first).
  std::vector<std::string> ids;
  auto add_id = [&](const std::string& m) {
    if (!m.empty() && std::find(ids.begin(), ids.end(), m) == ids.end()) ids.push_back(m);
  };
  if (!id.empty()) add_id(id);
  Json entities = Json::array(), relations = Json::array(), neighbors = Json::array();
  for (const Entity& seed : *seeds) {
    entities.push_back(cli::EntityJson(seed));
    RelationQuery rq;
    rq.context = identity_;
    rq.entity = seed.name;
    rq.limit = limit;
    rq.include_superseded = false;
    auto rels = store_->Relations(rq);
    if (!rels.ok()) return Fail(rels.status());
    for (const Relation& r : *rels) {
      relations.push_back(cli::RelationJson(r));
      add_id(r.memory_id);
    }
    NeighborQuery nq;
    nq.context = identity_;
    nq.entity = seed.name;
    nq.hops = args.value("hops", 2);
    nq.limit = limit;
    auto near = store_->Neighbors(nq);
    if (!near.ok()) return Fail(near.status());
    for (const Neighbor& n : *near) {
      neighbors.push_back(cli::NeighborJson(n));
      for (const std::string& m : n.memory_ids) add_id(m);
    }
  }
  Json memories = Json::array();
  for (const std::string& m : ids) {
    if (memories.size() >= static_cast<size_t>(limit)) break;
    auto record = OwnRecord(m);  // every id came from a read scoped to this identity
    if (record.ok() && record->valid_to == 0) memories.push_back(MemoryJson(*record));
  }
  return Ok(Json{{"entities", std::move(entities)}, {"relations", std::move(relations)},
                 {"neighbors", std::move(neighbors)}, {"memories", std::move(memories)}});
}

}  // namespace stratamem::mcp
