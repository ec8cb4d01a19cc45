// The graph in stratamem._core: inline entity / relation inputs, the values
// graph reads return, the extractor, the export formats, and the Store's
// graph methods. Thin, like the rest of the binding (store_handle.h).
#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/string_view.h>
#include <nanobind/stl/vector.h>

#include <string>
#include <vector>

#include "store_handle.h"

namespace nb = nanobind;
using namespace nb::literals;

namespace stratamem::python {
namespace {

// Fills the options every graph read shares.
template <typename Q>
Q ReadOptions(const ScopeContext& context, int64_t as_of, int64_t valid_at, int limit) {
  Q q;
  q.context = context;
  q.as_of = as_of;
  q.valid_at = valid_at;
  q.limit = limit;
  return q;
}

}  // namespace

void BindGraphTypes(nb::module_& m) {
  nb::enum_<GraphSignal>(m, "GraphSignal")
      .value("STORE_DEFAULT", GraphSignal::kStoreDefault)
      .value("OFF", GraphSignal::kOff)
      .value("ON", GraphSignal::kOn);

  nb::class_<EntityInput>(m, "EntityInput")
      .def(
          "__init__",
          [](EntityInput* self, std::string name, std::string type) {
            new (self) EntityInput{std::move(name), std::move(type)};
          },
          "name"_a, "type"_a = "")
      .def_ro("name", &EntityInput::name)
      .def_ro("type", &EntityInput::type);

  nb::class_<RelationInput>(m, "RelationInput")
      .def(
          "__init__",
          [](RelationInput* self, std::string subject, std::string predicate, std::string object,
             int64_t world_from, int64_t world_to) {
            new (self) RelationInput{std::move(subject), std::move(predicate), std::move(object), world_from, world_to};
          },
          "subject"_a, "predicate"_a, "object"_a, "world_from"_a = 0, "world_to"_a = 0)
      .def_ro("subject", &RelationInput::subject)
      .def_ro("predicate", &RelationInput::predicate)
      .def_ro("object", &RelationInput::object)
      .def_ro("world_from", &RelationInput::world_from)
      .def_ro("world_to", &RelationInput::world_to);

  nb::class_<ExtractedEntity>(m, "ExtractedEntity")
      .def_ro("name", &ExtractedEntity::name)
      .def_ro("key", &ExtractedEntity::key)
      .def_ro("type", &ExtractedEntity::type)
      .def_ro("subject", &ExtractedEntity::subject)
      .def_ro("weak", &ExtractedEntity::weak)
      .def_ro("count", &ExtractedEntity::count);

  nb::class_<Entity>(m, "Entity")
      .def_ro("id", &Entity::id)
      .def_ro("key", &Entity::key)
      .def_ro("name", &Entity::name)
      .def_ro("type", &Entity::type)
      .def_ro("aliases", &Entity::aliases)
      .def_ro("memories", &Entity::memories);

  nb::class_<Relation>(m, "Relation")
      .def_ro("id", &Relation::id)
      .def_ro("subject", &Relation::subject)
      .def_ro("predicate", &Relation::predicate)
      .def_ro("object", &Relation::object)
      .def_ro("subject_id", &Relation::subject_id)
      .def_ro("object_id", &Relation::object_id)
      .def_ro("memory_id", &Relation::memory_id)
      .def_ro("memory_version", &Relation::memory_version)
      .def_ro("world_from", &Relation::world_from)
      .def_ro("world_to", &Relation::world_to)
      .def_ro("recorded_at", &Relation::recorded_at)
      .def_ro("superseded", &Relation::superseded);

  nb::class_<Neighbor>(m, "Neighbor")
      .def_ro("entity", &Neighbor::entity)
      .def_ro("hops", &Neighbor::hops)
      .def_ro("score", &Neighbor::score)
      .def_ro("path", &Neighbor::path)
      .def_ro("memory_ids", &Neighbor::memory_ids);

  nb::class_<GraphSnapshot>(m, "GraphSnapshot")
      .def_ro("entities", &GraphSnapshot::entities)
      .def_ro("relations", &GraphSnapshot::relations)
      .def_prop_ro("co_mentions", [](const GraphSnapshot& g) {
        std::vector<std::vector<int64_t>> out;
        for (const auto& c : g.co_mentions) out.push_back({c.a, c.b, c.memories});
        return out;
      })
      .def("to_json", [](const GraphSnapshot& g) { return GraphToJson(g); })
      .def("to_graphml", [](const GraphSnapshot& g) { return GraphToGraphml(g); })
      .def("to_dot", [](const GraphSnapshot& g) { return GraphToDot(g); });

  m.def(
      "fold_entity_key", [](std::string_view surface, std::string_view type) {
        return Call([&]() -> Result<std::string> { return FoldEntityKey(surface, type); });
      },
      "surface"_a, "type"_a = "name", "The key that makes spellings of one entity one (case, possessive, titles).");
  m.def(
      "extract_entities",
      [](std::string_view text) { return Call([&] { return ExtractEntities(text); }); }, "text"_a,
      "The entities the native extractor finds in `text` (nothing is stored).");
}

void BindGraphMethods(nb::class_<StoreHandle>& store) {
  store
      .def(
          "entities",
          [](StoreHandle& h, const ScopeContext& context, std::string name, std::string type, int64_t as_of,
             int64_t valid_at, int limit) {
            MemoryStore& s = Engine(h);
            auto q = ReadOptions<EntityQuery>(context, as_of, valid_at, limit);
            q.name = std::move(name);
            q.type = std::move(type);
            return Call([&] { return s.Entities(q); });
          },
          "context"_a, nb::kw_only(), "name"_a = "", "type"_a = "", "as_of"_a = 0, "valid_at"_a = 0,
          "limit"_a = 100)
      .def(
          "relations",
          [](StoreHandle& h, const ScopeContext& context, std::string entity, std::string predicate,
             bool include_superseded, int64_t as_of, int64_t valid_at, int limit) {
            MemoryStore& s = Engine(h);
            auto q = ReadOptions<RelationQuery>(context, as_of, valid_at, limit);
            q.entity = std::move(entity);
            q.predicate = std::move(predicate);
            q.include_superseded = include_superseded;
            return Call([&] { return s.Relations(q); });
          },
          "context"_a, nb::kw_only(), "entity"_a = "", "predicate"_a = "", "include_superseded"_a = true,
          "as_of"_a = 0, "valid_at"_a = 0, "limit"_a = 100)
      .def(
          "neighbors",
          [](StoreHandle& h, const ScopeContext& context, std::string entity, int hops, int64_t as_of,
             int64_t valid_at, int limit) {
            MemoryStore& s = Engine(h);
            auto q = ReadOptions<NeighborQuery>(context, as_of, valid_at, limit);
            q.entity = std::move(entity);
            q.hops = hops;
            return Call([&] { return s.Neighbors(q); });
          },
          "context"_a, "entity"_a, nb::kw_only(), "hops"_a = 2, "as_of"_a = 0, "valid_at"_a = 0, "limit"_a = 20)
      .def(
          "graph",
          [](StoreHandle& h, const ScopeContext& context, int64_t as_of, int64_t valid_at, int limit) {
            MemoryStore& s = Engine(h);
            auto q = ReadOptions<GraphReadOptions>(context, as_of, valid_at, limit);
            return Call([&] { return s.Graph(q); });
          },
          "context"_a, nb::kw_only(), "as_of"_a = 0, "valid_at"_a = 0, "limit"_a = 1000);
}

}  // namespace stratamem::python
