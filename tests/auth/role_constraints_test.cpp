// Role constraints: allowed collectives, the cap on targets, and rules for
// broad actions.
#include <gtest/gtest.h>

#include <string>

#include "gateway/auth/authorize.hpp"

namespace gateway::auth {
namespace {

const std::string hash =
    "$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i";

policy constrained_policy() {
  std::string error;
  auto rules = policy::parse(
      R"({"roles": {
            "admin": {"allow": ["*"]},
            "operator": {"allow": ["rpcutil.*", "puppet.*"],
                         "collectives": ["mcollective"],
                         "max_targets": 100,
                         "broad_actions": [
                           {"actions": ["puppet.*"], "require_filter": true,
                            "max_targets": 10}]},
            "backup": {"allow": ["puppet.*"], "collectives": ["other"]}}})",
      &error);
  EXPECT_TRUE(rules.has_value()) << error;
  return std::move(*rules);
}

user make_user(std::vector<std::string> roles,
               std::vector<std::string> acls = {}) {
  user out;
  out.username = "alice";
  out.password_hash = hash;
  out.roles = std::move(roles);
  for (const auto& text : acls) out.acls.push_back(*acl_pattern::parse(text));
  return out;
}

call_scope scope(std::string_view agent, std::string_view action,
                 std::string_view collective = "mcollective",
                 bool narrowed = false, std::size_t listed = 0) {
  return {agent, action, collective, narrowed, listed};
}

TEST(RoleConstraints, CollectiveOutsideRoleDenied) {
  const auto rules = constrained_policy();
  const auto alice = make_user({"operator"});
  auto result = authorize(alice, rules, scope("rpcutil", "ping", "other"));
  EXPECT_FALSE(result.allowed);
  EXPECT_NE(result.reason.find("may not address collective other"),
            std::string::npos)
      << result.reason;
  EXPECT_TRUE(authorize(alice, rules, scope("rpcutil", "ping")).allowed);
}

TEST(RoleConstraints, RoleCapReturnedAndEnforcedOnNodeList) {
  const auto rules = constrained_policy();
  const auto alice = make_user({"operator"});
  auto allowed =
      authorize(alice, rules, scope("rpcutil", "ping", "mcollective", true, 100));
  EXPECT_TRUE(allowed.allowed) << allowed.reason;
  EXPECT_EQ(allowed.max_targets, 100u);

  auto denied =
      authorize(alice, rules, scope("rpcutil", "ping", "mcollective", true, 101));
  EXPECT_FALSE(denied.allowed);
  EXPECT_NE(denied.reason.find("at most 100 nodes"), std::string::npos)
      << denied.reason;
  EXPECT_NE(denied.reason.find("lists 101"), std::string::npos);
}

TEST(RoleConstraints, BroadActionNeedsFilterAndLowersCap) {
  const auto rules = constrained_policy();
  const auto alice = make_user({"operator"});
  auto everywhere = authorize(alice, rules, scope("puppet", "run"));
  EXPECT_FALSE(everywhere.allowed);
  EXPECT_NE(everywhere.reason.find("must narrow puppet.run"),
            std::string::npos)
      << everywhere.reason;

  auto filtered =
      authorize(alice, rules, scope("puppet", "run", "mcollective", true));
  EXPECT_TRUE(filtered.allowed) << filtered.reason;
  EXPECT_EQ(filtered.max_targets, 10u);

  auto too_many =
      authorize(alice, rules, scope("puppet", "run", "mcollective", true, 11));
  EXPECT_FALSE(too_many.allowed);
  EXPECT_NE(too_many.reason.find("at most 10 nodes"), std::string::npos);
}

TEST(RoleConstraints, AnotherRoleMayGrantWhatOneDenies) {
  const auto rules = constrained_policy();
  const auto alice = make_user({"operator", "backup"});
  auto result = authorize(alice, rules, scope("puppet", "run", "other"));
  EXPECT_TRUE(result.allowed) << result.reason;
  EXPECT_NE(result.reason.find("role backup"), std::string::npos);
  EXPECT_EQ(result.max_targets, 0u);
}

TEST(RoleConstraints, AclLimitedByRoleCollectives) {
  const auto rules = constrained_policy();
  const auto alice = make_user({"operator"}, {"sim_test.run"});
  auto outside = authorize(alice, rules, scope("sim_test", "run", "other"));
  EXPECT_FALSE(outside.allowed);
  EXPECT_NE(outside.reason.find("acl sim_test.run"), std::string::npos)
      << outside.reason;
  EXPECT_NE(outside.reason.find("may not address collective other"),
            std::string::npos)
      << outside.reason;

  auto inside = authorize(alice, rules, scope("sim_test", "run"));
  EXPECT_TRUE(inside.allowed) << inside.reason;
  EXPECT_NE(inside.reason.find("allowed by acl sim_test.run"),
            std::string::npos);
  EXPECT_EQ(inside.max_targets, 100u);
}

