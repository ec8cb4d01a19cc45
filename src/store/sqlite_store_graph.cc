// SqliteStore's graph reads: entities, relations, neighbours, export. Each is
// scoped like a search from the query's context (SqliteGraphSource's SQL).
#include <algorithm>
#include <map>
#include <unordered_map>

#include "graph/expand.h"
#include "graph/fold.h"
#include "graph/mention.h"
#include "search/visibility_sql.h"
#include "store/sqlite_graph_source.h"
#include "store/sqlite_store.h"
#include "util/utf8.h"

namespace stratamem {
namespace {

constexpr int kMaxGraphLimit = 10000;
constexpr size_t kNeighborMemoryIds = 5;

// Aggregates visible mentions into entities: the most frequent spelling of
// the entity's key is the name, the others aliases; the most specific type wins.
struct EntityAccumulator {
  Entity entity;
  std::map<std::string, int64_t> surfaces;
  std::vector<std::string> types;
};

std::string FoldedName(const std::string& name) { return graph::FoldEntityKey(name, graph::kName); }

}  // namespace

Status SqliteStore::CheckGraphRead(const GraphReadOptions& o) const {
  if (o.context.user_id.empty()) return Status::InvalidArgument("graph reads need a user_id");
  if (o.limit < 1 || o.limit > kMaxGraphLimit) {
    return Status::InvalidArgument("limit must be between 1 and " + std::to_string(kMaxGraphLimit));
  }
  if (o.as_of < 0 || o.valid_at < 0) return Status::InvalidArgument("as_of and valid_at must be positive times");
  return Status::OK();
}

// Entities visible from `o`: all of the user's (ids empty) or these.
Result<std::vector<Entity>> SqliteStore::EntitiesLocked(const GraphReadOptions& o, const std::vector<int64_t>& ids) {
  SqliteGraphSource source(db_.get(), o.context, ReadTimeOf(o));
  std::string where = ids.empty() ? "t.user_id = :vu" : "t.entity_id IN (" + IdList(ids) + ")";
  auto stmt = db_->Prepare("SELECT t.entity_id, e.key, t.surface, t.type, count(*) FROM mentions t "
                           "JOIN memories m ON m.seq = t.seq JOIN entities e ON e.id = t.entity_id WHERE " + where +
                           source.VisibleSql() + " GROUP BY t.entity_id, t.surface, t.type");
  if (!stmt.ok()) return stmt.status();
  source.Bind(&*stmt);
  std::unordered_map<int64_t, EntityAccumulator> acc;
  while (true) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    EntityAccumulator& a = acc[stmt->Int(0)];
    a.entity.id = stmt->Int(0);
    a.entity.key = stmt->Text(1);
    int64_t n = stmt->Int(4);
    a.surfaces[stmt->Text(2)] += n;
    std::string type = stmt->Text(3);
    if (a.entity.type.empty() || graph::TypeRank(type) > graph::TypeRank(a.entity.type)) a.entity.type = type;
    a.entity.memories += n;
  }
  std::vector<Entity> out;
  for (auto& entry : acc) {
    EntityAccumulator& a = entry.second;  // not a structured binding: clang 14 cannot capture one
    // The canonical name is a spelling of the entity's own key ("Alice Smith",
    // not the first name "Alice" that joined it), the most frequent of those.
    auto rank = [&](const auto& s) {
      return std::make_pair(graph::FoldEntityKey(s.first, a.entity.type) == a.entity.key, s.second);
    };
    auto best = std::max_element(a.surfaces.begin(), a.surfaces.end(),
                                 [&](const auto& x, const auto& y) { return rank(x) < rank(y); });
    a.entity.name = best->first;
    for (const auto& [surface, n] : a.surfaces) {
      if (surface != a.entity.name) a.entity.aliases.push_back(surface);
    }
    out.push_back(std::move(a.entity));
  }
  std::sort(out.begin(), out.end(), [](const Entity& x, const Entity& y) {
    return x.memories > y.memories || (x.memories == y.memories && x.key < y.key);
  });
  return out;
}

