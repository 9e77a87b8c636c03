#include "gateway/auth/authorize.hpp"

#include <gtest/gtest.h>

#include <string>

namespace gateway::auth {
namespace {

const std::string hash =
    "$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i";

policy test_policy() {
  std::string error;
  auto rules = policy::parse(
      R"({"roles": {
            "admin": {"allow": ["*"]},
            "operator": {"allow": ["rpcutil.*", "puppet.status"]},
            "auditor": {"allow": ["*.status"]},
            "empty": {"allow": []}}})",
      &error);
  EXPECT_TRUE(rules.has_value()) << error;
  return std::move(*rules);
}

user_directory test_users() {
  std::string error;
  auto users = user_directory::parse(
      R"([
        {"username": "root", "password": ")" +
          hash + R"(", "roles": ["admin"]},
        {"username": "alice", "password": ")" +
          hash + R"(",
         "roles": ["operator"]},
        {"username": "audit", "password": ")" +
          hash + R"(",
         "roles": ["auditor", "empty"]},
        {"username": "bob", "password": ")" +
          hash + R"(",
         "acls": ["service.restart"]},
        {"username": "carol", "password": ")" +
          hash + R"(",
         "acls": ["nrpe.*"], "roles": ["auditor"]},
        {"username": "dave", "password": ")" +
          hash + R"(", "acls": ["*"]},
        {"username": "eve", "password": ")" +
          hash + R"("}
      ])",
      &error);
  EXPECT_TRUE(users.has_value()) << error;
  return std::move(*users);
}

struct call_case {
  const char* username;
  const char* agent;
  const char* action;
  bool allowed;
};

TEST(Authorize, DecisionTable) {
  const auto rules = test_policy();
  const auto users = test_users();
  const call_case cases[] = {
      // Role "admin": "*".
      {"root", "puppet", "disable", true},
      {"root", "rpcutil", "ping", true},
      // Role "operator": "rpcutil.*" and "puppet.status".
      {"alice", "rpcutil", "ping", true},
      {"alice", "rpcutil", "inventory", true},
      {"alice", "puppet", "status", true},
      {"alice", "puppet", "disable", false},
      {"alice", "service", "status", false},
      // Role "auditor": "*.status"; role "empty" adds nothing.
      {"audit", "puppet", "status", true},
      {"audit", "service", "status", true},
      {"audit", "service", "restart", false},
      // Acl "service.restart", exact.
      {"bob", "service", "restart", true},
      {"bob", "service", "status", false},
      {"bob", "puppet", "restart", false},
      // Acl "nrpe.*" plus role "auditor".
      {"carol", "nrpe", "runcommand", true},
      {"carol", "puppet", "status", true},
      {"carol", "puppet", "enable", false},
      // Acl "*".
      {"dave", "anything", "at_all", true},
      // Neither acls nor roles.
      {"eve", "rpcutil", "ping", false},
  };
  for (const auto& c : cases) {
    const user* caller = users.find(c.username);
    ASSERT_NE(caller, nullptr) << c.username;
    const auto result = authorize(*caller, rules, c.agent, c.action);
    EXPECT_EQ(result.allowed, c.allowed) << c.username << " " << c.agent << "."
                                         << c.action << ": " << result.reason;
  }
}

TEST(Authorize, DenyReasonNamesUserAndCall) {
  const auto rules = test_policy();
  const auto users = test_users();
  const auto result =
      authorize(*users.find("alice"), rules, "puppet", "disable");
  EXPECT_FALSE(result.allowed);
  EXPECT_EQ(result.reason,
            "user alice may not call puppet.disable: no acl or role allows it");
  EXPECT_EQ(result.reason.find(hash), std::string::npos);
}

TEST(Authorize, AllowReasonNamesAclOrRole) {
  const auto rules = test_policy();
  const auto users = test_users();
  EXPECT_EQ(authorize(*users.find("bob"), rules, "service", "restart").reason,
            "user bob may call service.restart: allowed by acl "
            "service.restart");
  EXPECT_EQ(authorize(*users.find("alice"), rules, "rpcutil", "ping").reason,
            "user alice may call rpcutil.ping: allowed by role operator "
            "pattern rpcutil.*");
}

TEST(Authorize, UndefinedRoleAllowsNothing) {
  const auto rules = test_policy();
  const user ghost{"ghost", hash, {}, {"superuser"}};
  EXPECT_FALSE(authorize(ghost, rules, "rpcutil", "ping").allowed);
}

TEST(Validate, AcceptsKnownRoles) {
  std::string error;
  EXPECT_TRUE(validate(test_users(), test_policy(), &error)) << error;
}

TEST(Validate, RejectsUnknownRoleNamingUserAndRole) {
  std::string error;
  auto users =
      user_directory::parse(R"([{"username": "alice", "password": ")" + hash +
                                R"(", "roles": ["operator", "superuser"]}])",
                            &error);
  ASSERT_TRUE(users.has_value()) << error;
  EXPECT_FALSE(validate(*users, test_policy(), &error));
  EXPECT_EQ(error,
            "user \"alice\" has role \"superuser\", which the policy file "
            "does not define");
}

}  // namespace
}  // namespace gateway::auth
