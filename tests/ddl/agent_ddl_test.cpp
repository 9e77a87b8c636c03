#include "gateway/ddl/agent_ddl.hpp"

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/ddl/ddl_files.hpp"

namespace gateway::ddl {
namespace {

using nlohmann::json;
using testing::load_real_ddl;

// A minimal DDL with one action whose only input is given.
std::string ddl_with_input(const json& input) {
  json document = {
      {"metadata", {{"name", "demo"}, {"timeout", 0}}},
      {"actions",
       {{{"action", "run"}, {"input", {{"value", input}}}, {"output", {}}}}},
  };
  return document.dump();
}

TEST(AgentDdl, RpcutilLoads) {
  agent_ddl agent = load_real_ddl("rpcutil.json");
  EXPECT_EQ(agent.name, "rpcutil");
  EXPECT_EQ(agent.timeout, 2);
  EXPECT_EQ(default_timeout(agent), 2);
  for (const char* action :
       {"ping", "inventory", "get_fact", "get_facts", "get_config_item",
        "get_data", "agent_inventory", "collective_info", "daemon_stats"}) {
    EXPECT_TRUE(agent.actions.contains(action)) << action;
  }
  EXPECT_TRUE(agent.actions.at("ping").inputs.empty());
  EXPECT_TRUE(agent.unsupported_validators.empty());
}

TEST(AgentDdl, RpcutilGetFactInput) {
  agent_ddl agent = load_real_ddl("rpcutil.json");
  const input_spec& fact = agent.actions.at("get_fact").inputs.at("fact");
  EXPECT_EQ(fact.type, input_type::string_value);
  EXPECT_FALSE(fact.optional);
  EXPECT_FALSE(fact.default_value.has_value());
  EXPECT_EQ(fact.validator, validator_kind::regex);
  EXPECT_TRUE(fact.pattern.has_value());
  EXPECT_EQ(fact.maxlength, 512u);
}

TEST(AgentDdl, PackageLoads) {
  agent_ddl agent = load_real_ddl("package.json");
  EXPECT_EQ(agent.name, "package");
  EXPECT_EQ(default_timeout(agent), 180);
  EXPECT_EQ(agent.actions.size(), 12u);

  const auto& install = agent.actions.at("install");
  EXPECT_EQ(install.inputs.at("package").validator, validator_kind::shellsafe);
  EXPECT_FALSE(install.inputs.at("package").optional);
  EXPECT_TRUE(install.inputs.at("version").optional);
  EXPECT_EQ(install.inputs.at("version").maxlength, 90u);

  const input_spec& mode = agent.actions.at("yum_clean").inputs.at("mode");
  EXPECT_EQ(mode.type, input_type::list);
  EXPECT_EQ(mode.list.size(), 7u);
  EXPECT_EQ(mode.list.front(), "all");
}

TEST(AgentDdl, ZeroTimeoutDefaultsToTen) {
  std::string error;
  auto agent = parse_agent_ddl(ddl_with_input({{"type", "integer"}}), &error);
  ASSERT_TRUE(agent) << error;
  EXPECT_EQ(agent->timeout, 0);
  EXPECT_EQ(default_timeout(*agent), 10);
}

TEST(AgentDdl, TypeNamesAreCaseInsensitive) {
  std::string error;
  auto agent = parse_agent_ddl(ddl_with_input({{"type", "Hash"}}), &error);
  ASSERT_TRUE(agent) << error;
  EXPECT_EQ(agent->actions.at("run").inputs.at("value").type, input_type::hash);
}

TEST(AgentDdl, InvalidRegexRejected) {
  std::string error;
  auto agent = parse_agent_ddl(
      ddl_with_input({{"type", "string"}, {"validation", "^([a-z]+$"}}),
      &error);
  EXPECT_FALSE(agent.has_value());
  EXPECT_NE(error.find("action run input value"), std::string::npos) << error;
  EXPECT_NE(error.find("not a valid regex"), std::string::npos) << error;
}

TEST(AgentDdl, UnsupportedValidatorRemembered) {
  std::string error;
  auto agent = parse_agent_ddl(
      ddl_with_input({{"type", "string"}, {"validation", "hostname"}}), &error);
  ASSERT_TRUE(agent) << error;
  EXPECT_EQ(agent->actions.at("run").inputs.at("value").validator,
            validator_kind::unsupported);
  ASSERT_EQ(agent->unsupported_validators.size(), 1u);
  EXPECT_EQ(agent->unsupported_validators[0], "run.value: hostname");
}

TEST(AgentDdl, NullDefaultIsNoDefault) {
  std::string error;
  auto agent = parse_agent_ddl(
      ddl_with_input({{"type", "string"}, {"default", nullptr}}), &error);
  ASSERT_TRUE(agent) << error;
  EXPECT_FALSE(
      agent->actions.at("run").inputs.at("value").default_value.has_value());
}

TEST(AgentDdl, MalformedDdlsRejected) {
  struct bad_case {
    std::string text;
    std::string expected_error;
  };
  const json no_actions = {{"metadata", {{"name", "demo"}}}};
  const json negative_timeout = {
      {"metadata", {{"name", "demo"}, {"timeout", -1}}},
      {"actions", json::array()}};
  const json twice = {{"metadata", {{"name", "demo"}}},
                      {"actions", {{{"action", "run"}}, {{"action", "run"}}}}};
  const bad_case cases[] = {
      {"{not json", "not a JSON object"},
      {"[]", "not a JSON object"},
      {R"({"actions": []})", "metadata must be a JSON object"},
      {R"({"metadata": {"name": ""}, "actions": []})", "metadata.name"},
      {no_actions.dump(), "actions must be a JSON array"},
      {negative_timeout.dump(), "metadata.timeout"},
      {twice.dump(), "action run is declared twice"},
      {ddl_with_input({{"type", "strin"}}), "unknown type 'strin'"},
      {ddl_with_input({{"type", "list"}}), "non-empty list"},
      {ddl_with_input({{"type", "list"}, {"list", {1, 2}}}),
       "list values must be strings"},
      {ddl_with_input({{"type", "string"}, {"maxlength", -5}}), "maxlength"},
      {ddl_with_input({{"type", "string"}, {"optional", "yes"}}),
       "optional must be true or false"},
  };
  for (const auto& [text, expected_error] : cases) {
    std::string error;
    EXPECT_FALSE(parse_agent_ddl(text, &error).has_value()) << text;
    EXPECT_NE(error.find(expected_error), std::string::npos)
        << text << " gave: " << error;
  }
}

TEST(AgentDdl, NullErrorPointerAccepted) {
  EXPECT_FALSE(parse_agent_ddl("{", nullptr).has_value());
}

}  // namespace
}  // namespace gateway::ddl
