#include <gtest/gtest.h>

#include "stratamem/scope.h"

namespace stratamem {
namespace {

TEST(ScopeTest, ParseRoundTrip) {
  for (Scope s : {Scope::kUser, Scope::kSession, Scope::kAgent, Scope::kTurn}) {
    auto parsed = ParseScope(ScopeName(s));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, s);
  }
  EXPECT_EQ(ParseScope("global").status().code(), Status::Code::kInvalidArgument);
}

TEST(ScopeTest, MissingIdsAreErrors) {
  ScopeContext ctx{"u", "", "", ""};
  EXPECT_TRUE(ValidateContextFor(Scope::kUser, ctx).ok());
  EXPECT_FALSE(ValidateContextFor(Scope::kSession, ctx).ok());
  ctx.session_id = "s";
  EXPECT_TRUE(ValidateContextFor(Scope::kSession, ctx).ok());
  EXPECT_FALSE(ValidateContextFor(Scope::kAgent, ctx).ok());
  EXPECT_FALSE(ValidateContextFor(Scope::kTurn, ctx).ok());
  EXPECT_FALSE(ValidateContextFor(Scope::kUser, ScopeContext{}).ok());
}

TEST(ScopeTest, Visibility) {
  ScopeContext owner{"u", "s1", "claude", "t1"};
  EXPECT_TRUE(IsVisible(Scope::kUser, owner, {"u", "s2", "codex", ""}));
  EXPECT_FALSE(IsVisible(Scope::kUser, owner, {"other", "s1", "claude", "t1"}));
  EXPECT_TRUE(IsVisible(Scope::kSession, owner, {"u", "s1", "", ""}));
  EXPECT_FALSE(IsVisible(Scope::kSession, owner, {"u", "s2", "", ""}));
  EXPECT_FALSE(IsVisible(Scope::kSession, owner, {"u", "", "", ""}));
  EXPECT_TRUE(IsVisible(Scope::kAgent, owner, {"u", "s1", "claude", ""}));
  EXPECT_FALSE(IsVisible(Scope::kAgent, owner, {"u", "s1", "codex", ""}));
  EXPECT_TRUE(IsVisible(Scope::kTurn, owner, {"u", "s1", "", "t1"}));
  EXPECT_FALSE(IsVisible(Scope::kTurn, owner, {"u", "s1", "", "t2"}));
}

}  // namespace
}  // namespace stratamem
