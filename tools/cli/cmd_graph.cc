// stratamem graph: the entities and relations a user's memories name, one
// entity's neighbourhood, or the whole graph as JSON, GraphML or Graphviz DOT.
#include <cstdio>
#include <fstream>
#include <string>

#include "cli/common.h"
#include "cli/errors.h"
#include "cli/record_json.h"

namespace stratamem::cli {
namespace {

struct GraphOptions {
  std::string entity;   // positional: show this entity
  std::string export_format;
  bool dot = false;
  std::string out;      // write the export here instead of stdout
  int limit = 50;
  int hops = 2;
  std::string type;
};

std::string When(const Relation& r) {
  if (!r.world_from && !r.world_to) return r.superseded ? "  (past)" : "";
  std::string from = r.world_from ? FormatTime(r.world_from).substr(0, 10) : "?";
  std::string to = r.world_to ? FormatTime(r.world_to).substr(0, 10) : "now";
  return "  (" + from + " .. " + to + ")";
}

int Emit(const std::string& text, const GraphOptions& g) {
  if (g.out.empty()) {
    std::fputs(text.c_str(), stdout);
    return kExitOk;
  }
  std::ofstream file(g.out, std::ios::binary);
  file << text;
  if (!file.good()) return ReportError(Status::IOError("cannot write " + g.out), false);
  return kExitOk;
}

int RunList(MemoryStore& store, const CommonOptions& common, const GraphOptions& g) {
  EntityQuery q;
  q.context = common.context;
  q.limit = g.limit;
  q.type = g.type;
  auto entities = store.Entities(q);
  if (!entities.ok()) return ReportError(entities.status(), common.json);
  if (common.json) {
    Json out = Json::array();
    for (const Entity& e : *entities) out.push_back(EntityJson(e));
    std::printf("%s\n", Dump(Json{{"entities", out}}).c_str());
    return kExitOk;
  }
  if (entities->empty()) std::printf("(no entities)\n");
  for (const Entity& e : *entities) {
    std::printf("%-28s %-9s %3lld memor%s", e.name.c_str(), e.type.c_str(), static_cast<long long>(e.memories),
                e.memories == 1 ? "y" : "ies");
    if (!e.aliases.empty()) {
      std::string aliases;
      for (const std::string& a : e.aliases) aliases += (aliases.empty() ? "" : ", ") + a;
      std::printf("  (also %s)", aliases.c_str());
    }
    std::printf("\n");
  }
  return kExitOk;
}

int RunShow(MemoryStore& store, const CommonOptions& common, const GraphOptions& g) {
  EntityQuery eq;
  eq.context = common.context;
  eq.name = g.entity;
  auto entity = store.Entities(eq);
  if (!entity.ok()) return ReportError(entity.status(), common.json);
  if (entity->empty()) return ReportError(Status::NotFound("no entity '" + g.entity + "' is visible here"), common.json);
  RelationQuery rq;
  rq.context = common.context;
  rq.entity = g.entity;
  rq.limit = g.limit;
  auto relations = store.Relations(rq);
  if (!relations.ok()) return ReportError(relations.status(), common.json);
  NeighborQuery nq;
  nq.context = common.context;
  nq.entity = g.entity;
  nq.hops = g.hops;
  nq.limit = g.limit;
  auto neighbors = store.Neighbors(nq);
  if (!neighbors.ok()) return ReportError(neighbors.status(), common.json);
  const Entity& e = entity->front();
  if (common.json) {
    Json rels = Json::array(), near = Json::array();
    for (const Relation& r : *relations) rels.push_back(RelationJson(r));
    for (const Neighbor& n : *neighbors) near.push_back(NeighborJson(n));
    std::printf("%s\n", Dump(Json{{"entity", EntityJson(e)}, {"relations", rels}, {"neighbors", near}}).c_str());
    return kExitOk;
  }
  std::printf("%s (%s), named by %lld memor%s\n", e.name.c_str(), e.type.c_str(), static_cast<long long>(e.memories),
              e.memories == 1 ? "y" : "ies");
  if (!relations->empty()) std::printf("relations:\n");
  for (const Relation& r : *relations) {
    std::printf("  %s -[%s]-> %s%s\n", r.subject.c_str(), r.predicate.c_str(), r.object.c_str(), When(r).c_str());
  }
  if (!neighbors->empty()) std::printf("neighbours:\n");
  for (const Neighbor& n : *neighbors) {
    std::printf("  %.2f  %-24s %s\n", n.score, n.entity.name.c_str(), n.path.c_str());
  }
  return kExitOk;
}

int RunGraph(const CommonOptions& common, const GraphOptions& g) {
  if (int rc = RequireUser(common, "graph")) return rc;
  std::string format = g.dot ? "dot" : g.export_format;
  if (!format.empty() && format != "json" && format != "graphml" && format != "dot") {
    return ReportUsageError("--export must be json, graphml or dot", common.json);
  }
  if (!format.empty() && !g.entity.empty()) {
    return ReportUsageError("give an entity to show it, or --export/--dot for the whole graph, not both", common.json);
  }
  int rc = 0;
  auto store = OpenStore(common, CreateMode::kMustExist, &rc);
  if (!store) return rc;
  if (format.empty()) return g.entity.empty() ? RunList(*store, common, g) : RunShow(*store, common, g);
  GraphReadOptions o;
  o.context = common.context;
  o.limit = g.limit;
  auto graph = store->Graph(o);
  if (!graph.ok()) return ReportError(graph.status(), common.json);
  return Emit(format == "dot" ? GraphToDot(*graph) : format == "graphml" ? GraphToGraphml(*graph) : GraphToJson(*graph),
              g);
}

}  // namespace

CommandFn RegisterGraph(CLI::App& app, CommonOptions& common) {
  static GraphOptions g;
  auto* sub = app.add_subcommand(
      "graph",
      "The entities and relations --user's memories name (as a search from the given ids sees them); "
      "with ENTITY, that entity's relations and neighbours; with --export or --dot, the whole graph.");
  AddCommonOptions(sub, &common);
  sub->add_option("entity", g.entity, "Show this entity (a name or an alias)");
  sub->add_option("--export", g.export_format, "Print the whole graph as json, graphml or dot");
  sub->add_flag("--dot", g.dot, "Same as --export dot (render with: dot -Tpng -o graph.png)");
  sub->add_option("-o,--out", g.out, "With --export/--dot: write to this file instead of stdout");
  sub->add_option("--type", g.type, "List only entities of this type (person, name, path, date, ...)");
  sub->add_option("--hops", g.hops, "With ENTITY: neighbours up to this many hops away (1 or 2)")
      ->check(CLI::Range(1, 2));
  sub->add_option("--limit", g.limit, "At most this many entities / relations / neighbours")
      ->check(CLI::Range(1, 10000));
  sub->footer(
      "Examples:\n"
      "  stratamem graph --user team\n"
      "  stratamem graph Alice --user team\n"
      "  stratamem graph --user team --dot -o graph.dot");
  return [&common] { return RunGraph(common, g); };
}

}  // namespace stratamem::cli
