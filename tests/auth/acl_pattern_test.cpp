#include "gateway/auth/acl_pattern.hpp"

#include <gtest/gtest.h>

namespace gateway::auth {
namespace {

struct match_case {
  const char* pattern;
  const char* agent;
  const char* action;
  bool expected;
};

TEST(AclPattern, MatchTable) {
  const match_case cases[] = {
      {"*", "rpcutil", "ping", true},
      {"*", "puppet", "disable", true},
      {"*.*", "puppet", "disable", true},
      {"rpcutil.*", "rpcutil", "ping", true},
      {"rpcutil.*", "rpcutil", "inventory", true},
      {"rpcutil.*", "puppet", "ping", false},
      {"rpcutil.*", "rpcutil_extra", "ping", false},
      {"*.status", "puppet", "status", true},
      {"*.status", "service", "status", true},
      {"*.status", "puppet", "disable", false},
      {"puppet.status", "puppet", "status", true},
      {"puppet.status", "puppet", "disable", false},
      {"puppet.status", "service", "status", false},
      {"puppet.status", "puppet", "statuses", false},
      {"puppet.status", "puppe", "status", false},
  };
  for (const auto& c : cases) {
    const auto pattern = acl_pattern::parse(c.pattern);
    ASSERT_TRUE(pattern.has_value()) << c.pattern;
    EXPECT_EQ(pattern->matches(c.agent, c.action), c.expected)
        << c.pattern << " against " << c.agent << "." << c.action;
  }
}

TEST(AclPattern, KeepsTextAsWritten) {
  const auto pattern = acl_pattern::parse("rpcutil.*");
  ASSERT_TRUE(pattern.has_value());
  EXPECT_EQ(pattern->text(), "rpcutil.*");
}

TEST(AclPattern, AcceptsNamesWithDigitsAndUnderscores) {
  EXPECT_TRUE(acl_pattern::parse("nrpe_2.run_command").has_value());
  EXPECT_TRUE(acl_pattern::parse("*.get_fact").has_value());
}

TEST(AclPattern, RejectsInvalidForms) {
  const char* invalid[] = {
      "",
      "rpcutil",
      "rpcutil.",
      ".ping",
      "**",
      "rpc*.ping",
      "rpcutil.p*",
      "RPCUtil.ping",
      "rpcutil.Ping",
      "a.b.c",
      "rpcutil..ping",
      "rpc-util.ping",
      " rpcutil.ping",
      "rpcutil.ping ",
      "rpcutil .ping",
      "*.",
      ".*",
      "rpcutil.ping\n",
  };
  for (const char* text : invalid)
    EXPECT_FALSE(acl_pattern::parse(text).has_value()) << '"' << text << '"';
}

}  // namespace
}  // namespace gateway::auth
