// Role policy depth against a real gateway: reloading the policy file on
// SIGHUP (a good file applies, a broken one is rejected and the old policy
// stays), allowed collectives, target caps and the per-user cap on
// requests in flight.
#include <signal.h>

#include <fstream>

#include <gtest/gtest.h>

#include "gateway_stack.hpp"

namespace gateway::integration {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

void write_policy(const gateway_stack& stack, const std::string& text) {
  // Written to a temporary name and renamed, as an operator's deploy tool
  // would, so the gateway never reads half a file.
  const auto path = stack.setup_file("policy.json");
  {
    std::ofstream out(path + ".new");
    out << text;
  }
  ASSERT_EQ(std::rename((path + ".new").c_str(), path.c_str()), 0);
}

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (auto at = text.find(needle); at != std::string::npos;
       at = text.find(needle, at + 1))
    ++count;
  return count;
}

// Sends SIGHUP and waits until the gateway logged one more line containing
// `marker` than before.
bool reload(gateway_stack& stack, const std::string& marker) {
  const auto before = count_of(stack.gateway_log(), marker);
  if (!stack.signal_gateway(SIGHUP)) return false;
  return wait_until(
      [&] { return count_of(stack.gateway_log(), marker) > before; }, 20s);
}

const json ping_one = {{"agent", "rpcutil"},
                       {"action", "ping"},
                       {"nodes", {"node-1.example.net"}}};

stack_options with_carol(std::vector<std::string> extra_config = {}) {
  stack_options options;
  options.fleet_size = 3;
  options.users.push_back({"carol", "carol-password-1", {}, {"operator"}});
  options.extra_config = std::move(extra_config);
  return options;
}

TEST(SecurityPolicy, SighupAppliesGoodPolicyAndKeepsItOverBrokenOnes) {
  gateway_stack stack(with_carol());
  std::string error;
  ASSERT_TRUE(stack.start(&error)) << error;
  const auto carol = stack.login("carol", "carol-password-1");
  ASSERT_FALSE(carol.empty());
  ASSERT_EQ(stack.submit(carol, ping_one).status, 202u);

  write_policy(stack, R"({"roles": {"admin": {"allow": ["*"]},
                                    "operator": {"allow": ["discovery.*"]}}})");
  ASSERT_TRUE(reload(stack, "reloaded the policy file")) << stack.log_tails();
  auto denied = stack.submit(carol, ping_one);
  EXPECT_EQ(denied.status, 403u) << denied.body;

  const std::string broken[] = {
      R"({"roles": {"admin": {"allow": ["*"]},)",
      R"({"roles": {"admin": {"allow": ["*"]}}})",  // carol's role is gone
      R"({"roles": {"admin": {"allow": ["*"]},
                    "operator": {"allow": ["*"], "deny": ["x.y"]}}})",
  };
  for (const auto& text : broken) {
    write_policy(stack, text);
    ASSERT_TRUE(reload(stack, "rejected the new policy")) << text;
    auto still_denied = stack.submit(carol, ping_one);
    EXPECT_EQ(still_denied.status, 403u) << text << "\n" << still_denied.body;
  }
  const auto log = stack.gateway_log();
  EXPECT_NE(log.find("operator"), std::string::npos);

  write_policy(stack, R"({"roles": {"admin": {"allow": ["*"]},
                                    "operator": {"allow": ["rpcutil.*"]}}})");
  ASSERT_TRUE(reload(stack, "reloaded the policy file"));
  EXPECT_EQ(stack.submit(carol, ping_one).status, 202u);
  EXPECT_EQ(stack.await_readyz(200, 5s), true) << "still serving";
}

