#include "mcp/tool_schemas.h"

#include <string>

namespace stratamem::mcp {
namespace {

using Json = nlohmann::json;

// Agents write memories at user level (shared by every agent and session of the
// user), session level or agent level; turn level needs a turn id the server
// does not have, so it is not offered.
Json ScopeEnum(const std::string& description) {
  return Json{{"type", "string"}, {"enum", {"user", "session", "agent"}}, {"description", description}};
}

Json ScopeFilter() {
  return Json{{"type", "array"},
              {"items", {{"type", "string"}, {"enum", {"user", "session", "agent"}}}},
              {"uniqueItems", true},
              {"description",
               "Only these levels (default: every level visible here: the user's long-term memories, "
               "this session's, and this agent's in this session)."}};
}

Json IdSchema() {
  return Json{{"type", "string"}, {"minLength", 1}, {"description", "The memory's id, as returned by memory_save, memory_search or memory_list."}};
}

// One memory as the tools return it.
Json MemorySchema() {
  Json nullable_string = {{"type", {"string", "null"}}};
  return Json{
      {"type", "object"},
      {"properties",
       {{"id", {{"type", "string"}}},
        {"content", {{"type", "string"}}},
        {"scope", {{"type", "string"}, {"enum", {"user", "session", "agent", "turn"}}}},
        {"importance", {{"type", "number"}}},
        {"source_agent", nullable_string},
        {"sources", {{"type", "array"}, {"items", {{"type", "string"}}},
                     {"description", "Every agent that stated this fact."}}},
        {"seen_count", {{"type", "integer"}}},
        {"version", {{"type", "integer"}}},
        {"session_id", nullable_string},
        {"created_at", {{"type", "string"}, {"description", "ISO 8601 UTC"}}},
        {"updated_at", {{"type", "string"}, {"description", "ISO 8601 UTC"}}},
        {"metadata", {{"type", "object"}}}}},
      {"required", {"id", "content", "scope", "importance", "sources", "version", "created_at", "updated_at", "metadata"}}};
}

Json ObjectSchema(Json properties, Json required) {
  return Json{{"type", "object"}, {"properties", std::move(properties)}, {"required", std::move(required)},
              {"additionalProperties", false}};
}

Json Tool(const char* name, const char* title, const char* description, Json input, Json output, Json annotations) {
  annotations["title"] = title;
  return Json{{"name", name},
              {"title", title},
              {"description", description},
              {"inputSchema", std::move(input)},
              {"outputSchema", std::move(output)},
              {"annotations", std::move(annotations)}};
}

Json BuildDefinitions() {
  Json memory = MemorySchema();
  Json tools = Json::array();

  tools.push_back(Tool(
      "memory_save", "Save a memory",
      "Remember one durable fact for later tasks and for the user's other coding agents. Call it when the "
      "user states a preference, a decision or a convention (\"we use uv, not pip\", \"never push to main\"), "
      "when you learn a stable project fact worth knowing next time (build command, layout, a gotcha you "
      "debugged), or when the user asks you to remember something. One self-contained fact per call, "
      "written so it makes sense without this conversation. Do not save secrets, transient state or things "
      "already in the repository's docs. Saving a fact that is already stored merges it (merged: true).",
      ObjectSchema(
          {{"content", {{"type", "string"}, {"minLength", 1}, {"maxLength", 32768},
                        {"description", "The fact, as one or two plain sentences."}}},
           {"scope", ScopeEnum("Who may see it: user (default; every session and every agent of this user), "
                               "session (this session only), agent (only this agent in this session).")},
           {"importance", {{"type", "number"}, {"minimum", 0}, {"maximum", 1}, {"default", 0.5},
                           {"description", "0 to 1; use 0.8 or more for explicit user instructions."}}},
           {"metadata", {{"type", "object"},
                         {"description", "Optional JSON object stored with it, e.g. {\"topic\": \"build\"}."}}},
           {"entities", {{"type", "array"}, {"maxItems", 64}, {"items", {{"type", {"string", "object"}}}},
                         {"description", "Optional: the people, projects, tools... the fact names, as names or "
                                         "{\"name\", \"type\"} (found automatically when omitted)."}}},
           {"relationships", {{"type", "array"}, {"maxItems", 64}, {"items", {{"type", {"array", "object"}}}},
                              {"description", "Optional: how they relate, as [source, type, target] or "
                                              "{\"source\", \"type\", \"target\"}, e.g. "
                                              "[\"api\", \"depends on\", \"redis\"]."}}}},
          {"content"}),
      {{"type", "object"},
       {"properties", {{"id", {{"type", "string"}}},
                       {"merged", {{"type", "boolean"},
                                   {"description", "true: the fact was already stored; id is that memory"}}},
                       {"memory", memory}}},
       {"required", {"id", "merged", "memory"}}},
      {{"readOnlyHint", false}, {"destructiveHint", false}, {"idempotentHint", true}, {"openWorldHint", false}}));

  tools.push_back(Tool(
      "memory_search", "Search memories",
      "Recall what is known about the user and this project. Call it at the start of a task to recall the "
      "user's preferences and project facts, before asking the user something they may have told you (or "
      "another agent) before, and before saving a fact, to update the existing memory instead of adding a "
      "near-duplicate. Hybrid search (meaning and words); best matches first.",
      ObjectSchema({{"query", {{"type", "string"}, {"minLength", 1},
                               {"description", "What you want to know, in natural language or keywords."}}},
                    {"top_k", {{"type", "integer"}, {"minimum", 1}, {"maximum", kMaxTopK}, {"default", kDefaultTopK},
                               {"description", "How many memories to return at most."}}},
                    {"scope", ScopeFilter()}},
                   {"query"}),
      {{"type", "object"},
       {"properties",
        {{"results", {{"type", "array"},
                      {"items", {{"type", "object"},
                                 {"properties", {{"memory", memory},
                                                 {"score", {{"type", "number"},
                                                            {"description", "relevance from 0 to 1"}}}}},
                                 {"required", {"memory", "score"}}}}}}}},
       {"required", {"results"}}},
      {{"readOnlyHint", true}, {"openWorldHint", false}}));

  tools.push_back(Tool(
      "memory_related", "Related memories",
      "Follow the memory graph: what is connected to a person, project, tool or other name, or to one stored "
      "memory. Call it when a question joins facts (\"what did the person who recommended the book do?\") or "
      "to see everything known around a name. Give entity (a name or alias) or id (a memory's id): returns "
      "the entities, their relations, their neighbours (how each is reached) and the memories naming them.",
      ObjectSchema({{"entity", {{"type", "string"}, {"minLength", 1}, {"maxLength", 200},
                                {"description", "A name as the memories write it, e.g. \"Caroline\"."}}},
                    {"id", IdSchema()},
                    {"hops", {{"type", "integer"}, {"minimum", 1}, {"maximum", 2}, {"default", 2},
                              {"description", "1: directly connected; 2: also through one other entity."}}},
                    {"limit", {{"type", "integer"}, {"minimum", 1}, {"maximum", kMaxRelated},
                               {"default", kDefaultRelated}, {"description", "How many neighbours and memories at most."}}}},
                   Json::array()),
      {{"type", "object"},
       {"properties",
        {{"entities", {{"type", "array"}, {"items", {{"type", "object"}}}}},
         {"relations", {{"type", "array"}, {"items", {{"type", "object"}}}}},
         {"neighbors", {{"type", "array"}, {"items", {{"type", "object"}}},
                        {"description", "Entities reached, best first, with hops, score and path"}}},
         {"memories", {{"type", "array"}, {"items", memory},
                       {"description", "Memories naming the entities and their neighbours, closest first"}}}}},
       {"required", {"entities", "relations", "neighbors", "memories"}}},
      {{"readOnlyHint", true}, {"openWorldHint", false}}));

  tools.push_back(Tool(
      "memory_update", "Update a memory",
      "Correct or refine a stored memory. Call it when a memory has become wrong or incomplete (the user "
      "changed their mind, a command changed). Keeps the id and adds a version; the old text no longer shows in searches. "
      "Set supersede to true when the new fact replaces the old one as a different fact (e.g. the project "
      "moved from npm to pnpm): the old memory is retired and a new one, with a new id, takes its place.",
      ObjectSchema({{"id", IdSchema()},
                    {"content", {{"type", "string"}, {"minLength", 1}, {"maxLength", 32768},
                                 {"description", "The corrected fact (replaces the whole text)."}}},
                    {"importance", {{"type", "number"}, {"minimum", 0}, {"maximum", 1},
                                    {"description", "New importance (default: keep)."}}},
                    {"metadata", {{"type", "object"}, {"description", "New metadata (default: keep)."}}},
                    {"supersede", {{"type", "boolean"}, {"default", false},
                                   {"description", "Retire the old memory and save a new one (new id) instead of "
                                                   "adding a version."}}}},
                   {"id", "content"}),
      {{"type", "object"},
       {"properties", {{"id", {{"type", "string"}}},
                       {"superseded", {{"type", {"string", "null"}},
                                       {"description", "The retired memory's id when supersede was true"}}},
                       {"memory", memory}}},
       {"required", {"id", "memory"}}},
      {{"readOnlyHint", false}, {"destructiveHint", true}, {"idempotentHint", false}, {"openWorldHint", false}}));

  tools.push_back(Tool(
      "memory_forget", "Forget a memory",
      "Delete a memory for good (every version). Call it when the user asks you to forget something or when "
      "a memory is plainly wrong and should not be corrected but removed.",
      ObjectSchema({{"id", IdSchema()}}, {"id"}),
      {{"type", "object"}, {"properties", {{"deleted", {{"type", "string"}}}}}, {"required", {"deleted"}}},
      {{"readOnlyHint", false}, {"destructiveHint", true}, {"idempotentHint", true}, {"openWorldHint", false}}));

  tools.push_back(Tool(
      "memory_list", "List memories",
      "List stored memories, newest first, without a query. Call it when the user asks what you remember "
      "about them, or to review memories before cleaning them up; to find something specific use "
      "memory_search.",
      ObjectSchema({{"scope", ScopeFilter()},
                    {"limit", {{"type", "integer"}, {"minimum", 1}, {"maximum", kMaxListLimit},
                               {"default", kDefaultListLimit}, {"description", "How many at most."}}},
                    {"offset", {{"type", "integer"}, {"minimum", 0}, {"default", 0},
                                {"description", "Skip this many (paging)."}}}},
                   Json::array()),
      {{"type", "object"},
       {"properties", {{"memories", {{"type", "array"}, {"items", memory}}}, {"count", {{"type", "integer"}}}}},
       {"required", {"memories", "count"}}},
      {{"readOnlyHint", true}, {"openWorldHint", false}}));
  return tools;
}

}  // namespace

const nlohmann::json& ToolDefinitions() {
  static const Json* tools = new Json(BuildDefinitions());  // never destroyed: safe at exit
  return *tools;
}

bool IsKnownTool(const std::string& name) {
  for (const auto& tool : ToolDefinitions()) {
    if (tool["name"] == name) return true;
  }
  return false;
}

}  // namespace stratamem::mcp
