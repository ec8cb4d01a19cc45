#include "serve/rest.h"

#include <string>
#include <vector>

#include "cli/record_json.h"
#include "serve/http_json.h"
#include "serve/openapi.h"

namespace stratamem::serve {

using cli::RecordToJson;

// The scope ids of a request: headers, then body (or query) fields; a body
// cannot name another user than the header (403).
bool ResolveContext(const httplib::Request& req, const Json* body, const ServeContext& ctx,
                    ScopeContext* out, httplib::Response& res) {
  // Headers first, then the body's or query's ids, then the server's
  // --user/--session/--agent defaults for what neither named: a default is
  // not a header, so a body may name its own user (docs/serve.md).
  *out = ContextFromHeaders(req, ScopeContext{});
  ScopeContext given;
  if (body != nullptr) {
    if (!ReadStringField(*body, "user_id", &given.user_id, res) ||
        !ReadStringField(*body, "session_id", &given.session_id, res) ||
        !ReadStringField(*body, "agent_id", &given.agent_id, res) ||
        !ReadStringField(*body, "turn_id", &given.turn_id, res)) {
      return false;
    }
  } else {
    given.user_id = req.get_param_value("user_id");
    given.session_id = req.get_param_value("session_id");
    given.agent_id = req.get_param_value("agent_id");
    given.turn_id = req.get_param_value("turn_id");
  }
  if (!MergeContext(given, out, res)) return false;
  const ScopeContext& defaults = ctx.options.defaults;
  if (out->user_id.empty()) out->user_id = defaults.user_id;
  if (out->session_id.empty()) out->session_id = defaults.session_id;
  if (out->agent_id.empty()) out->agent_id = defaults.agent_id;
  if (out->turn_id.empty()) out->turn_id = defaults.turn_id;
  if (out->user_id.empty()) {
    SendError(res, 400, "InvalidArgument", "no user: send X-Stratamem-User or user_id");
    return false;
  }
  return true;
}

namespace {

// "scope": "user", ["user","session"] or "user,session" -> levels.
bool ReadScopes(const Json& value, std::vector<Scope>* out, httplib::Response& res) {
  std::vector<std::string> names;
  if (value.is_string()) {
    std::string text = value.get<std::string>();
    size_t start = 0;
    while (start <= text.size()) {
      size_t comma = text.find(',', start);
      if (comma == std::string::npos) comma = text.size();
      if (comma > start) names.push_back(text.substr(start, comma - start));
      start = comma + 1;
    }
  } else if (value.is_array()) {
    for (const Json& item : value) {
      if (!item.is_string()) {
        SendError(res, 400, "InvalidArgument", "scopes must be strings");
        return false;
      }
      names.push_back(item.get<std::string>());
    }
  } else if (!value.is_null()) {
    SendError(res, 400, "InvalidArgument", "scopes must be a string or a list of strings");
    return false;
  }
  for (const std::string& name : names) {
    auto scope = ParseScope(name);
    if (!scope.ok()) {
      SendStatus(res, scope.status());
      return false;
    }
    out->push_back(*scope);
  }
  return true;
}

bool ReadMetadata(const Json& body, std::string* out, httplib::Response& res) {
  auto it = body.find("metadata");
  if (it == body.end() || it->is_null()) return true;
  if (!it->is_object()) {
    SendError(res, 400, "InvalidArgument", "'metadata' must be a JSON object");
    return false;
  }
  *out = cli::Dump(*it);
  return true;
}

bool ReadNumber(const Json& body, const char* name, double* out, httplib::Response& res) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return true;
  if (!it->is_number()) {
    SendError(res, 400, "InvalidArgument", std::string("'") + name + "' must be a number");
    return false;
  }
  *out = it->get<double>();
  return true;
}

// The record `id` if it belongs to the request's user; otherwise 404 sent
// (another tenant's memory is indistinguishable from a missing one).
bool OwnRecord(const ServeContext& ctx, const std::string& id, const std::string& user,
               MemoryRecord* out, httplib::Response& res) {
  auto record = ctx.store->Get(id);
  if (!record.ok() || record->context.user_id != user) {
    if (record.ok() || record.status().code() == Status::Code::kNotFound) {
      SendError(res, 404, "NotFound", "no memory with id '" + id + "'");
    } else {
      SendStatus(res, record.status());
    }
    return false;
  }
  *out = std::move(record).value();
  return true;
}

// Parses the body and checks it against its schema in /openapi.json.
bool ParseBody(const httplib::Request& req, const char* schema, httplib::Response& res, Json* body) {
  if (!ParseJsonObject(req, res, body)) return false;
  if (std::string error = CheckBody(*body, schema); !error.empty()) {
    SendError(res, 400, "InvalidArgument", error);
    return false;
  }
  return true;
}

void Save(const ServeContext& ctx, const httplib::Request& req, httplib::Response& res) {
  Json body;
  if (!ParseBody(req, "SaveRequest", res, &body)) return;
  SaveRequest request;
  if (!ResolveContext(req, &body, ctx, &request.context, res)) return;
  std::string scope = "user";
  if (!ReadStringField(body, "content", &request.content, res) ||
      !ReadStringField(body, "scope", &scope, res) ||
      !ReadStringField(body, "source_agent", &request.source_agent, res) ||
      !ReadNumber(body, "importance", &request.importance, res) ||
      !ReadMetadata(body, &request.metadata_json, res)) {
    return;
  }
  if (Status st = ParseGraphInputs(body.contains("entities") ? cli::Dump(body["entities"]) : "",
                                   body.contains("relationships") ? cli::Dump(body["relationships"]) : "",
                                   &request.entities, &request.relations);
      !st.ok()) {
    return SendError(res, 400, "InvalidArgument", st.message());
  }
  if (auto it = body.find("dedup"); it != body.end() && it->is_boolean()) request.dedup = it->get<bool>();
  auto parsed = ParseScope(scope);
  if (!parsed.ok()) return SendStatus(res, parsed.status());
  request.scope = *parsed;
  auto saved = ctx.store->SaveDetailed({request});
  if (!saved.ok()) return SendStatus(res, saved.status());
  const SaveOutcome& outcome = saved->front();
  Json out{{"id", outcome.id}, {"merged", outcome.merged}};
  if (auto record = ctx.store->Get(outcome.id); record.ok()) out["memory"] = RecordToJson(*record);
  SendJson(res, outcome.merged ? 200 : 201, out);
}

void List(const ServeContext& ctx, const httplib::Request& req, httplib::Response& res) {
  ListRequest request;
  if (!ResolveContext(req, nullptr, ctx, &request.context, res)) return;
  if (req.has_param("scope") && !ReadScopes(Json(req.get_param_value("scope")), &request.scopes, res)) return;
  if (!ReadInt(req.get_param_value("limit"), "limit", &request.limit, res) ||
      !ReadInt(req.get_param_value("offset"), "offset", &request.offset, res)) {
    return;
  }
  // view=all: every memory of the user saved with the given ids (not only
  // what a search from them would see).
  std::string view = req.has_param("view") ? req.get_param_value("view") : "visible";
  if (view != "visible" && view != "all") return SendError(res, 400, "InvalidArgument", "'view' must be visible or all");
  request.visible_only = view != "all";
  auto records = ctx.store->List(request);
  if (!records.ok()) return SendStatus(res, records.status());
  Json items = Json::array();
  for (const MemoryRecord& record : *records) items.push_back(RecordToJson(record));
  SendJson(res, 200, Json{{"memories", items}});
}

void GetOne(const ServeContext& ctx, const httplib::Request& req, httplib::Response& res) {
  ScopeContext who;
  if (!ResolveContext(req, nullptr, ctx, &who, res)) return;
  MemoryRecord record;
  if (!OwnRecord(ctx, req.matches[1], who.user_id, &record, res)) return;
  SendJson(res, 200, RecordToJson(record));
}

// Every version of a memory and of those it superseded, oldest first (only
// the tenant's own: a memory another user superseded is not shown).
void History(const ServeContext& ctx, const httplib::Request& req, httplib::Response& res) {
  ScopeContext who;
  if (!ResolveContext(req, nullptr, ctx, &who, res)) return;
  MemoryRecord record;
  if (!OwnRecord(ctx, req.matches[1], who.user_id, &record, res)) return;
  auto versions = ctx.store->History(record.id);
  if (!versions.ok()) return SendStatus(res, versions.status());
  Json out = Json::array();
  for (const MemoryRecord& version : *versions) {
    if (version.context.user_id == who.user_id) out.push_back(RecordToJson(version));
  }
  SendJson(res, 200, Json{{"id", record.id}, {"versions", std::move(out)}});
}

void Patch(const ServeContext& ctx, const httplib::Request& req, httplib::Response& res) {
  Json body;
  if (!ParseBody(req, "UpdateRequest", res, &body)) return;
  ScopeContext who;
  if (!ResolveContext(req, &body, ctx, &who, res)) return;
  MemoryRecord record;
  if (!OwnRecord(ctx, req.matches[1], who.user_id, &record, res)) return;
  UpdateRequest update;
  if (!ReadStringField(body, "content", &update.content, res) ||
      !ReadNumber(body, "importance", &update.importance, res) ||
      !ReadMetadata(body, &update.metadata_json, res)) {
    return;
  }
  // The schema refused "" and out-of-range values: empty here means absent.
  if (update.content.empty() && update.importance < 0 && update.metadata_json.empty()) {
    return SendError(res, 400, "InvalidArgument", "nothing to change: give content, importance or metadata");
  }
  if (update.content.empty()) update.content = record.content;
  auto updated = ctx.store->Update(record.id, update);
  if (!updated.ok()) return SendStatus(res, updated.status());
  SendJson(res, 200, RecordToJson(*updated));
}

void Delete(const ServeContext& ctx, const httplib::Request& req, httplib::Response& res) {
  ScopeContext who;
  if (!ResolveContext(req, nullptr, ctx, &who, res)) return;
  MemoryRecord record;
  if (!OwnRecord(ctx, req.matches[1], who.user_id, &record, res)) return;
  Status st = ctx.store->Delete(record.id);
  if (!st.ok()) return SendStatus(res, st);
  SendJson(res, 200, Json{{"id", record.id}, {"deleted", true}});
}

void Search(const ServeContext& ctx, const httplib::Request& req, httplib::Response& res) {
  Json body;
  if (!ParseBody(req, "SearchRequest", res, &body)) return;
  SearchRequest request;
  if (!ResolveContext(req, &body, ctx, &request.context, res)) return;
  std::string mode = "hybrid";
  double top_k = request.top_k;
  if (!ReadStringField(body, "query", &request.query, res) || !ReadStringField(body, "mode", &mode, res) ||
      !ReadNumber(body, "top_k", &top_k, res) || !ReadNumber(body, "min_score", &request.min_score, res) ||
      !ReadNumber(body, "diversity", &request.diversity, res)) {
    return;
  }
  if (top_k < 1 || top_k > 1000) return SendError(res, 400, "InvalidArgument", "'top_k' must be in 1..1000");
  request.top_k = static_cast<int>(top_k);
  if (mode != "hybrid" && mode != "vector" && mode != "text") {
    return SendError(res, 400, "InvalidArgument", "'mode' must be hybrid, vector or text");
  }
  request.mode = mode == "vector" ? SearchMode::kVector : mode == "text" ? SearchMode::kText : SearchMode::kHybrid;
  if (auto it = body.find("scopes"); it != body.end() && !ReadScopes(*it, &request.scopes, res)) return;
  if (auto it = body.find("filters"); it != body.end() && !it->is_null()) {
    if (!it->is_object()) return SendError(res, 400, "InvalidArgument", "'filters' must be a JSON object");
    for (const auto& [key, value] : it->items()) request.metadata_equals.emplace_back(key, cli::Dump(value));
  }
  auto results = ctx.store->Search(request);
  if (!results.ok()) return SendStatus(res, results.status());
  Json items = Json::array();
  for (const SearchResult& result : *results) items.push_back(cli::ResultToJson(result));
  SendJson(res, 200, Json{{"results", items}});
}

// A tenant's numbers only; the store-wide ones (file size, users, the ANN
// index, cache counters) with view=store, on a server that has a token.
void Stats(const ServeContext& ctx, const httplib::Request& req, httplib::Response& res) {
  std::string view = req.has_param("view") ? req.get_param_value("view") : "tenant";
  if (view == "store") {
    if (ctx.options.token.empty()) {
      return SendError(res, 403, "Forbidden", "store-wide stats need a server started with --token");
    }
    auto stats = ctx.store->Stats(ScopeContext{});
    if (!stats.ok()) return SendStatus(res, stats.status());
    return SendJson(res, 200, cli::StatsToJson(*stats));
  }
  if (view != "tenant") return SendError(res, 400, "InvalidArgument", "'view' must be tenant or store");
  ScopeContext who;
  if (!ResolveContext(req, nullptr, ctx, &who, res)) return;
  auto stats = ctx.store->Stats(who);
  if (!stats.ok()) return SendStatus(res, stats.status());
  Json full = cli::StatsToJson(*stats);
  Json out = Json::object();
  for (const char* key : {"total", "by_scope", "dimension", "embedder_model", "schema_version"}) out[key] = full[key];
  SendJson(res, 200, out);
}

}  // namespace

