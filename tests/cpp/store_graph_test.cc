// The graph in the SQLite store: mentions and relations written with their
// memory (same transaction), kept in step by delete / clear / update /
// supersede, world time apart from store time, graph reads scoped like
// search, and graph expansion as a search signal.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include <sqlite3.h>

#include "stratamem/stratamem.h"
#include "test_util.h"

namespace stratamem {
namespace {

using test::ManualEnv;

class GraphStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }
  void Open() {
    OpenOptions o;
    o.db_path = path_;
    o.env = &env_;
    store_ = std::move(MemoryStore::Open(o, test::HashEmbedder(128))).value();
  }
  std::string Save(const std::string& content, ScopeContext ctx = {"u", "", "", ""}, Scope scope = Scope::kUser,
                   std::vector<EntityInput> entities = {}, std::vector<RelationInput> relations = {},
                   int64_t world_from = 0) {
    SaveRequest r;
    r.content = content;
    r.scope = scope;
    r.context = ctx;
    r.entities = std::move(entities);
    r.relations = std::move(relations);
    r.world_from = world_from;
    r.dedup = false;
    env_.now += 1000;
    auto id = store_->Save(r);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return id.ok() ? *id : "";
  }
  std::set<std::string> EntityKeys(ScopeContext ctx = {"u", "", "", ""}, int64_t as_of = 0) {
    EntityQuery q;
    q.context = ctx;
    q.as_of = as_of;
    auto es = store_->Entities(q);
    EXPECT_TRUE(es.ok()) << es.status().ToString();
    std::set<std::string> out;
    if (es.ok()) {
      for (const auto& e : *es) out.insert(e.key);
    }
    return out;
  }
  std::vector<Relation> Relations(RelationQuery q = {}) {
    if (q.context.user_id.empty()) q.context = {"u", "", "", ""};
    auto rs = store_->Relations(q);
    EXPECT_TRUE(rs.ok()) << rs.status().ToString();
    return rs.ok() ? *rs : std::vector<Relation>{};
  }
  int64_t Count(const char* sql) {
    sqlite3* db = nullptr;
    sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, sql, -1, &st, nullptr);
    int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
  }

  ManualEnv env_;
  std::string path_ = test::TempDir() + "/g.db";
  std::unique_ptr<MemoryStore> store_;
};

TEST_F(GraphStoreTest, ExtractedAndInlineEntitiesAreStoredWithTheMemory) {
  Save("Caroline: I moved here from Sweden four years ago.");
  Save("Alice joined the team", {"u", "", "", ""}, Scope::kUser, {{"Alice Smith", "person"}, {"Acme", ""}},
       {{"Alice Smith", "works at", "Acme", 0, 0}});
  std::set<std::string> keys = EntityKeys();
  for (const char* k : {"caroline", "sweden", "alice smith", "acme"}) EXPECT_TRUE(keys.count(k)) << k;
  // "Alice" is the first name of the one Alice this user has: an alias, not a new entity.
  EXPECT_FALSE(keys.count("alice"));
  auto alice = store_->Entities(EntityQuery{{{"u", "", "", ""}}, "Alice", ""});
  ASSERT_TRUE(alice.ok());
  ASSERT_EQ(alice->size(), 1u);
  EXPECT_EQ(alice->front().key, "alice smith");
  EXPECT_EQ(alice->front().type, "person");
  auto rels = Relations();
  ASSERT_EQ(rels.size(), 1u);
  EXPECT_EQ(rels[0].subject, "Alice Smith");
  EXPECT_EQ(rels[0].predicate, "works_at");
  EXPECT_EQ(rels[0].object, "Acme");
  EXPECT_TRUE(store_->Verify().ok());
}

TEST_F(GraphStoreTest, BadInlineItemsAreRefusedAndNothingIsStored) {
  SaveRequest r;
  r.content = "a fact";
  r.context = {"u", "", "", ""};
  r.relations = {{"Alice", "", "Acme", 0, 0}};
  auto st = store_->Save(r);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.status().code(), Status::Code::kInvalidArgument);
  EXPECT_NE(st.status().message().find("relationships[0]"), std::string::npos) << st.status().message();
  r.relations.clear();
  r.entities = {{"", ""}};
  EXPECT_FALSE(store_->Save(r).ok());
  r.entities = {{"ok", "Not A Type!"}};
  EXPECT_FALSE(store_->Save(r).ok());
  // In a batch the item is named, and the whole batch is refused.
  SaveRequest good;
  good.content = "Bob lives in Paris";
  good.context = {"u", "", "", ""};
  auto batch = store_->SaveBatch({good, r});
  ASSERT_FALSE(batch.ok());
  EXPECT_NE(batch.status().message().find("item 1"), std::string::npos);
  ListRequest lr;
  lr.context = {"u", "", "", ""};
  EXPECT_TRUE(store_->List(lr)->empty());
  EXPECT_EQ(Count("SELECT count(*) FROM entities"), 0);
}