TEST(SecurityPolicy, RoleConstraintsEnforcedAtSubmit) {
  gateway_stack stack(with_carol({"collectives = mcollective, other"}));
  std::string error;
  ASSERT_TRUE(stack.start(&error)) << error;
  write_policy(stack, R"({"roles": {"admin": {"allow": ["*"]},
      "operator": {"allow": ["rpcutil.*"], "collectives": ["mcollective"],
                   "max_targets": 2,
                   "broad_actions": [{"actions": ["rpcutil.inventory"],
                                      "require_filter": true}]}}})");
  ASSERT_TRUE(reload(stack, "reloaded the policy file"));
  const auto carol = stack.login("carol", "carol-password-1");

  auto other = stack.submit(carol, {{"agent", "rpcutil"},
                                    {"action", "ping"},
                                    {"collective", "other"},
                                    {"nodes", {"node-1.example.net"}}});
  EXPECT_EQ(other.status, 403u) << other.body;
  EXPECT_NE(other.body.find("collective other"), std::string::npos);

  auto three = stack.submit(
      carol,
      {{"agent", "rpcutil"},
       {"action", "ping"},
       {"nodes",
        {"node-1.example.net", "node-2.example.net", "node-3.example.net"}}});
  EXPECT_EQ(three.status, 403u) << three.body;
  EXPECT_NE(three.body.find("at most 2 nodes"), std::string::npos);

  auto everywhere =
      stack.submit(carol, {{"agent", "rpcutil"}, {"action", "inventory"}});
  EXPECT_EQ(everywhere.status, 403u) << everywhere.body;
  EXPECT_NE(everywhere.body.find("must narrow"), std::string::npos);

  // Discovery finds three nodes, more than the cap of two: the request
  // fails before anything is published.
  auto request_id =
      stack.submit_accepted(carol, {{"agent", "rpcutil"},
                                    {"action", "ping"},
                                    {"filter", {{"identity", {"/node/"}}}}});
  ASSERT_FALSE(request_id.empty());
  auto finished = stack.await_finished(carol, request_id, 30s);
  EXPECT_EQ(finished["state"], "failed") << finished;
}

TEST(SecurityPolicy, UserRequestsInFlightCapped) {
  stack_options options =
      with_carol({"gateway.limits.user_requests_in_flight = 2"});
  options.silent_nodes = {"node-3.example.net"};
  gateway_stack stack(options);
  std::string error;
  ASSERT_TRUE(stack.start(&error)) << error;
  const auto carol = stack.login("carol", "carol-password-1");
  const json waits = {{"agent", "rpcutil"},
                      {"action", "ping"},
                      {"nodes", {"node-3.example.net"}},
                      {"timeout", 3}};

  const auto first = stack.submit_accepted(carol, waits);
  ASSERT_FALSE(first.empty());
  ASSERT_FALSE(stack.submit_accepted(carol, waits).empty());
  auto over = stack.submit(carol, waits);
  EXPECT_EQ(over.status, 429u) << over.body;
  EXPECT_NE(over.body.find("in flight"), std::string::npos) << over.body;
  EXPECT_EQ(over.header("Retry-After"), "1");

  // Another user and the health check are not affected.
  const auto admin = stack.login_admin();
  EXPECT_EQ(stack.submit(admin, waits).status, 202u);
  EXPECT_TRUE(stack.await_readyz(200, 5s));

  // Once the silent node's requests expire, carol may submit again.
  auto expired = stack.await_finished(carol, first, 30s);
  EXPECT_EQ(expired["state"], "expired") << expired;
  EXPECT_TRUE(wait_until(
      [&] { return stack.submit(carol, waits).status == 202u; }, 20s));
}

TEST(SecurityPolicy, AclsMeetTheUsersRoleConstraints) {
  // dora's acl grants sim_test.run, and her role requires a filter or node
  // list for it and caps it at two nodes.
  stack_options options;
  options.fleet_size = 3;
  options.users.push_back(
      {"dora", "dora-password-1", {"sim_test.run"}, {"narrow"}});
  options.extra_roles = {{"narrow",
                          {{"allow", {"rpcutil.ping"}},
                           {"broad_actions",
                            {{{"actions", {"sim_test.*"}},
                              {"require_filter", true},
                              {"max_targets", 2}}}}}}};
  gateway_stack stack(options);
  std::string error;
  ASSERT_TRUE(stack.start(&error)) << error;
  const auto dora = stack.login("dora", "dora-password-1");
  ASSERT_FALSE(dora.empty());

  auto everywhere =
      stack.submit(dora, {{"agent", "sim_test"}, {"action", "run"}});
  EXPECT_EQ(everywhere.status, 403u) << everywhere.body;
  EXPECT_NE(everywhere.body.find("must narrow sim_test.run"), std::string::npos)
      << everywhere.body;
  auto too_many = stack.submit(
      dora, {{"agent", "sim_test"},
             {"action", "run"},
             {"nodes",
              {gateway_stack::node_name(1), gateway_stack::node_name(2),
               gateway_stack::node_name(3)}}});
  EXPECT_EQ(too_many.status, 403u) << too_many.body;
  EXPECT_NE(too_many.body.find("at most 2 nodes"), std::string::npos)
      << too_many.body;
  auto request_id =
      stack.submit_accepted(dora, {{"agent", "sim_test"},
                                   {"action", "run"},
                                   {"nodes", {gateway_stack::node_name(1)}},
                                   {"timeout", 2}});
  ASSERT_FALSE(request_id.empty());
  EXPECT_TRUE(stack.await_finished(dora, request_id, 30s).is_object());
}

}  // namespace
}  // namespace gateway::integration
