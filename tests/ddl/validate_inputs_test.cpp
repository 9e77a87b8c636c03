#include "gateway/ddl/validate_inputs.hpp"

#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/ddl/ddl_files.hpp"

namespace gateway::ddl {
namespace {

using nlohmann::json;
using testing::load_real_ddl;

struct rejection {
  std::string action;
  json data;
  std::string expected_error;
};

// Checks that each case is rejected with exactly its message and that the
// rejected data is left unchanged.
void expect_rejections(const agent_ddl& agent,
                       const std::vector<rejection>& cases) {
  for (const auto& [action, data, expected_error] : cases) {
    json copy = data;
    std::string error;
    EXPECT_FALSE(validate_inputs(agent, action, copy, &error))
        << action << " " << data.dump();
    EXPECT_EQ(error, expected_error) << action << " " << data.dump();
    EXPECT_EQ(copy, data) << action;
  }
}

// A DDL whose action "run" has one input of each non-string type, named
// after the type, and string inputs with the named validators, a regex and
// an unsupported validator. All are optional but "integer".
agent_ddl typed_agent() {
  json input = {{"prompt", "p"}, {"description", "d"}, {"optional", true}};
  json inputs = json::object();
  for (const char* type :
       {"integer", "float", "number", "boolean", "hash", "array"}) {
    inputs[type] = input;
    inputs[type]["type"] = type;
  }
  inputs["integer"]["optional"] = false;

  inputs["address"] = input;
  inputs["address"]["type"] = "string";
  inputs["address"]["validation"] = "ipaddress";
  inputs["address4"] = inputs["address"];
  inputs["address4"]["validation"] = "ipv4address";
  inputs["address6"] = inputs["address"];
  inputs["address6"]["validation"] = "ipv6address";
  inputs["free"] = input;
  inputs["free"]["type"] = "string";
  inputs["free"]["validation"] = "^x";
  inputs["named"] = input;
  inputs["named"]["type"] = "string";
  inputs["named"]["validation"] = "hostname";
  inputs["named"]["maxlength"] = 5;

  json document = {
      {"metadata", {{"name", "typed"}, {"timeout", 10}}},
      {"actions", {{{"action", "run"}, {"input", inputs}, {"output", {}}}}},
  };
  std::string error;
  auto agent = parse_agent_ddl(document.dump(), &error);
  EXPECT_TRUE(agent) << error;
  return agent.value_or(agent_ddl{});
}

bool accepts(const agent_ddl& agent, json data) {
  std::string error;
  return validate_inputs(agent, "run", data, &error);
}

TEST(ValidateInputs, UnknownActionListsKnownOnes) {
  agent_ddl agent = load_real_ddl("rpcutil.json");
  json data = json::object();
  std::string error;
  EXPECT_FALSE(validate_inputs(agent, "pong", data, &error));
  EXPECT_EQ(error,
            "unknown action rpcutil.pong; known: agent_inventory, "
            "collective_info, daemon_stats, get_config_item, get_data, "
            "get_fact, get_facts, inventory, ping");
}

TEST(ValidateInputs, PackageRejections) {
  agent_ddl agent = load_real_ddl("package.json");
  const std::string long_name(91, 'a');
  expect_rejections(
      agent,
      {
          {"install", json::object(), "input package is required"},
          {"install", {{"version", "1.0"}}, "input package is required"},
          {"install", {{"package", 5}}, "input package must be a string"},
          {"install", {{"package", nullptr}}, "input package must be a string"},
          {"install",
           {{"package", "zsh"}, {"version", true}},
           "input version must be a string"},
          {"install",
           {{"package", long_name}},
           "input package is longer than 90 characters"},
          {"install",
           {{"package", "zsh; rm -rf /"}},
           "input package does not match shellsafe"},
          {"install",
           {{"package", "$(id)"}},
           "input package does not match shellsafe"},
          {"install",
           {{"package", "`id`"}},
           "input package does not match shellsafe"},
          {"install",
           {{"package", "a|b"}},
           "input package does not match shellsafe"},
          {"install",
           {{"package", "a && b"}},
           "input package does not match shellsafe"},
          {"install",
           {{"package", "a > b"}},
           "input package does not match shellsafe"},
          {"install",
           {{"package", "a < b"}},
           "input package does not match shellsafe"},
          {"yum_clean",
           {{"mode", "everything"}},
           "input mode must be one of all, headers, packages, metadata, "
           "dbcache, plugins, expire-cache"},
          {"yum_clean",
           {{"mode", 1}},
           "input mode must be one of all, headers, packages, metadata, "
           "dbcache, plugins, expire-cache"},
          {"install",
           {{"package", "zsh"}, {"force", true}},
           "input force is not an input of package.install; inputs: "
           "package, version"},
          {"count",
           {{"package", "zsh"}},
           "input package is not an input of package.count; it declares "
           "no inputs"},
          {"install", json::array({"zsh"}), "data must be a JSON object"},
          {"install", "zsh", "data must be a JSON object"},
      });
}

TEST(ValidateInputs, PackageAcceptsValidData) {
  agent_ddl agent = load_real_ddl("package.json");
  const json accepted[] = {
      {{"package", "zsh"}},
      {{"package", "zsh"}, {"version", "5.9-4+b1"}},
      {{"package", std::string(90, 'a')}},
      {{"package", "a & b"}},
      {{"package", "zsh"}, {"process_results", true}},
  };
  for (const json& data : accepted) {
    json copy = data;
    std::string error;
    EXPECT_TRUE(validate_inputs(agent, "install", copy, &error))
        << data.dump() << ": " << error;
    EXPECT_EQ(copy, data);
  }
  for (const char* mode : {"all", "expire-cache"}) {
    json data = {{"mode", mode}};
    std::string error;
    EXPECT_TRUE(validate_inputs(agent, "yum_clean", data, &error)) << error;
  }
}

TEST(ValidateInputs, NullDataForActionWithoutInputs) {
  agent_ddl agent = load_real_ddl("rpcutil.json");
  json data;
  std::string error;
  EXPECT_TRUE(validate_inputs(agent, "ping", data, &error)) << error;
  EXPECT_EQ(data, json::object());
}

TEST(ValidateInputs, RpcutilRegexValidation) {
  agent_ddl agent = load_real_ddl("rpcutil.json");
  expect_rejections(
      agent,
      {
          {"get_fact", {{"fact", ""}}, "input fact does not match .+"},
          {"get_facts",
           {{"facts", "a,,b"}},
           R"(input facts does not match ^\s*[\w\.\-]+(\s*,\s*[\w\.\-]+)*$)"},
          {"get_data",
           {{"source", "two words"}},
           R"(input source does not match ^\w+$)"},
          {"get_fact",
           {{"fact", std::string(513, 'f')}},
           "input fact is longer than 512 characters"},
      });

  json facts = {{"facts", "os.family, networking.ip"}};
  std::string error;
  EXPECT_TRUE(validate_inputs(agent, "get_facts", facts, &error)) << error;
  json source = {{"source", "fstat"}, {"query", "/etc/hosts"}};
  EXPECT_TRUE(validate_inputs(agent, "get_data", source, &error)) << error;
}

TEST(ValidateInputs, RegexSearchIsUnanchored) {
  agent_ddl agent = typed_agent();
  EXPECT_TRUE(accepts(agent, {{"integer", 1}, {"free", "xylophone"}}));
  EXPECT_FALSE(accepts(agent, {{"integer", 1}, {"free", "ax"}}));
}

TEST(ValidateInputs, TypeRejections) {
  agent_ddl agent = typed_agent();
  expect_rejections(
      agent,
      {
          {"run", json::object(), "input integer is required"},
          {"run", {{"integer", "1"}}, "input integer must be an integer"},
          {"run", {{"integer", 1.5}}, "input integer must be an integer"},
          {"run",
           {{"integer", 1}, {"float", "1.5"}},
           "input float must be a float"},
          {"run",
           {{"integer", 1}, {"number", true}},
           "input number must be a number"},
          {"run",
           {{"integer", 1}, {"boolean", "true"}},
           "input boolean must be a boolean"},
          {"run",
           {{"integer", 1}, {"hash", json::array()}},
           "input hash must be a hash (JSON object)"},
          {"run",
           {{"integer", 1}, {"array", json::object()}},
           "input array must be an array"},
          {"run",
           {{"integer", 1}, {"address", "300.1.1.1"}},
           "input address does not match ipaddress"},
          {"run",
           {{"integer", 1}, {"address4", "::1"}},
           "input address4 does not match ipv4address"},
          {"run",
           {{"integer", 1}, {"address6", "10.0.0.1"}},
           "input address6 does not match ipv6address"},
          {"run",
           {{"integer", 1}, {"named", "toolong"}},
           "input named is longer than 5 characters"},
      });
}

TEST(ValidateInputs, TypeAcceptances) {
  agent_ddl agent = typed_agent();
  EXPECT_TRUE(accepts(agent, {{"integer", -3}}));
  EXPECT_TRUE(accepts(agent, {{"integer", 2.0}}));
  EXPECT_TRUE(accepts(agent, {{"integer", 1}, {"float", 2}}));
  EXPECT_TRUE(accepts(agent, {{"integer", 1}, {"float", 2.5}}));
  EXPECT_TRUE(accepts(agent, {{"integer", 1}, {"number", 7}}));
  EXPECT_TRUE(accepts(agent, {{"integer", 1}, {"boolean", false}}));
  EXPECT_TRUE(accepts(agent, {{"integer", 1}, {"hash", {{"a", 1}}}}));
  EXPECT_TRUE(accepts(agent, {{"integer", 1}, {"array", {1, "a"}}}));
  EXPECT_TRUE(accepts(agent, {{"integer", 1}, {"address", "10.0.0.1"}}));
  EXPECT_TRUE(accepts(agent, {{"integer", 1}, {"address", "fe80::1"}}));
  EXPECT_TRUE(accepts(agent, {{"integer", 1}, {"address4", "127.0.0.1"}}));
  EXPECT_TRUE(accepts(agent, {{"integer", 1}, {"address6", "::1"}}));
  // An unsupported named validator is skipped, but maxlength still holds.
  EXPECT_TRUE(accepts(agent, {{"integer", 1}, {"named", "$;|<>"}}));
}

TEST(ValidateInputs, DefaultsFilled) {
  json input = {{"prompt", "p"},
                {"description", "d"},
                {"type", "string"},
                {"validation", "shellsafe"},
                {"maxlength", 20}};
  json inputs = {
      {"name", input}, {"mode", input}, {"level", input}, {"blank", input}};
  inputs["name"]["optional"] = false;
  inputs["mode"]["optional"] = true;
  inputs["mode"]["default"] = "fast";
  inputs["level"]["optional"] = true;
  inputs["level"]["type"] = "integer";
  inputs["level"]["default"] = 3;
  inputs["blank"]["optional"] = true;
  inputs["blank"]["default"] = nullptr;
  json document = {
      {"metadata", {{"name", "demo"}, {"timeout", 5}}},
      {"actions", {{{"action", "run"}, {"input", inputs}, {"output", {}}}}},
  };
  std::string error;
  auto agent = parse_agent_ddl(document.dump(), &error);
  ASSERT_TRUE(agent) << error;

  json data = {{"name", "web"}};
  ASSERT_TRUE(validate_inputs(*agent, "run", data, &error)) << error;
  EXPECT_EQ(data, json({{"name", "web"}, {"mode", "fast"}, {"level", 3}}));

  json with_mode = {{"name", "web"}, {"mode", "slow"}};
  ASSERT_TRUE(validate_inputs(*agent, "run", with_mode, &error)) << error;
  EXPECT_EQ(with_mode["mode"], "slow");
  EXPECT_EQ(with_mode["level"], 3);
}

TEST(ValidateInputs, RequiredDefaultNotFilled) {
  json input = {{"prompt", "p"},
                {"description", "d"},
                {"type", "integer"},
                {"optional", false},
                {"default", 4}};
  json document = {
      {"metadata", {{"name", "demo"}, {"timeout", 5}}},
      {"actions",
       {{{"action", "run"}, {"input", {{"count", input}}}, {"output", {}}}}},
  };
  std::string error;
  auto agent = parse_agent_ddl(document.dump(), &error);
  ASSERT_TRUE(agent) << error;

  // Nodes reject an absent required input even when it has a default.
  expect_rejections(*agent,
                    {{"run", json::object(), "input count is required"}});
}

TEST(ValidateInputs, LongStringNotRegexMatched) {
  json input = {{"prompt", "p"},     {"description", "d"}, {"type", "string"},
                {"optional", false}, {"validation", ".+"}, {"maxlength", 0}};
  json document = {
      {"metadata", {{"name", "demo"}, {"timeout", 5}}},
      {"actions",
       {{{"action", "run"}, {"input", {{"text", input}}}, {"output", {}}}}},
  };
  std::string error;
  auto agent = parse_agent_ddl(document.dump(), &error);
  ASSERT_TRUE(agent) << error;

  json fits = {{"text", std::string(max_regex_subject, 'a')}};
  EXPECT_TRUE(validate_inputs(*agent, "run", fits, &error)) << error;
  json too_long = {{"text", std::string(1'000'000, 'a')}};
  EXPECT_FALSE(validate_inputs(*agent, "run", too_long, &error));
  EXPECT_EQ(error, "input text is longer than " +
                       std::to_string(max_regex_subject) + " characters");
}

TEST(ValidateInputs, NullErrorPointerAccepted) {
  agent_ddl agent = load_real_ddl("package.json");
  json data = json::object();
  EXPECT_FALSE(validate_inputs(agent, "install", data, nullptr));
}

}  // namespace
}  // namespace gateway::ddl