TEST(ParseGraphInputsTest, ReadsTheReferenceShapesAndNamesTheFirstBadItem) {
  std::vector<EntityInput> entities;
  std::vector<RelationInput> relations;
  ASSERT_TRUE(ParseGraphInputs(R"(["Ann", {"name": "Acme", "type": "organization"}, {"entity": "Oslo"}])",
                               R"([["Ann", "works at", "Acme"], {"source": "Acme", "relationship": "based in",
                                   "destination": "Oslo"}])",
                               &entities, &relations)
                  .ok());
  ASSERT_EQ(entities.size(), 3u);
  EXPECT_EQ(entities[1].type, "organization");
  ASSERT_EQ(relations.size(), 2u);
  EXPECT_EQ(relations[1].object, "Oslo");
  EXPECT_TRUE(ParseGraphInputs("", "", &entities, &relations).ok());
  struct Bad {
    const char *entities, *relations, *names;
  } bad[] = {{"\"Ann\"", "", "\"entities\" is not a list"},
             {"[3]", "", "entities[0]"},
             {"[\"\"]", "", "entities[0].name is empty"},
             {"", "[[\"a\", \"b\"]]", "relationships[0]"},
             {"", "[{\"source\": \"a\", \"type\": \" \", \"target\": \"b\"}]", "relationships[0].relationship"},
             {"[", "", "not valid JSON"}};
  for (const Bad& b : bad) {
    std::vector<EntityInput> e;
    std::vector<RelationInput> r;
    Status st = ParseGraphInputs(b.entities, b.relations, &e, &r);
    EXPECT_EQ(st.code(), Status::Code::kInvalidArgument) << b.entities << b.relations;
    EXPECT_NE(st.message().find(b.names), std::string::npos) << st.message();
    EXPECT_TRUE(e.empty() && r.empty());  // nothing appended on error
  }
}

TEST_F(GraphStoreTest, EntitiesOfOneMemoryAreScopedLikeTheMemory) {
  std::string id = Save("Dana manages the platform team", {"u", "", "", ""}, Scope::kUser, {{"Dana", "person"}},
                        {{"Dana", "manages", "platform team", 0, 0}});
  Save("Bruno lives in Lisbon");
  EntityQuery q;
  q.context = {"u", "", "", ""};
  q.memory_id = id;
  auto named = store_->Entities(q);
  ASSERT_TRUE(named.ok()) << named.status().ToString();
  std::set<std::string> keys;
  for (const Entity& e : *named) keys.insert(e.key);
  EXPECT_EQ(keys, (std::set<std::string>{"dana", "platform team"}));
  q.name = "platform team";
  ASSERT_EQ(store_->Entities(q)->size(), 1u);
  q.name.clear();
  q.context = {"someone else", "", "", ""};
  EXPECT_TRUE(store_->Entities(q)->empty());
}

TEST_F(GraphStoreTest, AFullNameInTheQueryDoesNotSeedEveryoneWithThatFirstName) {
  for (const char* who : {"Alice Verstad", "Alice Morberg", "Alice Kalwood"}) {
    Save(std::string("Note: ") + who + " went hiking near Porthaven", {"u", "", "", ""}, Scope::kUser,
         {{who, "person"}});
  }
  SearchRequest r;
  r.query = "Where did Alice Verstad go hiking?";
  r.context = {"u", "", "", ""};
  r.include_graph = GraphSignal::kOn;
  r.top_k = 3;
  auto hits = store_->Search(r);
  ASSERT_TRUE(hits.ok()) << hits.status().ToString();
  int reached = 0;
  for (const SearchResult& h : *hits) reached += h.graph_score > 0;
  EXPECT_EQ(reached, 1);  // only Alice Verstad's memory; "Alice" alone would reach all three
  r.query = "Where did Alice go hiking?";
  hits = store_->Search(r);
  ASSERT_TRUE(hits.ok());
  reached = 0;
  for (const SearchResult& h : *hits) reached += h.graph_score > 0;
  EXPECT_EQ(reached, 3);
}