Result<std::vector<Entity>> SqliteStore::Entities(const EntityQuery& q) {
  STRATAMEM_RETURN_IF_ERROR(CheckGraphRead(q));
  if (!IsValidUtf8(q.name) || !IsValidUtf8(q.type)) return Status::InvalidArgument("name and type must be UTF-8");
  std::lock_guard<std::mutex> lock(mu_);
  STRATAMEM_RETURN_IF_ERROR(CheckOpenLocked());
  std::vector<int64_t> ids;
  if (!q.name.empty()) {
    SqliteGraphSource source(db_.get(), q.context, ReadTimeOf(q));
    auto found = source.MatchKeys({FoldedName(q.name)});
    if (!found.ok()) return found.status();
    for (const auto& e : *found) ids.push_back(e.id);
    if (ids.empty()) return std::vector<Entity>{};
  }
  if (!q.memory_id.empty()) {
    SqliteGraphSource source(db_.get(), q.context, ReadTimeOf(q));
    auto stmt = db_->Prepare("SELECT DISTINCT t.entity_id FROM memories m JOIN mentions t ON t.seq = m.seq "
                             "WHERE m.id = :mid" + source.VisibleSql());
    if (!stmt.ok()) return stmt.status();
    source.Bind(&*stmt);
    stmt->BindNamed(":mid", q.memory_id);
    std::vector<int64_t> named;
    STRATAMEM_RETURN_IF_ERROR(stmt->ForEachRow([&] { named.push_back(stmt->Int(0)); }));
    if (!q.name.empty()) {  // both: the named entity, when this memory names it
      std::erase_if(named, [&](int64_t id) { return std::find(ids.begin(), ids.end(), id) == ids.end(); });
    }
    if (named.empty()) return std::vector<Entity>{};
    ids = std::move(named);
  }
  auto all = EntitiesLocked(q, ids);
  if (!all.ok()) return all.status();
  std::vector<Entity> out;
  std::string type = q.type.empty() ? "" : graph::FoldEntityKey(q.type, graph::kCode);
  for (Entity& e : *all) {
    if (!type.empty() && e.type != type) continue;
    if (out.size() >= static_cast<size_t>(q.limit)) break;
    out.push_back(std::move(e));
  }
  return out;
}

