#include "gateway/server/submit_parser.hpp"

#include <gtest/gtest.h>

namespace gateway {
namespace {

settings test_settings() {
  settings out;
  out.main_collective = "mcollective";
  out.collectives = {"mcollective", "eu"};
  out.default_timeout_seconds = 10;
  out.default_discovery_timeout_seconds = 2;
  return out;
}

TEST(SubmitParser, MinimalBodyGetsDefaults) {
  std::string error;
  auto parsed = parse_submit(R"({"agent":"rpcutil","action":"ping"})",
                             test_settings(), nullptr, &error);
  ASSERT_TRUE(parsed.has_value()) << error;
  EXPECT_EQ(parsed->agent, "rpcutil");
  EXPECT_EQ(parsed->action, "ping");
  EXPECT_EQ(parsed->collective, "mcollective");
  EXPECT_EQ(parsed->timeout_seconds, 10);
  EXPECT_EQ(parsed->discovery_timeout_seconds, 2);
  EXPECT_EQ(parsed->ttl_seconds, 60);
  EXPECT_TRUE(parsed->nodes.empty());
  EXPECT_TRUE(parsed->data.is_object());
}

TEST(SubmitParser, FullBody) {
  std::string error;
  auto parsed = parse_submit(
      R"({"agent":"rpcutil","action":"get_fact","data":{"fact":"country"},
          "collective":"eu","nodes":["a.example","b.example","a.example"],
          "filter":{"identity":["/^a/"],"fact":[{"fact":"country",
          "operator":"==","value":"mt"}]},
          "timeout":20,"discovery_timeout":3,"ttl":120})",
      test_settings(), nullptr, &error);
  ASSERT_TRUE(parsed.has_value()) << error;
  EXPECT_EQ(parsed->collective, "eu");
  EXPECT_EQ(parsed->nodes,
            (std::vector<std::string>{"a.example", "b.example"}));
  EXPECT_EQ(parsed->data["fact"], "country");
  ASSERT_EQ(parsed->target.fact.size(), 1u);
  EXPECT_EQ(parsed->target.fact[0].op, "==");
  EXPECT_EQ(parsed->timeout_seconds, 20);
  EXPECT_EQ(parsed->discovery_timeout_seconds, 3);
  EXPECT_EQ(parsed->ttl_seconds, 120);
}

struct rejection_case {
  const char* body;
  const char* field;  // must appear in the error message
};

TEST(SubmitParser, RejectionsNameTheField) {
  const rejection_case cases[] = {
      {"not json", "not valid JSON"},
      {"", "the body is empty"},
      {R"({"agent":"rpcutil","action":"ping","agent":"rpcutil"})",
       "agent: duplicate key"},
      {R"({"agent":"rpcutil","action":"ping","data":{"n":1e400}})",
       "data.n: the number 1e400 is out of range"},
      {"{\"agent\":\"rpcutil\",\"action\":\"\xffping\"}",
       "invalid UTF-8 at byte offset 29"},
      {"[1,2]", "JSON object"},
      {R"({"action":"ping"})", "agent"},
      {R"({"agent":"rpcutil"})", "action"},
      {R"({"agent":"RpcUtil","action":"ping"})", "agent"},
      {R"({"agent":7,"action":"ping"})", "agent"},
      {R"({"agent":"rpcutil","action":"ping","timeout":"5"})", "timeout"},
      {R"({"agent":"rpcutil","action":"ping","timeout":0})", "timeout"},
      {R"({"agent":"rpcutil","action":"ping","ttl":10})", "ttl"},
      {R"({"agent":"rpcutil","action":"ping","discovery_timeout":1.5})",
       "discovery_timeout"},
      {R"({"agent":"rpcutil","action":"ping","data":[1]})", "data"},
      {R"({"agent":"rpcutil","action":"ping","collective":"us"})",
       "collective"},
      {R"({"agent":"rpcutil","action":"ping","nodes":"a"})", "nodes"},
      {R"({"agent":"rpcutil","action":"ping","nodes":["a b"]})", "nodes[0]"},
      {R"({"agent":"rpcutil","action":"ping","filter":[]})", "filter"},
      {R"({"agent":"rpcutil","action":"ping","filter":{"identity":["/(/"]}})",
       "filter.identity[0]"},
      {R"({"agent":"rpcutil","action":"ping","filter":{"compound":[["x"]]}})",
       "compound"},
      {R"({"agent":"rpcutil","action":"ping","filter":{"fact":[{"fact":"a",
          "operator":"~","value":"b"}]}})",
       "operator"},
      {R"({"agent":"rpcutil","action":"ping","filter":{"fact":[{"fact":"a",
          "operator":"==","value":"b","valeu":"c"}]}})",
       "filter.fact[0].valeu: unknown key"},
      {R"({"agent":"rpcutil","action":"ping","colective":"eu"})",
       "colective"},
      {R"({"agent":"rpcutil","action":"ping","mode":"fanout"})", "mode"},
      {R"({"agent":"rpcutil","action":"ping","nodes":[]})", "nodes"},
      {R"({"agent":"rpcutil","action":"ping","filter":{"foo":[]}})",
       "filter.foo"},
      {R"({"agent":"rpcutil","action":"ping","filter":{"cf_class":["/(/"]}})",
       "filter.cf_class[0]"},
      {R"({"agent":"rpcutil","action":"ping","filter":{"fact":[{"fact":"a",
          "operator":"=~","value":"/[/"}]}})",
       "filter.fact[0].value"},
      {R"({"agent":"rpcutil","action":"ping","data":)"
       R"([[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[)"
       R"(]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]})",
       "deeper than 64"},
      {R"({"agent":"rpcutil","action":"ping","mode":"broadcast",
          "nodes":["a"]})",
       "nodes"},
      {R"({"agent":"rpcutil","action":"ping","batch_size":-1})",
       "batch_size"},
      {R"({"agent":"rpcutil","action":"ping","batch_sleep":"1"})",
       "batch_sleep"},
      {R"({"agent":"rpcutil","action":"ping","mode":"broadcast",
          "batch_size":5})",
       "batch_size"},
  };
  for (const auto& entry : cases) {
    std::string error;
    auto parsed = parse_submit(entry.body, test_settings(), nullptr, &error);
    EXPECT_FALSE(parsed.has_value()) << entry.body;
    EXPECT_NE(error.find(entry.field), std::string::npos)
        << entry.body << " gave: " << error;
  }
}

