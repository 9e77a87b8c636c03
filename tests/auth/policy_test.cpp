#include "gateway/auth/policy.hpp"

#include <gtest/gtest.h>

#include <string>

#include "tests/auth/temp_dir.hpp"

namespace gateway::auth {
namespace {

std::string parse_error(const std::string& text) {
  std::string error;
  const auto rules = policy::parse(text, &error);
  EXPECT_FALSE(rules.has_value()) << text;
  return error;
}

TEST(Policy, ParsesRoles) {
  std::string error;
  const auto rules = policy::parse(
      R"({"roles": {"admin": {"allow": ["*"]},
                    "operator": {"allow": ["rpcutil.*", "puppet.status"]},
                    "nobody": {"allow": []}}})",
      &error);
  ASSERT_TRUE(rules.has_value()) << error;
  EXPECT_EQ(rules->roles().size(), 3u);

  const role* operator_role = rules->find_role("operator");
  ASSERT_NE(operator_role, nullptr);
  EXPECT_EQ(operator_role->name, "operator");
  ASSERT_EQ(operator_role->allow.size(), 2u);
  EXPECT_EQ(operator_role->allow[0].text(), "rpcutil.*");
  EXPECT_EQ(operator_role->allow[1].text(), "puppet.status");

  const role* nobody = rules->find_role("nobody");
  ASSERT_NE(nobody, nullptr);
  EXPECT_TRUE(nobody->allow.empty());
  EXPECT_EQ(rules->find_role("root"), nullptr);
}

TEST(Policy, EmptyRolesIsValid) {
  std::string error;
  const auto rules = policy::parse(R"({"roles": {}})", &error);
  ASSERT_TRUE(rules.has_value()) << error;
  EXPECT_TRUE(rules->roles().empty());
}

TEST(Policy, RejectsInvalidPatternNamingRole) {
  const char* invalid[] = {"rpcutil", "Puppet.status", "rpc*.ping", "a.b.c",
                           "",        "rpcutil.",      ".ping"};
  for (const char* pattern : invalid) {
    const auto error =
        parse_error(std::string(R"({"roles": {"operator": {"allow": ["*", ")") +
                    pattern + R"("]}}})");
    EXPECT_NE(error.find("role \"operator\""), std::string::npos) << error;
    EXPECT_NE(error.find(std::string("\"") + pattern + "\""), std::string::npos)
        << error;
  }
}

TEST(Policy, RejectsNonStringPattern) {
  const auto error = parse_error(R"({"roles": {"ops": {"allow": [1]}}})");
  EXPECT_NE(error.find("role \"ops\": \"allow\" has invalid pattern 1"),
            std::string::npos)
      << error;
}

TEST(Policy, RejectsMissingAllow) {
  const auto error = parse_error(R"({"roles": {"ops": {}}})");
  EXPECT_EQ(error,
            "policy file: role \"ops\": \"allow\" must be an array of "
            "patterns");
}

TEST(Policy, RejectsUnknownRoleKey) {
  const auto error =
      parse_error(R"({"roles": {"ops": {"allow": [], "deny": ["*"]}}})");
  EXPECT_NE(error.find("role \"ops\": unknown key \"deny\""), std::string::npos)
      << error;
}

TEST(Policy, RejectsUnknownTopLevelKey) {
  const auto error = parse_error(R"({"roles": {}, "users": []})");
  EXPECT_NE(error.find("unknown key \"users\""), std::string::npos) << error;
}

TEST(Policy, RejectsWrongShapes) {
  EXPECT_EQ(parse_error("{"), "policy file: invalid JSON");
  EXPECT_NE(parse_error("[]").find("JSON object"), std::string::npos);
  EXPECT_NE(parse_error("{}").find("\"roles\" must be"), std::string::npos);
  EXPECT_NE(parse_error(R"({"roles": []})").find("\"roles\" must be"),
            std::string::npos);
  EXPECT_NE(parse_error(R"({"roles": {"ops": ["*"]}})")
                .find("role \"ops\": must be an object"),
            std::string::npos);
  EXPECT_NE(parse_error(R"({"roles": {"": {"allow": []}}})").find("empty name"),
            std::string::npos);
}

TEST(Policy, LoadsFileAndNamesItInErrors) {
  testing::temp_dir dir;
  const auto good =
      dir.write("policy.json", R"({"roles": {"admin": {"allow": ["*"]}}})");
  std::string error;
  const auto rules = policy::load(good, &error);
  ASSERT_TRUE(rules.has_value()) << error;
  EXPECT_NE(rules->find_role("admin"), nullptr);

  const auto bad =
      dir.write("bad.json", R"({"roles": {"x": {"allow": ["?"]}}})");
  EXPECT_FALSE(policy::load(bad, &error).has_value());
  EXPECT_EQ(error.rfind("policy file " + bad.string() + ": role \"x\"", 0), 0u)
      << error;
}

TEST(Policy, ReadScopesDefaultToOwn) {
  std::string error;
  const auto rules = policy::parse(
      R"({"roles": {"viewer": {"allow": [], "read": ["own", "all"]},
                    "auditor": {"allow": [], "read": ["audit"]},
                    "plain": {"allow": ["*"]}}})",
      &error);
  ASSERT_TRUE(rules.has_value()) << error;

  auto plain = rules->access_of({"plain"});
  EXPECT_FALSE(plain.all);
  EXPECT_FALSE(plain.audit);
  auto viewer = rules->access_of({"viewer"});
  EXPECT_TRUE(viewer.all);
  EXPECT_FALSE(viewer.audit);
  auto both = rules->access_of({"viewer", "auditor", "unknown"});
  EXPECT_TRUE(both.all);
  EXPECT_TRUE(both.audit);
  EXPECT_FALSE(rules->access_of({}).all);
}

TEST(Policy, RejectsInvalidReadScopes) {
  auto error = parse_error(R"({"roles": {"r": {"allow": [], "read": "all"}}})");
  EXPECT_NE(error.find("role \"r\": \"read\" must be an array"),
            std::string::npos)
      << error;
  error = parse_error(R"({"roles": {"r": {"allow": [], "read": ["every"]}}})");
  EXPECT_NE(error.find("\"read\" has invalid entry \"every\""),
            std::string::npos)
      << error;
}

}  // namespace
}  // namespace gateway::auth