TEST_F(GraphStoreTest, DeleteAndClearTakeMentionsRelationsAndOrphanEntitiesInTheSameTransaction) {
  std::string a = Save("Alice works at Acme", {"u", "", "", ""}, Scope::kUser, {},
                       {{"Alice", "works_at", "Acme", 0, 0}});
  Save("Alice likes Berlin");
  ASSERT_TRUE(store_->Delete(a).ok());
  std::set<std::string> keys = EntityKeys();
  EXPECT_TRUE(keys.count("alice"));
  EXPECT_FALSE(keys.count("acme"));  // named only by the deleted memory
  EXPECT_TRUE(Relations().empty());
  EXPECT_EQ(Count("SELECT count(*) FROM relations"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM entities WHERE key = 'acme'"), 0);
  ASSERT_EQ(*store_->Clear({"u", "", "", ""}), 1);
  EXPECT_EQ(Count("SELECT count(*) FROM mentions"), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM entities"), 0);
  EXPECT_TRUE(store_->Verify().ok());
}

TEST_F(GraphStoreTest, SessionScopedEntitiesStayInTheirSession) {
  Save("Zoe visits Lisbon", {"u", "s1", "", ""}, Scope::kSession);
  Save("Tom likes Oslo");
  EXPECT_TRUE(EntityKeys({"u", "s1", "", ""}).count("lisbon"));
  EXPECT_FALSE(EntityKeys({"u", "s2", "", ""}).count("lisbon"));
  EXPECT_FALSE(EntityKeys({"u", "", "", ""}).count("zoe"));
  EXPECT_TRUE(EntityKeys({"u", "s2", "", ""}).count("oslo"));
  EXPECT_TRUE(EntityKeys({"other", "", "", ""}).empty());
  // Neither a name lookup nor neighbours reach into the other session.
  NeighborQuery nq;
  nq.context = {"u", "s2", "", ""};
  nq.entity = "Zoe";
  EXPECT_EQ(store_->Neighbors(nq).status().code(), Status::Code::kNotFound);
}

TEST_F(GraphStoreTest, SupersedeClosesWorldTimeAndKeepsThePastFact) {
  int64_t y2020 = 1'577'836'800'000'000;  // 2020-01-01
  std::string acme = Save("Alice works at Acme", {"u", "", "", ""}, Scope::kUser, {},
                          {{"Alice", "works_at", "Acme", y2020, 0}}, y2020);
  int64_t believed_open = env_.now + 10;
  env_.now += 1'000'000;
  SaveRequest next;
  next.content = "Alice works at Globex";
  next.relations = {{"Alice", "works_at", "Globex", 0, 0}};
  auto globex = store_->Supersede(acme, next);
  ASSERT_TRUE(globex.ok()) << globex.status().ToString();
  int64_t changed = env_.now;
  auto rels = Relations();
  ASSERT_EQ(rels.size(), 2u);
  const Relation* old_rel = nullptr;
  const Relation* new_rel = nullptr;
  for (const auto& r : rels) (r.object == "Acme" ? old_rel : new_rel) = &r;
  ASSERT_TRUE(old_rel && new_rel);
  EXPECT_TRUE(old_rel->superseded);
  EXPECT_EQ(old_rel->world_from, y2020);
  EXPECT_EQ(old_rel->world_to, changed);  // closed, not deleted
  EXPECT_FALSE(new_rel->superseded);
  EXPECT_EQ(new_rel->world_to, 0);
  // What held in 2021 (valid_at), what we believed before the change (as_of).
  RelationQuery then;
  then.valid_at = y2020 + 365LL * 86400 * 1'000'000;
  auto held = Relations(then);
  ASSERT_EQ(held.size(), 1u);
  EXPECT_EQ(held[0].object, "Acme");
  RelationQuery before;
  before.as_of = believed_open;
  auto believed = Relations(before);
  ASSERT_EQ(believed.size(), 1u);
  EXPECT_EQ(believed[0].world_to, 0);  // the end was not known yet
  // Search: the past fact is not current, but holds at valid_at.
  SearchRequest s;
  s.query = "where does Alice work";
  s.context = {"u", "", "", ""};
  auto now_hits = store_->Search(s);
  ASSERT_TRUE(now_hits.ok());
  for (const auto& h : *now_hits) EXPECT_NE(h.record.content, "Alice works at Acme");
  s.valid_at = then.valid_at;
  auto past_hits = store_->Search(s);
  ASSERT_TRUE(past_hits.ok()) << past_hits.status().ToString();
  ASSERT_FALSE(past_hits->empty());
  EXPECT_EQ(past_hits->front().record.content, "Alice works at Acme");
  EXPECT_EQ(past_hits->front().record.world_to, changed);
}

TEST_F(GraphStoreTest, UpdateKeepsTheOldVersionsGraphForAsOf) {
  std::string id = Save("Priya lives in Toronto");
  int64_t before = env_.now + 1;
  env_.now += 1000;
  UpdateRequest u;
  u.content = "Priya lives in Montreal";
  ASSERT_TRUE(store_->Update(id, u).ok());
  std::set<std::string> now_keys = EntityKeys();
  EXPECT_TRUE(now_keys.count("montreal"));
  EXPECT_FALSE(now_keys.count("toronto"));
  EXPECT_TRUE(EntityKeys({"u", "", "", ""}, before).count("toronto"));
  EXPECT_TRUE(store_->Verify().ok());
}

TEST_F(GraphStoreTest, WeakSentenceStartNamesCountOnlyWhenKnown) {
  Save("Pottery helps me relax.");
  EXPECT_FALSE(EntityKeys().count("pottery"));
  Save("Marco sings.");  // weak: not stored
  EXPECT_FALSE(EntityKeys().count("marco"));
  Save("I had dinner with Marco.");
  Save("Marco loves jazz.");
  EXPECT_EQ(store_->Entities(EntityQuery{{{"u", "", "", ""}}, "Marco", ""})->front().memories, 2);
}

TEST_F(GraphStoreTest, SearchFusesTheGraphAndExplainsThePath) {
  // The speaker's own turns rank above another speaker's turns on the same topic.
  Save("Melanie: I signed up for a pottery class yesterday.");
  Save("Caroline: pottery sounds fun, I tried a pottery class once.");
  Save("Melanie: the kids loved the dinosaur museum.");
  SearchRequest r;
  r.query = "What classes did Melanie take?";
  r.context = {"u", "", "", ""};
  // The store's default is off (OpenOptions::graph_search): no graph score anywhere.
  for (const auto& h : *store_->Search(r)) EXPECT_EQ(h.graph_score, 0);
  r.include_graph = GraphSignal::kOn;
  auto hits = store_->Search(r);
  ASSERT_TRUE(hits.ok());
  ASSERT_GE(hits->size(), 2u);
  EXPECT_EQ(hits->front().record.content, "Melanie: I signed up for a pottery class yesterday.");
  EXPECT_GT(hits->front().graph_score, 0.9);
  EXPECT_NE(hits->front().graph_path.find("Melanie (subject)"), std::string::npos);
  EXPECT_NE(hits->front().explanation.find("graph 1.00 via Melanie (subject)"), std::string::npos)
      << hits->front().explanation;
  // Off for this search: no graph score anywhere.
  r.include_graph = GraphSignal::kOff;
  for (const auto& h : *store_->Search(r)) EXPECT_EQ(h.graph_score, 0);
}

TEST_F(GraphStoreTest, TwoHopsReachAMemoryThroughARelation) {
  Save("Dana manages the team", {"u", "", "", ""}, Scope::kUser, {}, {{"Alice", "reports_to", "Dana", 0, 0}});
  Save("Dana is moving to Porto next spring");
  Save("Lisbon has nice weather");
  SearchRequest r;
  r.query = "Where is Alice's boss relocating?";
  r.context = {"u", "", "", ""};
  r.mode = SearchMode::kText;  // only BM25 and the graph: BM25 alone cannot link them
  r.include_graph = GraphSignal::kOn;
  auto hits = store_->Search(r);
  ASSERT_TRUE(hits.ok());
  bool found = false;
  for (const auto& h : *hits) {
    if (h.record.content == "Dana is moving to Porto next spring") {
      found = true;
      EXPECT_NE(h.graph_path.find("-[reports_to]->"), std::string::npos) << h.graph_path;
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(GraphStoreTest, GraphSurvivesReopenAndExports) {
  Save("Alice works at Acme", {"u", "", "", ""}, Scope::kUser, {}, {{"Alice", "works_at", "Acme", 0, 0}});
  store_.reset();
  Open();
  GraphReadOptions o;
  o.context = {"u", "", "", ""};
  auto g = store_->Graph(o);
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->relations.size(), 1u);
  std::string dot = GraphToDot(*g), graphml = GraphToGraphml(*g), json = GraphToJson(*g);
  EXPECT_NE(dot.find("works_at"), std::string::npos);
  EXPECT_NE(graphml.find("<edge id=\"r"), std::string::npos);
  EXPECT_NE(json.find("\"predicate\": \"works_at\""), std::string::npos);
}

}  // namespace
}  // namespace stratamem