TEST(RoleConstraints, AclLimitedByBroadActionRule) {
  const auto rules = constrained_policy();
  const auto alice = make_user({"operator"}, {"puppet.run"});
  auto everywhere = authorize(alice, rules, scope("puppet", "run"));
  EXPECT_FALSE(everywhere.allowed);
  EXPECT_NE(everywhere.reason.find("must narrow puppet.run"), std::string::npos)
      << everywhere.reason;

  auto filtered =
      authorize(alice, rules, scope("puppet", "run", "mcollective", true));
  EXPECT_TRUE(filtered.allowed) << filtered.reason;
  EXPECT_EQ(filtered.max_targets, 10u);
  auto too_many =
      authorize(alice, rules, scope("puppet", "run", "mcollective", true, 11));
  EXPECT_FALSE(too_many.allowed);
}

TEST(RoleConstraints, AclMeetsEveryRolesConstraints) {
  // backup allows only the collective other, operator only mcollective, so
  // an acl grant of this user reaches neither.
  const auto rules = constrained_policy();
  const auto alice = make_user({"operator", "backup"}, {"sim_test.run"});
  EXPECT_FALSE(authorize(alice, rules, scope("sim_test", "run")).allowed);
  EXPECT_FALSE(
      authorize(alice, rules, scope("sim_test", "run", "other")).allowed);
  // A role that allows the call still grants it under its own constraints.
  auto by_role = authorize(alice, rules, scope("puppet", "run", "other"));
  EXPECT_TRUE(by_role.allowed) << by_role.reason;
  EXPECT_NE(by_role.reason.find("role backup"), std::string::npos);
}

TEST(RoleConstraints, AclWithoutRolesUnconstrained) {
  const auto rules = constrained_policy();
  const auto alice = make_user({}, {"puppet.run"});
  auto result = authorize(alice, rules, scope("puppet", "run", "other"));
  EXPECT_TRUE(result.allowed) << result.reason;
  EXPECT_EQ(result.max_targets, 0u);
}

TEST(RoleConstraints, UnconstrainedRoleLeavesAclFree) {
  const auto rules = constrained_policy();
  const auto root = make_user({"admin"}, {"sim_test.run"});
  auto result = authorize(root, rules, scope("sim_test", "run", "any"));
  EXPECT_TRUE(result.allowed) << result.reason;
  EXPECT_NE(result.reason.find("acl sim_test.run"), std::string::npos);
  EXPECT_EQ(result.max_targets, 0u);
}

TEST(RoleConstraints, UnconstrainedRoleHasNoCap) {
  const auto rules = constrained_policy();
  const auto root = make_user({"admin"});
  auto result = authorize(root, rules, scope("puppet", "run", "any"));
  EXPECT_TRUE(result.allowed);
  EXPECT_EQ(result.max_targets, 0u);
}

TEST(RoleConstraints, InvalidConstraintsRejected) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"roles": {"r": {"allow": [], "collectives": []}}})",
       "\"collectives\" must be a non-empty array"},
      {R"({"roles": {"r": {"allow": [], "collectives": [1]}}})",
       "\"collectives\" has invalid entry 1"},
      {R"({"roles": {"r": {"allow": [], "max_targets": -1}}})",
       "\"max_targets\" must be a non-negative integer"},
      {R"({"roles": {"r": {"allow": [], "broad_actions": {}}}})",
       "\"broad_actions\" must be an array"},
      {R"({"roles": {"r": {"allow": [], "broad_actions": [{}]}}})",
       "\"broad_actions\"[0]: \"actions\" must be an array"},
      {R"({"roles": {"r": {"allow": [], "broad_actions": [
          {"actions": ["x.y"], "require_filter": "yes"}]}}})",
       "\"require_filter\" must be true or false"},
      {R"({"roles": {"r": {"allow": [], "broad_actions": [
          {"actions": ["x.y"], "limit": 3}]}}})",
       "unknown key \"limit\""},
  };
  for (const auto& [text, expected] : cases) {
    std::string error;
    EXPECT_FALSE(policy::parse(text, &error).has_value()) << text;
    EXPECT_NE(error.find(expected), std::string::npos) << error;
  }
}

}  // namespace
}  // namespace gateway::auth
