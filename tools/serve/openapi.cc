#include "serve/openapi.h"

#include "mcp/schema_check.h"
#include "stratamem/stratamem.h"

namespace stratamem::serve {
namespace {

// Kept as JSON text (not built in code) so it reads like the document it is.
constexpr std::string_view kDocument = R"JSON({
  "openapi": "3.1.0",
  "info": {
    "title": "stratamem serve",
    "version": "0.1.0",
    "description": "Persistent memory over HTTP: a REST API for memories and an OpenAI-compatible chat proxy that recalls and stores memories. The tenant is the X-Stratamem-User header (or the body's / query's user_id); a tenant only sees its own memories. Other /v1/* routes are passed through to the upstream unchanged. Request bodies are JSON objects nested at most 32 levels, of at most --max-body-bytes (413 past it, chunked or not); a body that does not match its schema gets 400 naming the field."
  },
  "servers": [{"url": "http://127.0.0.1:8787"}],
  "security": [{}, {"bearer": []}, {"stratamemToken": []}],
  "paths": {
    "/healthz": {
      "get": {"summary": "Liveness (no token needed)", "operationId": "healthz", "security": [{}],
              "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}}}
    },
    "/openapi.json": {
      "get": {"summary": "This document", "operationId": "openapi",
              "responses": {"200": {"description": "OpenAPI 3.1 document", "content": {"application/json": {"schema": {"type": "object"}}}}}}
    },
    "/v1/memories": {
      "post": {
        "summary": "Save a memory (merged into an equal one when dedup is on)", "operationId": "saveMemory",
        "parameters": [{"$ref": "#/components/parameters/User"}, {"$ref": "#/components/parameters/Session"}, {"$ref": "#/components/parameters/Agent"}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SaveRequest"}}}},
        "responses": {
          "201": {"description": "saved", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Saved"}}}},
          "200": {"description": "merged into an existing memory", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Saved"}}}},
          "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"},
          "403": {"$ref": "#/components/responses/Error"}, "413": {"$ref": "#/components/responses/Error"}
        }
      },
      "get": {
        "summary": "List memories (what a search from the ids would see; view=all: every memory saved with them)", "operationId": "listMemories",
        "parameters": [
          {"$ref": "#/components/parameters/User"}, {"$ref": "#/components/parameters/Session"}, {"$ref": "#/components/parameters/Agent"},
          {"name": "user_id", "in": "query", "schema": {"type": "string"}},
          {"name": "session_id", "in": "query", "schema": {"type": "string"}},
          {"name": "agent_id", "in": "query", "schema": {"type": "string"}},
          {"name": "turn_id", "in": "query", "schema": {"type": "string"}},
          {"name": "scope", "in": "query", "description": "levels, comma-separated", "schema": {"type": "string", "pattern": "^((user|session|agent|turn)(,(user|session|agent|turn))*)?$"}},
          {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 1000000}},
          {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 1000000}},
          {"name": "view", "in": "query", "schema": {"type": "string", "enum": ["visible", "all"]}}
        ],
        "responses": {
          "200": {"description": "memories, newest first", "content": {"application/json": {"schema": {"type": "object", "properties": {"memories": {"type": "array", "items": {"$ref": "#/components/schemas/Memory"}}}}}}},
          "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}
        }
      }
    },
    "/v1/memories/search": {
      "post": {
        "summary": "Hybrid search of the memories visible from the scope ids", "operationId": "searchMemories",
        "parameters": [{"$ref": "#/components/parameters/User"}, {"$ref": "#/components/parameters/Session"}, {"$ref": "#/components/parameters/Agent"}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SearchRequest"}}}},
        "responses": {
          "200": {"description": "results, best first", "content": {"application/json": {"schema": {"type": "object", "properties": {"results": {"type": "array", "items": {"$ref": "#/components/schemas/SearchResult"}}}}}}},
          "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}
        }
      }
    },
    "/v1/memories/{id}/history": {
      "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                     {"$ref": "#/components/parameters/User"},
                     {"name": "user_id", "in": "query", "schema": {"type": "string"}}],
      "get": {"summary": "Every version of the memory and of those it superseded, oldest first", "operationId": "memoryHistory",
              "responses": {"200": {"description": "the versions", "content": {"application/json": {"schema": {"type": "object", "properties": {"id": {"type": "string"}, "versions": {"type": "array", "items": {"$ref": "#/components/schemas/Memory"}}}}}}},
                            "404": {"$ref": "#/components/responses/Error"}}}
    },
    "/v1/memories/{id}": {
      "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                     {"$ref": "#/components/parameters/User"},
                     {"name": "user_id", "in": "query", "schema": {"type": "string"}}],
      "get": {"summary": "One of the tenant's memories", "operationId": "getMemory",
              "responses": {"200": {"description": "the memory", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Memory"}}}},
                            "404": {"$ref": "#/components/responses/Error"}}},
      "patch": {"summary": "A new version of the memory (same id)", "operationId": "updateMemory",
                "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/UpdateRequest"}}}},
                "responses": {"200": {"description": "the new version", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Memory"}}}},
                              "400": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}},
      "delete": {"summary": "Delete the memory", "operationId": "deleteMemory",
                 "responses": {"200": {"description": "deleted", "content": {"application/json": {"schema": {"type": "object", "properties": {"id": {"type": "string"}, "deleted": {"type": "boolean"}}}}}},
                               "404": {"$ref": "#/components/responses/Error"}}}
    },
    "/v1/graph": {
      "get": {"summary": "The tenant's graph as a search from the scope ids sees it: entities, relations, co-mentions (JSON, or GraphML with format=graphml)", "operationId": "exportGraph",
              "parameters": [{"$ref": "#/components/parameters/User"}, {"$ref": "#/components/parameters/Session"}, {"$ref": "#/components/parameters/Agent"},
                             {"$ref": "#/components/parameters/UserQuery"}, {"$ref": "#/components/parameters/SessionQuery"}, {"$ref": "#/components/parameters/AgentQuery"},
                             {"$ref": "#/components/parameters/GraphLimit"},
                             {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["json", "graphml"]}}],
              "responses": {"200": {"description": "the graph", "content": {"application/json": {"schema": {"type": "object", "properties": {"entities": {"type": "array"}, "relations": {"type": "array"}, "co_mentions": {"type": "array"}}}}, "application/graphml+xml": {"schema": {"type": "string"}}}},
                            "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}}}
    },
    "/v1/graph/entities": {
      "get": {"summary": "Entities the visible memories name, most named first", "operationId": "listEntities",
              "parameters": [{"$ref": "#/components/parameters/User"}, {"$ref": "#/components/parameters/Session"}, {"$ref": "#/components/parameters/Agent"},
                             {"$ref": "#/components/parameters/UserQuery"}, {"$ref": "#/components/parameters/SessionQuery"}, {"$ref": "#/components/parameters/AgentQuery"},
                             {"$ref": "#/components/parameters/GraphLimit"},
                             {"name": "name", "in": "query", "description": "only entities whose name or an alias folds to this", "schema": {"type": "string"}},
                             {"name": "type", "in": "query", "schema": {"type": "string"}},
                             {"name": "memory_id", "in": "query", "description": "only the entities this memory names", "schema": {"type": "string"}}],
              "responses": {"200": {"description": "entities", "content": {"application/json": {"schema": {"type": "object", "properties": {"entities": {"type": "array", "items": {"$ref": "#/components/schemas/Entity"}}}}}}},
                            "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}}}
    },
    "/v1/graph/entities/{name}/neighbors": {
      "get": {"summary": "Entities one or two hops from one entity, with the path and the memories naming them", "operationId": "entityNeighbors",
              "parameters": [{"name": "name", "in": "path", "required": true, "schema": {"type": "string", "minLength": 1}},
                             {"$ref": "#/components/parameters/User"}, {"$ref": "#/components/parameters/Session"}, {"$ref": "#/components/parameters/Agent"},
                             {"$ref": "#/components/parameters/UserQuery"}, {"$ref": "#/components/parameters/SessionQuery"}, {"$ref": "#/components/parameters/AgentQuery"},
                             {"$ref": "#/components/parameters/GraphLimit"},
                             {"name": "hops", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 2}}],
              "responses": {"200": {"description": "neighbours, best first", "content": {"application/json": {"schema": {"type": "object", "properties": {"entity": {"type": "string"}, "neighbors": {"type": "array", "items": {"type": "object"}}}}}}},
                            "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}}
    },
    "/v1/graph/relations": {
      "get": {"summary": "Relations (subject, predicate, object, world time) of the visible memories", "operationId": "listRelations",
              "parameters": [{"$ref": "#/components/parameters/User"}, {"$ref": "#/components/parameters/Session"}, {"$ref": "#/components/parameters/Agent"},
                             {"$ref": "#/components/parameters/UserQuery"}, {"$ref": "#/components/parameters/SessionQuery"}, {"$ref": "#/components/parameters/AgentQuery"},
                             {"$ref": "#/components/parameters/GraphLimit"},
                             {"name": "entity", "in": "query", "schema": {"type": "string"}},
                             {"name": "predicate", "in": "query", "schema": {"type": "string"}},
                             {"name": "include_superseded", "in": "query", "schema": {"type": "string", "enum": ["true", "false"]}}],
              "responses": {"200": {"description": "relations", "content": {"application/json": {"schema": {"type": "object", "properties": {"relations": {"type": "array", "items": {"type": "object"}}}}}}},
                            "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}}}
    },
    "/v1/stats": {
      "get": {"summary": "Counts of what the scope ids can see (view=store: the whole store's figures, on a server with a token)", "operationId": "stats",
              "parameters": [{"$ref": "#/components/parameters/User"}, {"name": "user_id", "in": "query", "schema": {"type": "string"}},
                             {"name": "view", "in": "query", "schema": {"type": "string", "enum": ["tenant", "store"]}}],
              "responses": {"200": {"description": "counts", "content": {"application/json": {"schema": {"type": "object"}}}},
                            "400": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"}}}
    },
    "/v1/chat/completions": {
      "post": {
        "summary": "OpenAI-compatible chat completion with memory: recall, instruct, call the upstream, store the reply's <memory> facts, return the reply without the block (JSON or SSE)",
        "operationId": "chatCompletions",
        "parameters": [{"$ref": "#/components/parameters/User"}, {"$ref": "#/components/parameters/Session"}, {"$ref": "#/components/parameters/Agent"}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["messages"], "properties": {"model": {"type": "string"}, "messages": {"type": "array"}, "stream": {"type": "boolean"}, "user": {"type": "string", "description": "the tenant when no X-Stratamem-User header is sent"}}}}}},
        "responses": {
          "200": {"description": "the upstream's completion (application/json) or stream (text/event-stream)", "content": {"application/json": {"schema": {"type": "object"}}, "text/event-stream": {"schema": {"type": "string"}}}},
          "400": {"$ref": "#/components/responses/Error"}, "502": {"$ref": "#/components/responses/Error"}
        }
      }
    },
    "/v1/messages": {
      "post": {
        "summary": "Anthropic Messages API with memory: the same six steps; the instruction goes into system, the reply's text blocks lose their <memory> blocks (JSON or Anthropic's named SSE events)",
        "operationId": "messages",
        "parameters": [{"$ref": "#/components/parameters/User"}, {"$ref": "#/components/parameters/Session"}, {"$ref": "#/components/parameters/Agent"}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["messages"], "properties": {"model": {"type": "string"}, "messages": {"type": "array"}, "system": {"oneOf": [{"type": "string"}, {"type": "array"}]}, "stream": {"type": "boolean"}, "metadata": {"type": "object", "properties": {"user_id": {"type": "string", "description": "the tenant when no X-Stratamem-User header is sent"}}}}}}}},
        "responses": {
          "200": {"description": "the upstream's Message (application/json) or stream (text/event-stream)", "content": {"application/json": {"schema": {"type": "object"}}, "text/event-stream": {"schema": {"type": "string"}}}},
          "400": {"$ref": "#/components/responses/Error"}, "502": {"$ref": "#/components/responses/Error"}
        }
      }
    }
  },
  "components": {
    "securitySchemes": {
      "bearer": {"type": "http", "scheme": "bearer", "description": "the --token / STRATAMEM_TOKEN, when the server has one"},
      "stratamemToken": {"type": "apiKey", "in": "header", "name": "X-Stratamem-Token"}
    },
    "parameters": {
      "User": {"name": "X-Stratamem-User", "in": "header", "schema": {"type": "string"}, "description": "the tenant"},
      "Session": {"name": "X-Stratamem-Session", "in": "header", "schema": {"type": "string"}},
      "Agent": {"name": "X-Stratamem-Agent", "in": "header", "schema": {"type": "string"}},
      "UserQuery": {"name": "user_id", "in": "query", "schema": {"type": "string"}},
      "SessionQuery": {"name": "session_id", "in": "query", "schema": {"type": "string"}},
      "AgentQuery": {"name": "agent_id", "in": "query", "schema": {"type": "string"}},
      "GraphLimit": {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 10000}}
    },
    "responses": {
      "Error": {"description": "an error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    },
    "schemas": {
      "Scope": {"type": "string", "enum": ["user", "session", "agent", "turn"]},
      "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}},
      "SaveRequest": {"type": "object", "required": ["content"], "additionalProperties": false, "properties": {
        "content": {"$ref": "#/components/schemas/Content"}, "user_id": {"$ref": "#/components/schemas/Id"},
        "session_id": {"$ref": "#/components/schemas/Id"}, "agent_id": {"$ref": "#/components/schemas/Id"},
        "turn_id": {"$ref": "#/components/schemas/Id"}, "scope": {"$ref": "#/components/schemas/Scope", "description": "session, agent and turn levels need the session id (and the agent or turn id), from the body or the X-Stratamem-* headers"},
        "importance": {"type": "number", "minimum": 0, "maximum": 1}, "metadata": {"$ref": "#/components/schemas/Metadata"},
        "source_agent": {"$ref": "#/components/schemas/Id"}, "dedup": {"type": "boolean"},
        "entities": {"type": "array", "maxItems": 64, "description": "names, or {name, type} objects (added to what the extractor finds)",
                     "items": {"type": ["string", "object"]}},
        "relationships": {"type": "array", "maxItems": 64, "description": "[source, type, target] triples or {source, type, target} objects",
                          "items": {"type": ["array", "object"]}}}},
      "Entity": {"type": "object", "properties": {"id": {"type": "integer"}, "key": {"type": "string"}, "name": {"type": "string"},
        "type": {"type": "string"}, "aliases": {"type": "array", "items": {"type": "string"}}, "memories": {"type": "integer"}}},
      "UpdateRequest": {"type": "object", "additionalProperties": false,
        "anyOf": [{"required": ["content"]}, {"required": ["importance"]}, {"required": ["metadata"]}], "properties": {
        "content": {"$ref": "#/components/schemas/Content"}, "importance": {"type": "number", "minimum": 0, "maximum": 1},
        "metadata": {"type": "object", "description": "replaces the memory's metadata"}, "user_id": {"$ref": "#/components/schemas/Id"},
        "session_id": {"$ref": "#/components/schemas/Id"}, "agent_id": {"$ref": "#/components/schemas/Id"},
        "turn_id": {"$ref": "#/components/schemas/Id"}}},
      "SearchRequest": {"type": "object", "required": ["query"], "additionalProperties": false, "properties": {
        "query": {"$ref": "#/components/schemas/Content"}, "user_id": {"$ref": "#/components/schemas/Id"},
        "session_id": {"$ref": "#/components/schemas/Id"}, "agent_id": {"$ref": "#/components/schemas/Id"},
        "turn_id": {"$ref": "#/components/schemas/Id"}, "top_k": {"type": "integer", "minimum": 1, "maximum": 1000},
        "min_score": {"type": "number", "minimum": 0, "maximum": 1}, "mode": {"type": "string", "enum": ["hybrid", "vector", "text"]},
        "diversity": {"type": "number", "minimum": 0, "exclusiveMaximum": 1},
        "scopes": {"type": ["array", "string"], "description": "levels: a list, or one string with commas",
                   "items": {"$ref": "#/components/schemas/Scope"}, "pattern": "^((user|session|agent|turn)(,(user|session|agent|turn))*)?$"},
        "filters": {"type": "object", "description": "metadata fields that must equal these values",
                    "propertyNames": {"minLength": 1, "pattern": "^[^\"]+$"},
                    "additionalProperties": {"type": ["string", "number", "boolean", "null"]}}}},
      "Content": {"type": "string", "minLength": 1, "pattern": "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$",
                  "description": "UTF-8 text with a non-space character and no NUL; at most 32 KiB (max_content_bytes) as UTF-8"},
      "Id": {"type": ["string", "null"], "pattern": "^([^\\u0000]*[^\\s\\u0000][^\\u0000]*)?$",
             "description": "at most 256 bytes as UTF-8, no NUL, not only white space; empty or null: not given"},
      "Metadata": {"type": ["object", "null"], "description": "any JSON object: at most 65536 bytes as compact JSON, nested at most 32 levels"},
      "Saved": {"type": "object", "properties": {"id": {"type": "string"}, "merged": {"type": "boolean"}, "memory": {"$ref": "#/components/schemas/Memory"}}},
      "Memory": {"type": "object", "properties": {
        "id": {"type": "string"}, "content": {"type": "string"}, "scope": {"$ref": "#/components/schemas/Scope"},
        "user_id": {"type": ["string", "null"]}, "session_id": {"type": ["string", "null"]}, "agent_id": {"type": ["string", "null"]},
        "turn_id": {"type": ["string", "null"]}, "source_agent": {"type": ["string", "null"]}, "importance": {"type": "number"},
        "created_at": {"type": "string"}, "updated_at": {"type": "string"}, "content_hash": {"type": "string"},
        "metadata": {"type": "object"}, "version": {"type": "integer"}, "valid_from": {"type": ["string", "null"]},
        "valid_to": {"type": ["string", "null"]}, "superseded_by": {"type": ["string", "null"]},
        "sources": {"type": "array", "items": {"type": "string"}}, "seen_count": {"type": "integer"},
        "last_seen_at": {"type": ["string", "null"]}, "access_count": {"type": "integer"},
        "last_accessed_at": {"type": ["string", "null"]}}},
      "SearchResult": {"allOf": [{"$ref": "#/components/schemas/Memory"}, {"type": "object", "properties": {
        "score": {"type": "number"}, "relevance": {"type": "number"}, "recency": {"type": "number"},
        "access": {"type": "number"}, "explanation": {"type": "string"},
        "vector_score": {"type": "number"}, "text_score": {"type": "number"},
        "vector_rank": {"type": "integer"}, "text_rank": {"type": "integer"}}}]}
    }
  }
})JSON";

}  // namespace

std::string_view OpenApiDocument() { return kDocument; }

const nlohmann::json& OpenApiJson() {
  static const nlohmann::json document = nlohmann::json::parse(kDocument);
  return document;
}

std::string CheckBody(const nlohmann::json& body, const std::string& schema_name) {
  const nlohmann::json& root = OpenApiJson();
  return mcp::CheckAgainstSchema(body, root["components"]["schemas"][schema_name], "", &root);
}

void RegisterOpenApiRoute(httplib::Server& server) {
  server.Get("/openapi.json", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(kDocument.data(), kDocument.size(), "application/json");
  });
}

}  // namespace stratamem::serve
