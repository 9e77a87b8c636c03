#include "gateway/sim/agents.hpp"

#include <gtest/gtest.h>

namespace gateway::sim {
namespace {

using nlohmann::json;

node_profile sample_node() {
  node_profile node;
  node.index = 2;
  node.identity = "node-2.example.net";
  node.facts = {{"country", "de"}, {"os", {{"family", "debian"}}}};
  node.classes = {"base", "role::db"};
  node.agents = {"discovery", "rpcutil", "sim_test"};
  return node;
}

agent_settings sample_settings() {
  agent_settings settings;
  settings.collectives = {"mcollective", "backup"};
  settings.version = "0.1.0";
  settings.test_failure_rate = 0.25;
  settings.test_delay = std::chrono::milliseconds(40);
  return settings;
}

json run(std::string_view agent, const std::string& action,
         const json& data = json::object(), double random = 0.9) {
  json body = {{"agent", agent}, {"action", action}, {"data", data}};
  auto text = run_agent(sample_node(), sample_settings(), agent, body.dump(),
                        1733300000, random);
  if (!text) return nullptr;
  return json::parse(*text, nullptr, false);
}

TEST(Rpcutil, PingReturnsNow) {
  auto reply = run("rpcutil", "ping");
  EXPECT_EQ(reply["statuscode"], 0);
  EXPECT_EQ(reply["statusmsg"], "OK");
  EXPECT_EQ(reply["action"], "ping");
  EXPECT_EQ(reply["data"]["pong"], 1733300000);
}

TEST(Rpcutil, InventoryDescribesNode) {
  auto data = run("rpcutil", "inventory")["data"];
  EXPECT_EQ(data["agents"],
            json::parse(R"(["discovery","rpcutil","sim_test"])"));
  EXPECT_EQ(data["facts"], sample_node().facts);
  EXPECT_EQ(data["classes"], json::parse(R"(["base","role::db"])"));
  EXPECT_EQ(data["collectives"], json::parse(R"(["mcollective","backup"])"));
  EXPECT_EQ(data["main_collective"], "mcollective");
  EXPECT_EQ(data["version"], "0.1.0");
  EXPECT_EQ(data["data_plugins"], json::array());
}

TEST(Rpcutil, GetFact) {
  auto present = run("rpcutil", "get_fact", {{"fact", "country"}});
  EXPECT_EQ(present["statuscode"], 0);
  EXPECT_EQ(present["data"]["fact"], "country");
  EXPECT_EQ(present["data"]["value"], "de");

  auto nested = run("rpcutil", "get_fact", {{"fact", "os.family"}});
  EXPECT_EQ(nested["data"]["value"], "debian");

  auto absent = run("rpcutil", "get_fact", {{"fact", "rack"}});
  EXPECT_EQ(absent["statuscode"], 0);
  EXPECT_TRUE(absent["data"]["value"].is_null());
}

TEST(Rpcutil, GetFactWithoutNameIsMissingData) {
  auto reply = run("rpcutil", "get_fact");
  EXPECT_EQ(reply["statuscode"], 3);
}

TEST(Rpcutil, UnknownAction) {
  auto reply = run("rpcutil", "reboot");
  EXPECT_EQ(reply["statuscode"], 2);
  EXPECT_EQ(reply["statusmsg"].get<std::string>().rfind("Unknown action", 0),
            0u);
}

TEST(Rpcutil, InvalidBodyIsInvalidData) {
  for (std::string_view body : {"not json", "[1]", R"({"action": 5})"}) {
    auto text =
        run_agent(sample_node(), sample_settings(), "rpcutil", body, 1, 0.5);
    ASSERT_TRUE(text) << body;
    EXPECT_EQ(json::parse(*text)["statuscode"], 4) << body;
  }
}

TEST(Discovery, PingGivesBarePong) {
  auto text =
      run_agent(sample_node(), sample_settings(), "discovery", "ping", 1, 0.5);
  ASSERT_TRUE(text);
  EXPECT_EQ(*text, "pong");
  EXPECT_FALSE(run_agent(sample_node(), sample_settings(), "discovery", "hello",
                         1, 0.5));
}

TEST(TestAgent, SucceedsAboveFailureRate) {
  auto reply = run("sim_test", "run", json::object(), 0.25);
  EXPECT_EQ(reply["statuscode"], 0);
  EXPECT_EQ(reply["data"]["message"], "done");
}

TEST(TestAgent, FailsBelowFailureRate) {
  auto reply = run("sim_test", "anything", json::object(), 0.2);
  EXPECT_EQ(reply["statuscode"], 1);
  EXPECT_EQ(reply["statusmsg"].get<std::string>().rfind("Aborted", 0), 0u);
}

TEST(Agents, UnknownAgentGetsNoReply) {
  EXPECT_FALSE(run_agent(sample_node(), sample_settings(), "package",
                         R"({"action":"status"})", 1, 0.5));
}

TEST(Agents, DelayOnlyForTestAgent) {
  auto settings = sample_settings();
  EXPECT_EQ(reply_delay(settings, "sim_test"), std::chrono::milliseconds(40));
  EXPECT_EQ(reply_delay(settings, "rpcutil"), std::chrono::milliseconds(0));
}

TEST(Agents, NodeAgentsSortedWithCustomTestAgent) {
  auto settings = sample_settings();
  settings.test_agent = "aaa";
  std::vector<std::string> expected{"aaa", "discovery", "rpcutil"};
  EXPECT_EQ(node_agents(settings), expected);
}

}  // namespace
}  // namespace gateway::sim
