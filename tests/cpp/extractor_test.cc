// The native entity extractor: exact cases for each kind of entity and for
// alias folding, and a floor on precision and recall over the labelled sample
// (fixtures/entities; the full per-type table is bench/extractor_bench.py's).
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <utility>

#include <gtest/gtest.h>

#include "entity_cases.h"
#include "graph/extractor.h"
#include "graph/fold.h"

namespace stratamem::graph {
namespace {

// type|key of every non-weak mention.
std::set<std::string> Found(std::string_view text) {
  std::set<std::string> out;
  for (const Mention& m : ExtractEntities(text)) {
    if (!m.weak) out.insert(m.type + "|" + m.key);
  }
  return out;
}

const Mention* Find(const std::vector<Mention>& ms, std::string_view key) {
  for (const Mention& m : ms) {
    if (m.key == key) return &m;
  }
  return nullptr;
}

TEST(FoldTest, CasePossessiveTheAndTitlesFold) {
  EXPECT_EQ(FoldEntityKey("Caroline's", kName), "caroline");
  EXPECT_EQ(FoldEntityKey("CAROLINE", kPerson), "caroline");
  EXPECT_EQ(FoldEntityKey("Caroline\xE2\x80\x99s", kName), "caroline");
  EXPECT_EQ(FoldEntityKey("James'", kPerson), "james");
  EXPECT_EQ(FoldEntityKey("Dr. Okafor", kPerson), "okafor");
  EXPECT_EQ(FoldEntityKey("Mayor Elena Ruiz", kPerson), "elena ruiz");
  EXPECT_EQ(FoldEntityKey("The Blue Note", kName), "blue note");
  // A title before a connector is part of the name; a lone title stays.
  EXPECT_EQ(FoldEntityKey("Queen of Sheba", kName), "queen of sheba");
  EXPECT_EQ(FoldEntityKey("Coach", kPerson), "coach");
  // Code and paths keep their words.
  EXPECT_EQ(FoldEntityKey("The_Config.py", kPath), "the_config.py");
}

TEST(ExtractorTest, SpeakerLabelIsTheSubject) {
  auto ms = ExtractEntities("Caroline: I went to a support group with Melanie yesterday.");
  const Mention* c = Find(ms, "caroline");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->type, kPerson);
  EXPECT_EQ(c->role, MentionRole::kSubject);
  const Mention* m = Find(ms, "melanie");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->role, MentionRole::kMention);
  // A dated transcript line keeps its label.
  auto dated = ExtractEntities("[8 May, 2023] Caroline: Hi!");
  ASSERT_NE(Find(dated, "caroline"), nullptr);
  EXPECT_EQ(Find(dated, "caroline")->role, MentionRole::kSubject);
  EXPECT_NE(Find(dated, "2023-05-08"), nullptr);
  // A note label is not a speaker.
  EXPECT_EQ(Find(ExtractEntities("Reminder: call the bank"), "reminder"), nullptr);
}

TEST(ExtractorTest, PossessivesFoldIntoOneEntity) {
  auto ms = ExtractEntities("Caroline's necklace came from Sweden, and Caroline loves it.");
  const Mention* c = Find(ms, "caroline");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->count, 2);
  EXPECT_EQ(c->surface, "Caroline's");
}

TEST(ExtractorTest, SentenceStartWordsAreWeak) {
  auto ms = ExtractEntities("Pottery helps me relax. Sweden is cold in winter.");
  ASSERT_NE(Find(ms, "sweden"), nullptr);
  EXPECT_TRUE(Find(ms, "sweden")->weak);
  EXPECT_TRUE(Find(ms, "pottery")->weak);
  EXPECT_FALSE(Find(ExtractEntities("We moved to Sweden."), "sweden")->weak);
  // Common words at a sentence start are not even candidates.
  EXPECT_EQ(Find(ExtractEntities("Thanks! Yesterday was fun."), "yesterday"), nullptr);
}

TEST(ExtractorTest, PeopleByCue) {
  EXPECT_EQ(Find(ExtractEntities("I met my sister Giulia in Naples."), "giulia")->type, kPerson);
  EXPECT_EQ(Find(ExtractEntities("Hey Marco, how are you?"), "marco")->type, kPerson);
  EXPECT_EQ(Find(ExtractEntities("How long ago was that, Aisha?"), "aisha")->type, kPerson);
  EXPECT_EQ(Find(ExtractEntities("My therapist, Dr. Okafor, says so."), "okafor")->type, kPerson);
  EXPECT_EQ(Find(ExtractEntities("We visited the Natural History Museum."), "natural history museum")->type,
            kName);
}

TEST(ExtractorTest, NamesJoinOverConnectors) {
  auto ms = ExtractEntities("She studied at the University of Tromso and worked for Habitat for Humanity.");
  EXPECT_NE(Find(ms, "university of tromso"), nullptr);
  EXPECT_NE(Find(ms, "habitat for humanity"), nullptr);
  // "and" does not join two names.
  auto two = ExtractEntities("Officials in Kenya and Tanzania signed it.");
  EXPECT_NE(Find(two, "kenya"), nullptr);
  EXPECT_NE(Find(two, "tanzania"), nullptr);
}