Result<std::vector<Relation>> SqliteStore::Relations(const RelationQuery& q) {
  STRATAMEM_RETURN_IF_ERROR(CheckGraphRead(q));
  if (!IsValidUtf8(q.entity) || !IsValidUtf8(q.predicate)) {
    return Status::InvalidArgument("entity and predicate must be UTF-8");
  }
  std::lock_guard<std::mutex> lock(mu_);
  STRATAMEM_RETURN_IF_ERROR(CheckOpenLocked());
  ReadTime time = ReadTimeOf(q);
  SqliteGraphSource source(db_.get(), q.context, time);
  // By default past facts too: the last versions of superseded memories,
  // their world_to closed. A valid_at read includes them anyway.
  std::string time_sql;
  if (q.include_superseded && time.valid_at == 0) {
    time_sql = q.as_of == 0 ? " AND (m.valid_to IS NULL OR m.superseded_by <> '')"
                            : " AND m.valid_from <= :asof AND (m.valid_to IS NULL OR m.valid_to > :asof OR "
                              "m.superseded_by <> '')";
  } else {
    time_sql = MemoryTimeSql(time) + RelationWorldSql(time);
  }
  std::string where = std::string(kVisibleSql) + time_sql;
  if (!q.entity.empty()) {
    auto found = source.MatchKeys({FoldedName(q.entity)});
    if (!found.ok()) return found.status();
    if (found->empty()) return std::vector<Relation>{};
    std::vector<int64_t> ids;
    for (const auto& e : *found) ids.push_back(e.id);
    where += " AND (r.subject_id IN (" + IdList(ids) + ") OR r.object_id IN (" + IdList(ids) + "))";
  }
  if (!q.predicate.empty()) where += " AND r.predicate = :pred";
  std::string world_to = q.as_of == 0 ? "r.world_to"
                                      : "(CASE WHEN r.world_closed_at > :asof THEN NULL ELSE r.world_to END)";
  auto stmt = db_->Prepare(
      "SELECT r.id, r.subject_id, r.predicate, r.object_id, m.id, m.version, coalesce(r.world_from, 0), coalesce(" +
      world_to + ", 0), m.valid_from, m.superseded_by <> '' AND m.valid_to IS NOT NULL, "
      "(SELECT surface FROM mentions WHERE seq = r.seq AND entity_id = r.subject_id), "
      "(SELECT surface FROM mentions WHERE seq = r.seq AND entity_id = r.object_id) "
      "FROM relations r JOIN memories m ON m.seq = r.seq WHERE " + where +
      " ORDER BY m.valid_from DESC, r.id DESC LIMIT :limit");
  if (!stmt.ok()) return stmt.status();
  BindViewer(&*stmt, q.context);
  if (q.as_of) stmt->Bind(stmt->ParamIndex(":asof"), q.as_of);
  if (q.valid_at) stmt->Bind(stmt->ParamIndex(":validat"), q.valid_at);
  if (!q.predicate.empty()) stmt->BindNamed(":pred", graph::NormalizePredicate(q.predicate));
  stmt->Bind(stmt->ParamIndex(":limit"), static_cast<int64_t>(q.limit));
  std::vector<Relation> out;
  while (true) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    Relation r;
    r.id = stmt->Int(0);
    r.subject_id = stmt->Int(1);
    r.predicate = stmt->Text(2);
    r.object_id = stmt->Int(3);
    r.memory_id = stmt->Text(4);
    r.memory_version = static_cast<int>(stmt->Int(5));
    r.world_from = stmt->Int(6);
    r.world_to = stmt->Int(7);
    r.recorded_at = stmt->Int(8);
    r.superseded = stmt->Int(9) != 0;
    r.subject = stmt->Text(10);
    r.object = stmt->Text(11);
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::vector<Neighbor>> SqliteStore::Neighbors(const NeighborQuery& q) {
  STRATAMEM_RETURN_IF_ERROR(CheckGraphRead(q));
  if (q.entity.empty() || !IsValidUtf8(q.entity)) return Status::InvalidArgument("neighbors needs an entity name");
  if (q.hops != 1 && q.hops != 2) return Status::InvalidArgument("hops must be 1 or 2");
  std::lock_guard<std::mutex> lock(mu_);
  STRATAMEM_RETURN_IF_ERROR(CheckOpenLocked());
  SqliteGraphSource source(db_.get(), q.context, ReadTimeOf(q));
  auto seeds = source.MatchKeys({FoldedName(q.entity)});
  if (!seeds.ok()) return seeds.status();
  if (seeds->empty()) return Status::NotFound("no entity '" + q.entity + "' is visible here");
  graph::ExpandOptions options;
  options.hops = 2;  // the stepping stones are the one-hop neighbours
  options.max_neighbours = static_cast<size_t>(q.limit);
  options.max_neighbour_share = 1.0;  // asked for: list even very common ones
  auto expansion = graph::ExpandSeeds(std::move(seeds).value(), &source, options);
  if (!expansion.ok()) return expansion.status();
  std::vector<int64_t> ids;
  for (const auto& n : expansion->neighbours) ids.push_back(n.entity.id);
  auto entities = EntitiesLocked(q, ids);
  if (!entities.ok()) return entities.status();
  std::unordered_map<int64_t, Entity> by_id;
  for (Entity& e : *entities) by_id[e.id] = std::move(e);
  // The memories naming each neighbour, newest first.
  auto named = source.MentionsOf(ids, kNeighborMemoryIds);
  if (!named.ok()) return named.status();
  std::unordered_map<int64_t, std::vector<int64_t>> seqs_of;
  for (const auto& m : *named) seqs_of[m.entity].push_back(m.seq);
  auto id_of = MemoryIdsLocked(*named);
  if (!id_of.ok()) return id_of.status();
  std::unordered_map<int64_t, std::string>& id_of_seq = *id_of;
  std::vector<Neighbor> out;
  for (const graph::Neighbour& n : expansion->neighbours) {
    auto it = by_id.find(n.entity.id);
    if (it == by_id.end()) continue;
    Neighbor nb;
    nb.entity = it->second;
    nb.hops = 1;
    nb.score = n.score;
    nb.path = n.path;
    for (int64_t seq : seqs_of[n.entity.id]) nb.memory_ids.push_back(id_of_seq[seq]);
    out.push_back(std::move(nb));
  }
  if (q.hops == 2) STRATAMEM_RETURN_IF_ERROR(SecondRingLocked(q, &source, &out));
  return out;
}

// The neighbours of the best few neighbours: hops 2, their score the product
// of both steps' and the hop decay, the path both steps.
Status SqliteStore::SecondRingLocked(const NeighborQuery& q, SqliteGraphSource* source, std::vector<Neighbor>* out) {
  constexpr size_t kExpanded = 5;
  graph::ExpandOptions options;
  options.hops = 2;
  options.max_neighbours = static_cast<size_t>(q.limit);
  options.max_neighbour_share = 1.0;  // asked for: list even very common ones
  std::unordered_map<int64_t, size_t> have;
  for (size_t i = 0; i < out->size(); ++i) have[(*out)[i].entity.id] = i;
  std::vector<Neighbor> second;
  std::unordered_map<int64_t, size_t> second_at;
  size_t first_ring = out->size();
  for (size_t i = 0; i < first_ring && i < kExpanded; ++i) {
    const Neighbor step = (*out)[i];
    graph::EntityRow seed{step.entity.id, step.entity.key, step.entity.name, step.entity.type, step.entity.memories};
    auto ring = graph::ExpandSeeds({seed}, source, options);
    if (!ring.ok()) return ring.status();
    for (const graph::Neighbour& n : ring->neighbours) {
      if (have.count(n.entity.id) || graph::FoldEntityKey(n.entity.name, graph::kName) == FoldedName(q.entity)) {
        continue;
      }
      double score = step.score * options.hop_decay * n.score;
      auto [it, fresh] = second_at.try_emplace(n.entity.id, second.size());
      if (!fresh && second[it->second].score >= score) continue;
      Neighbor nb;
      nb.entity.id = n.entity.id;
      nb.hops = 2;
      nb.score = score;
      nb.path = step.path + ", then " + n.path;
      if (fresh) second.push_back(std::move(nb)); else second[it->second] = std::move(nb);
    }
  }
  std::vector<int64_t> ids;
  for (const Neighbor& n : second) ids.push_back(n.entity.id);
  auto entities = EntitiesLocked(q, ids);
  if (!entities.ok()) return entities.status();
  std::unordered_map<int64_t, Entity> by_id;
  for (Entity& e : *entities) by_id[e.id] = std::move(e);
  auto named = source->MentionsOf(ids, kNeighborMemoryIds);
  if (!named.ok()) return named.status();
  std::unordered_map<int64_t, std::vector<int64_t>> seqs_of;
  for (const auto& m : *named) seqs_of[m.entity].push_back(m.seq);
  auto ids_of = MemoryIdsLocked(*named);
  if (!ids_of.ok()) return ids_of.status();
  std::sort(second.begin(), second.end(), [](const Neighbor& a, const Neighbor& b) { return a.score > b.score; });
  for (Neighbor& n : second) {
    auto it = by_id.find(n.entity.id);
    if (it == by_id.end() || out->size() >= static_cast<size_t>(q.limit)) continue;
    n.entity = it->second;
    for (int64_t seq : seqs_of[n.entity.id]) n.memory_ids.push_back((*ids_of)[seq]);
    out->push_back(std::move(n));
  }
  return Status::OK();
}

Result<std::unordered_map<int64_t, std::string>> SqliteStore::MemoryIdsLocked(
    const std::vector<graph::MentionRow>& rows) {
  std::unordered_map<int64_t, std::string> out;
  std::vector<int64_t> seqs;
  for (const auto& m : rows) seqs.push_back(m.seq);
  if (seqs.empty()) return out;
  auto stmt = db_->Prepare("SELECT seq, id FROM memories WHERE seq IN (" + IdList(seqs) + ")");
  if (!stmt.ok()) return stmt.status();
  while (true) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out[stmt->Int(0)] = stmt->Text(1);
  }
  return out;
}