bool ReadInt(const std::string& text, const char* name, int* out, httplib::Response& res) {
  if (text.empty()) return true;
  try {
    size_t used = 0;
    long value = std::stol(text, &used);
    if (used == text.size() && value >= 0 && value <= 1000000) {
      *out = static_cast<int>(value);
      return true;
    }
  } catch (const std::exception&) {
  }
  SendError(res, 400, "InvalidArgument", std::string("'") + name + "' must be a non-negative integer");
  return false;
}

void RegisterRestRoutes(httplib::Server& server, const ServeContext& ctx) {
  const ServeContext* c = &ctx;
  constexpr const char* kOne = R"(/v1/memories/([A-Za-z0-9_.:-]+))";
  const size_t max = ctx.options.max_body_bytes;  // bodies are read by WithBody, chunked or not
  server.Post("/v1/memories/search", WithBody(max, [c](const auto& req, auto& res) { Search(*c, req, res); }));
  server.Post("/v1/memories", WithBody(max, [c](const auto& req, auto& res) { Save(*c, req, res); }));
  server.Get("/v1/memories", [c](const auto& req, auto& res) { List(*c, req, res); });
  server.Get(kOne, [c](const auto& req, auto& res) { GetOne(*c, req, res); });
  server.Get(std::string(kOne) + "/history", [c](const auto& req, auto& res) { History(*c, req, res); });
  server.Patch(kOne, WithBody(max, [c](const auto& req, auto& res) { Patch(*c, req, res); }));
  server.Delete(kOne, WithBody(max, [c](const auto& req, auto& res) { Delete(*c, req, res); }));
  server.Get("/v1/stats", [c](const auto& req, auto& res) { Stats(*c, req, res); });
  RegisterGraphRoutes(server, ctx);
  server.Get("/healthz", [c](const auto&, auto& res) {
    SendJson(res, 200, Json{{"status", "ok"}, {"version", Version()}});
  });
}

}  // namespace stratamem::serve