TEST(ExtractorTest, QuotedTitles) {
  auto ms = ExtractEntities("I loved reading \"Charlotte's Web\" as a kid; he said \"call me later\".");
  ASSERT_NE(Find(ms, "charlotte's web"), nullptr);
  EXPECT_EQ(Find(ms, "charlotte's web")->type, kTitle);
  EXPECT_EQ(Find(ms, "call me later"), nullptr);
  EXPECT_NE(Find(ExtractEntities("We watched \xE2\x80\x9CSpirited Away\xE2\x80\x9D."), "spirited away"), nullptr);
}

TEST(ExtractorTest, ShapedTokens) {
  std::set<std::string> f = Found(
      "See https://docs.acme.dev/v2/, mail oncall@acme.dev, edit src/store/schema.cc and ~/.bashrc, "
      "call parse_lines() or tokio::sync::Mutex, set MAX_RETRIES, fix #482, run `make test`.");
  for (const char* want : {"url|https://docs.acme.dev/v2/", "email|oncall@acme.dev", "path|src/store/schema.cc",
                           "path|~/.bashrc", "code|parse_lines()", "code|tokio::sync::mutex", "code|max_retries",
                           "code|#482", "code|make test"}) {
    EXPECT_TRUE(f.count(want)) << want;
  }
  // Brands in camel case are names, numbers are not paths, "and/or" is not a path.
  EXPECT_TRUE(Found("I sync it with iCloud.").count("name|icloud"));
  EXPECT_TRUE(Found("It costs 3.2 and/or more.").empty());
}

TEST(ExtractorTest, DatesFoldToOneKey) {
  for (const char* text : {"We met on 8 May 2023.", "We met on May 8, 2023.", "We met on 2023-05-08.",
                           "We met on Monday, 8 May 2023."}) {
    EXPECT_TRUE(Found(text).count("date|2023-05-08")) << text;
  }
  EXPECT_TRUE(Found("It lands at 6:45 pm.").count("date|18:45"));
  EXPECT_TRUE(Found("It lands at 9pm.").count("date|21:00"));
  EXPECT_TRUE(Found("Back in March.").count("date|--03"));
  EXPECT_TRUE(Found("Closing by Q4 2026.").count("date|2026-q4"));
  // "May" the verb is not a date.
  EXPECT_FALSE(Found("May I ask you something?").count("date|--05"));
}

TEST(ExtractorTest, QuantitiesKeepTheirUnit) {
  std::set<std::string> f = Found("It took 3 hours 40 minutes, cost $340 million, used 16 GB, drew 65,000 visitors "
                                  "and 12% more, for two years.");
  for (const char* want : {"quantity|3 hours 40 minutes", "quantity|$340 million", "quantity|16 gb",
                           "quantity|65,000 visitors", "quantity|12%", "quantity|two years"}) {
    EXPECT_TRUE(f.count(want)) << want;
  }
  EXPECT_TRUE(Found("A family of 5 came.").empty());
}

// The labelled sample: keys match regardless of type. The floors sit a little
// under the measured values (docs/graph.md) so a regression fails here.
TEST(ExtractorTest, LabelledSamplePrecisionAndRecall) {
  auto cases = test::LoadEntityCases();
  ASSERT_GE(cases.size(), 200u);
  size_t tp = 0, fp = 0, fn = 0;
  bool verbose = std::getenv("STRATAMEM_EXTRACTOR_VERBOSE") != nullptr;
  for (const auto& c : cases) {
    std::set<std::string> gold;
    for (const auto& e : c.entities) gold.insert(FoldEntityKey(e.surface, e.type == "date" ? "name" : e.type));
    std::set<std::string> got;
    for (const Mention& m : ExtractEntities(c.text)) {
      if (m.weak) continue;
      // Dates are labelled as written; compare them by surface like the gold.
      got.insert(m.type == kDate ? FoldEntityKey(m.surface, kName) : m.key);
    }
    for (const auto& g : gold) {
      if (got.count(g)) {
        ++tp;
      } else {
        ++fn;
        if (verbose) std::printf("MISS %s: %s  [%s]\n", c.name.c_str(), g.c_str(), c.text.c_str());
      }
    }
    for (const auto& x : got) {
      if (!gold.count(x)) {
        ++fp;
        if (verbose) std::printf("EXTRA %s: %s  [%s]\n", c.name.c_str(), x.c_str(), c.text.c_str());
      }
    }
  }
  double precision = tp / static_cast<double>(tp + fp), recall = tp / static_cast<double>(tp + fn);
  std::printf("labelled sample: %zu cases, precision %.3f, recall %.3f (tp %zu fp %zu fn %zu)\n", cases.size(),
              precision, recall, tp, fp, fn);
  EXPECT_GE(precision, 0.80);
  EXPECT_GE(recall, 0.75);
}

}  // namespace
}  // namespace stratamem::graph
