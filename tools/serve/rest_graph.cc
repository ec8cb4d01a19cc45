// The graph over REST: the same reads as Python's entities() / relations() /
// neighbors() / graph(), scoped like a search from the request's ids (the
// tenant rules of rest.cc: a tenant never sees another user's graph).
#include <string>

#include "cli/record_json.h"
#include "serve/http_json.h"
#include "serve/rest.h"

namespace stratamem::serve {
namespace {

// The context and limit every graph read takes; false when a 400 was sent.
bool ReadGraphOptions(const ServeContext& ctx, const httplib::Request& req, GraphReadOptions* o,
                      httplib::Response& res) {
  return ResolveContext(req, nullptr, ctx, &o->context, res) &&
         ReadInt(req.get_param_value("limit"), "limit", &o->limit, res);
}

void Entities(const ServeContext& ctx, const httplib::Request& req, httplib::Response& res) {
  EntityQuery q;
  if (!ReadGraphOptions(ctx, req, &q, res)) return;
  q.name = req.get_param_value("name");
  q.type = req.get_param_value("type");
  q.memory_id = req.get_param_value("memory_id");
  auto entities = ctx.store->Entities(q);
  if (!entities.ok()) return SendStatus(res, entities.status());
  Json items = Json::array();
  for (const Entity& e : *entities) items.push_back(cli::EntityJson(e));
  SendJson(res, 200, Json{{"entities", items}});
}

void Neighbors(const ServeContext& ctx, const httplib::Request& req, httplib::Response& res) {
  NeighborQuery q;
  if (!ReadGraphOptions(ctx, req, &q, res) || !ReadInt(req.get_param_value("hops"), "hops", &q.hops, res)) return;
  q.entity = req.matches[1];
  auto near = ctx.store->Neighbors(q);  // NotFound (404) when the entity is not visible
  if (!near.ok()) return SendStatus(res, near.status());
  Json items = Json::array();
  for (const Neighbor& n : *near) items.push_back(cli::NeighborJson(n));
  SendJson(res, 200, Json{{"entity", q.entity}, {"neighbors", items}});
}

void Relations(const ServeContext& ctx, const httplib::Request& req, httplib::Response& res) {
  RelationQuery q;
  if (!ReadGraphOptions(ctx, req, &q, res)) return;
  q.entity = req.get_param_value("entity");
  q.predicate = req.get_param_value("predicate");
  std::string past = req.has_param("include_superseded") ? req.get_param_value("include_superseded") : "true";
  if (past != "true" && past != "false") {
    return SendError(res, 400, "InvalidArgument", "'include_superseded' must be true or false");
  }
  q.include_superseded = past == "true";
  auto relations = ctx.store->Relations(q);
  if (!relations.ok()) return SendStatus(res, relations.status());
  Json items = Json::array();
  for (const Relation& r : *relations) items.push_back(cli::RelationJson(r));
  SendJson(res, 200, Json{{"relations", items}});
}

void Export(const ServeContext& ctx, const httplib::Request& req, httplib::Response& res) {
  GraphReadOptions o;
  if (!ReadGraphOptions(ctx, req, &o, res)) return;
  std::string format = req.has_param("format") ? req.get_param_value("format") : "json";
  if (format != "json" && format != "graphml") {
    return SendError(res, 400, "InvalidArgument", "'format' must be json or graphml");
  }
  auto graph = ctx.store->Graph(o);
  if (!graph.ok()) return SendStatus(res, graph.status());
  res.status = 200;
  if (format == "graphml") {
    res.set_content(GraphToGraphml(*graph), "application/graphml+xml");
  } else {
    res.set_content(GraphToJson(*graph), "application/json");
  }
}

}  // namespace

void RegisterGraphRoutes(httplib::Server& server, const ServeContext& ctx) {
  const ServeContext* c = &ctx;
  server.Get("/v1/graph", [c](const auto& req, auto& res) { Export(*c, req, res); });
  server.Get("/v1/graph/entities", [c](const auto& req, auto& res) { Entities(*c, req, res); });
  server.Get(R"(/v1/graph/entities/([^/]+)/neighbors)", [c](const auto& req, auto& res) { Neighbors(*c, req, res); });
  server.Get("/v1/graph/relations", [c](const auto& req, auto& res) { Relations(*c, req, res); });
}

}  // namespace stratamem::serve