TEST(SubmitParser, ModeAndBatches) {
  std::string error;
  auto direct = parse_submit(
      R"({"agent":"rpcutil","action":"ping","batch_size":10,
          "batch_sleep":0.5})",
      test_settings(), nullptr, &error);
  ASSERT_TRUE(direct.has_value()) << error;
  EXPECT_FALSE(direct->broadcast);
  EXPECT_EQ(direct->batch_size, 10u);
  EXPECT_EQ(direct->batch_sleep_ms, 500);

  auto broadcast = parse_submit(
      R"({"agent":"rpcutil","action":"ping","mode":"broadcast"})",
      test_settings(), nullptr, &error);
  ASSERT_TRUE(broadcast.has_value()) << error;
  EXPECT_TRUE(broadcast->broadcast);
}

ddl::ddl_registry shared_ddls() {
  std::string error;
  auto registry = ddl::ddl_registry::load_directory(
      std::string(GATEWAY_SHARED_DIR) + "/choria/ddl", &error);
  EXPECT_TRUE(registry.has_value()) << error;
  return registry ? std::move(*registry) : ddl::ddl_registry{};
}

TEST(SubmitParser, DdlRejectionsNameTheInput) {
  auto ddls = shared_ddls();
  const rejection_case cases[] = {
      {R"({"agent":"rpcutil","action":"reboot"})", "unknown action"},
      {R"({"agent":"rpcutil","action":"get_fact"})", "data.fact"},
      {R"({"agent":"rpcutil","action":"get_fact","data":{"fact":7}})",
       "data.fact"},
      {R"({"agent":"rpcutil","action":"get_fact","data":{"fact":""}})",
       "data.fact"},
      {R"({"agent":"rpcutil","action":"ping","data":{"extra":1}})",
       "data.extra"},
      {R"({"agent":"nosuchagent","action":"ping"})", "no DDL"},
  };
  for (const auto& entry : cases) {
    std::string error;
    auto parsed = parse_submit(entry.body, test_settings(), &ddls, &error);
    EXPECT_FALSE(parsed.has_value()) << entry.body;
    EXPECT_NE(error.find(entry.field), std::string::npos)
        << entry.body << " gave: " << error;
  }
}

TEST(SubmitParser, DdlTimeoutAndSwitch) {
  auto ddls = shared_ddls();
  std::string error;
  auto discovered = parse_submit(R"({"agent":"rpcutil","action":"ping"})",
                                 test_settings(), &ddls, &error);
  ASSERT_TRUE(discovered.has_value()) << error;
  EXPECT_EQ(discovered->timeout_seconds, 2 + 2);  // DDL plus discovery

  auto direct = parse_submit(
      R"({"agent":"rpcutil","action":"ping","nodes":["a"]})",
      test_settings(), &ddls, &error);
  ASSERT_TRUE(direct.has_value()) << error;
  EXPECT_EQ(direct->timeout_seconds, 2);

  auto allowing = test_settings();
  allowing.allow_agents_without_ddl = true;
  auto unknown = parse_submit(R"({"agent":"nosuchagent","action":"x"})",
                              allowing, &ddls, &error);
  EXPECT_TRUE(unknown.has_value()) << error;
}

}  // namespace
}  // namespace gateway