Result<GraphSnapshot> SqliteStore::Graph(const GraphReadOptions& o) {
  STRATAMEM_RETURN_IF_ERROR(CheckGraphRead(o));
  GraphSnapshot g;
  EntityQuery eq;
  static_cast<GraphReadOptions&>(eq) = o;
  auto entities = Entities(eq);
  if (!entities.ok()) return entities.status();
  g.entities = std::move(entities).value();
  RelationQuery rq;
  static_cast<GraphReadOptions&>(rq) = o;
  auto relations = Relations(rq);
  if (!relations.ok()) return relations.status();
  std::unordered_map<int64_t, bool> listed;
  for (const Entity& e : g.entities) listed[e.id] = true;
  for (Relation& r : *relations) {
    if (listed.count(r.subject_id) && listed.count(r.object_id)) g.relations.push_back(std::move(r));
  }
  if (g.entities.empty()) return g;
  std::lock_guard<std::mutex> lock(mu_);
  STRATAMEM_RETURN_IF_ERROR(CheckOpenLocked());
  SqliteGraphSource source(db_.get(), o.context, ReadTimeOf(o));
  std::vector<int64_t> ids;
  for (const Entity& e : g.entities) ids.push_back(e.id);
  std::string in = IdList(ids);
  auto stmt = db_->Prepare("SELECT a.entity_id, b.entity_id, count(*) FROM mentions a JOIN mentions b ON "
                           "b.seq = a.seq AND b.entity_id > a.entity_id JOIN memories m ON m.seq = a.seq WHERE "
                           "a.entity_id IN (" + in + ") AND b.entity_id IN (" + in + ")" + source.VisibleSql() +
                           " GROUP BY a.entity_id, b.entity_id ORDER BY count(*) DESC LIMIT :limit");
  if (!stmt.ok()) return stmt.status();
  source.Bind(&*stmt);
  stmt->Bind(stmt->ParamIndex(":limit"), static_cast<int64_t>(o.limit));
  while (true) {
    auto row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    g.co_mentions.push_back({stmt->Int(0), stmt->Int(1), stmt->Int(2)});
  }
  return g;
}

}  // namespace stratamem
