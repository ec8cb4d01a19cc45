// The streaming tag filter: a reply fed in pieces split anywhere gives exactly
// what the whole reply gives, and the user never sees any part of a block.
#include <gtest/gtest.h>

#include <string>

#include "memory_block_cases.h"
#include "protocol/stream_filter.h"

namespace stratamem::protocol {
namespace {

struct Streamed {
  std::string shown;
  ReplyParse result;
};

// Feeds `reply` cut at the given positions (ascending) and checks, after every
// piece, that what was shown so far is a prefix of the final visible text.
Streamed Stream(const std::string& reply, const std::vector<size_t>& cuts) {
  StreamFilter f;
  Streamed s;
  size_t at = 0;
  for (size_t cut : cuts) {
    s.shown += f.Feed(std::string_view(reply).substr(at, cut - at));
    at = cut;
  }
  s.shown += f.Feed(std::string_view(reply).substr(at));
  s.shown += f.Finish();
  s.result = f.result();
  return s;
}

void ExpectSame(const ReplyParse& want, const Streamed& got, const std::string& where) {
  SCOPED_TRACE(where);
  EXPECT_EQ(got.shown, want.visible);
  EXPECT_EQ(got.result.visible, want.visible);
  ASSERT_EQ(got.result.facts.size(), want.facts.size());
  for (size_t i = 0; i < want.facts.size(); ++i) {
    EXPECT_EQ(got.result.facts[i].content, want.facts[i].content);
    EXPECT_EQ(got.result.facts[i].scope, want.facts[i].scope);
    EXPECT_EQ(test::RenderEntities(got.result.facts[i].entities), test::RenderEntities(want.facts[i].entities));
    EXPECT_EQ(test::RenderRelations(got.result.facts[i].relations), test::RenderRelations(want.facts[i].relations));
  }
  EXPECT_EQ(got.result.unclosed, want.unclosed);
}

TEST(StreamFilterTest, EveryFixtureSplitAtEveryBytePosition) {
  auto cases = test::LoadBlockCases();
  ASSERT_GE(cases.size(), 25u);
  for (const auto& c : cases) {
    ReplyParse whole = ParseReply(c.reply);
    for (size_t cut = 0; cut <= c.reply.size(); ++cut) {
      ExpectSame(whole, Stream(c.reply, {cut}), c.name + " cut at " + std::to_string(cut));
    }
  }
}

TEST(StreamFilterTest, EveryFixtureOneByteAtATime) {
  for (const auto& c : test::LoadBlockCases()) {
    std::vector<size_t> cuts;
    for (size_t i = 1; i < c.reply.size(); ++i) cuts.push_back(i);
    ExpectSame(ParseReply(c.reply), Stream(c.reply, cuts), c.name + " byte by byte");
  }
}

TEST(StreamFilterTest, EveryPairOfCutsAroundTheTags) {
  const std::string reply =
      "Use Python.\n\n<memory>{\"memories\": [{\"content\": \"Prefers Python\"}]}</memory>";
  ReplyParse whole = ParseReply(reply);
  ASSERT_EQ(whole.visible, "Use Python.");
  ASSERT_EQ(whole.facts.size(), 1u);
  for (size_t a = 0; a <= reply.size(); ++a) {
    for (size_t b = a; b <= reply.size(); ++b) {
      ExpectSame(whole, Stream(reply, {a, b}), std::to_string(a) + "," + std::to_string(b));
    }
  }
}

TEST(StreamFilterTest, HoldsBackOnlyWhatCouldStartTheTag) {
  StreamFilter f;
  EXPECT_EQ(f.Feed("Hello wor"), "Hello wor");
  EXPECT_EQ(f.Feed("ld. a <"), "ld. a");  // " <" might start a block
  EXPECT_EQ(f.Feed(" b"), " < b");        // it did not
  EXPECT_EQ(f.Feed("\n\n<mem"), "");
  EXPECT_EQ(f.Feed("ory>{\"memories\": [\"x\"]}</mem"), "");
  EXPECT_TRUE(f.in_block());
  EXPECT_EQ(f.Feed("ory>"), "");
  EXPECT_FALSE(f.in_block());
  EXPECT_EQ(f.Finish(), "");
  ASSERT_EQ(f.result().facts.size(), 1u);
  EXPECT_EQ(f.result().visible, "Hello world. a < b");
  EXPECT_EQ(f.Feed("late"), "");  // ignored after Finish
}

TEST(StreamFilterTest, MultiByteCharactersAreNeverSplitByTheFilter) {
  // Pieces are whole code points (as an SDK delivers them); what comes out is too.
  StreamFilter f;
  std::string shown;
  for (std::string piece : {"caf\xc3\xa9 ", "\xe6\x97\xa5 ", "<", "memory>[\"\xf0\x9f\x98\x80\"]",
                            "</memory>"}) {
    std::string out = f.Feed(piece);
    shown += out;
  }
  shown += f.Finish();
  EXPECT_EQ(shown, "caf\xc3\xa9 \xe6\x97\xa5");
  ASSERT_EQ(f.result().facts.size(), 1u);
  EXPECT_EQ(f.result().facts[0].content, "\xf0\x9f\x98\x80");
}

}  // namespace
}  // namespace stratamem::protocol
