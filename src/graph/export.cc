// The graph's export formats (stratamem/graph.h): JSON, GraphML and Graphviz DOT.
#include <cstdio>
#include <string>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "graph/extractor.h"
#include "graph/fold.h"
#include "stratamem/graph.h"
#include "util/utf8.h"

namespace stratamem {
namespace {

std::string XmlEscape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string DotQuote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

nlohmann::json EntityJson(const Entity& e) {
  return {{"id", e.id}, {"key", e.key}, {"name", e.name}, {"type", e.type}, {"aliases", e.aliases},
          {"memories", e.memories}};
}

}  // namespace

Result<std::vector<ExtractedEntity>> ExtractEntities(std::string_view text) {
  if (!IsValidUtf8(text)) return Status::InvalidArgument("text is not valid UTF-8");
  std::vector<ExtractedEntity> out;
  for (graph::Mention& m : graph::ExtractEntities(text)) {
    out.push_back({std::move(m.surface), std::move(m.key), std::move(m.type), m.role == graph::MentionRole::kSubject,
                   m.weak, m.count});
  }
  return out;
}

Result<std::string> FoldEntityKey(std::string_view surface, std::string_view type) {
  if (!IsValidUtf8(surface) || !IsValidUtf8(type)) return Status::InvalidArgument("text is not valid UTF-8");
  return graph::FoldEntityKey(surface, type);
}

std::string GraphToJson(const GraphSnapshot& g) {
  nlohmann::json entities = nlohmann::json::array(), relations = nlohmann::json::array(),
                 co = nlohmann::json::array();
  for (const Entity& e : g.entities) entities.push_back(EntityJson(e));
  for (const Relation& r : g.relations) {
    nlohmann::json j = {{"id", r.id},
                        {"subject", r.subject},
                        {"predicate", r.predicate},
                        {"object", r.object},
                        {"subject_id", r.subject_id},
                        {"object_id", r.object_id},
                        {"memory_id", r.memory_id},
                        {"memory_version", r.memory_version},
                        {"recorded_at", r.recorded_at},
                        {"superseded", r.superseded}};
    j["world_from"] = r.world_from ? nlohmann::json(r.world_from) : nlohmann::json();
    j["world_to"] = r.world_to ? nlohmann::json(r.world_to) : nlohmann::json();
    relations.push_back(std::move(j));
  }
  for (const auto& c : g.co_mentions) co.push_back({{"a", c.a}, {"b", c.b}, {"memories", c.memories}});
  nlohmann::json doc = {{"entities", entities}, {"relations", relations}, {"co_mentions", co}};
  return doc.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string GraphToGraphml(const GraphSnapshot& g) {
  std::string x =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\">\n"
      "  <key id=\"name\" for=\"node\" attr.name=\"name\" attr.type=\"string\"/>\n"
      "  <key id=\"type\" for=\"node\" attr.name=\"type\" attr.type=\"string\"/>\n"
      "  <key id=\"memories\" for=\"node\" attr.name=\"memories\" attr.type=\"long\"/>\n"
      "  <key id=\"label\" for=\"edge\" attr.name=\"label\" attr.type=\"string\"/>\n"
      "  <key id=\"weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"long\"/>\n"
      "  <key id=\"world_from\" for=\"edge\" attr.name=\"world_from\" attr.type=\"long\"/>\n"
      "  <key id=\"world_to\" for=\"edge\" attr.name=\"world_to\" attr.type=\"long\"/>\n"
      "  <key id=\"memory\" for=\"edge\" attr.name=\"memory_id\" attr.type=\"string\"/>\n"
      "  <graph id=\"stratamem\" edgedefault=\"directed\">\n";
  for (const Entity& e : g.entities) {
    x += "    <node id=\"e" + std::to_string(e.id) + "\"><data key=\"name\">" + XmlEscape(e.name) +
         "</data><data key=\"type\">" + XmlEscape(e.type) + "</data><data key=\"memories\">" +
         std::to_string(e.memories) + "</data></node>\n";
  }
  for (const Relation& r : g.relations) {
    x += "    <edge id=\"r" + std::to_string(r.id) + "\" source=\"e" + std::to_string(r.subject_id) +
         "\" target=\"e" + std::to_string(r.object_id) + "\"><data key=\"label\">" + XmlEscape(r.predicate) +
         "</data><data key=\"memory\">" + XmlEscape(r.memory_id) + "</data>";
    if (r.world_from) x += "<data key=\"world_from\">" + std::to_string(r.world_from) + "</data>";
    if (r.world_to) x += "<data key=\"world_to\">" + std::to_string(r.world_to) + "</data>";
    x += "</edge>\n";
  }
  for (const auto& c : g.co_mentions) {
    x += "    <edge source=\"e" + std::to_string(c.a) + "\" target=\"e" + std::to_string(c.b) +
         "\"><data key=\"label\">co_mentioned</data><data key=\"weight\">" + std::to_string(c.memories) +
         "</data></edge>\n";
  }
  return x + "  </graph>\n</graphml>\n";
}

std::string GraphToDot(const GraphSnapshot& g) {
  std::string d = "digraph stratamem {\n  graph [rankdir=LR, fontname=\"Helvetica\"];\n"
                  "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#eef3fb\", fontname=\"Helvetica\"];\n"
                  "  edge [fontname=\"Helvetica\", fontsize=10];\n";
  for (const Entity& e : g.entities) {
    d += "  e" + std::to_string(e.id) + " [label=" + DotQuote(e.name + "\n" + e.type) + "];\n";
  }
  for (const Relation& r : g.relations) {
    d += "  e" + std::to_string(r.subject_id) + " -> e" + std::to_string(r.object_id) +
         " [label=" + DotQuote(r.predicate) + (r.superseded ? ", style=dashed" : "") + "];\n";
  }
  for (const auto& c : g.co_mentions) {
    d += "  e" + std::to_string(c.a) + " -> e" + std::to_string(c.b) +
         " [dir=none, color=gray60, penwidth=" + std::to_string(1 + (c.memories > 4 ? 4 : c.memories - 1)) + "];\n";
  }
  return d + "}\n";
}

}  // namespace stratamem
