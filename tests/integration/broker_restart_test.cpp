// A broker restart in the middle of a batched fan-out: the request still
// ends with counts that add up, no reply is stored twice, and the gateway
// serves new requests once it has reconnected and subscribed again.
#include <algorithm>
#include <set>

#include <gtest/gtest.h>

#include "gateway_stack.hpp"
#include "reply_checks.hpp"

namespace gateway::integration {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

constexpr int fleet_size = 30;

std::vector<std::string> all_nodes() {
  std::vector<std::string> nodes;
  for (int index = 1; index <= fleet_size; ++index)
    nodes.push_back(gateway_stack::node_name(index));
  return nodes;
}

// Checks that the counts of a finished request add up and returns the
// silent nodes.
std::set<std::string> check_counts(const json& status) {
  EXPECT_EQ(status["expected"], fleet_size) << status;
  EXPECT_EQ(status["unexpected"], 0) << status;
  int received = status.value("received", -1);
  EXPECT_EQ(status.value("ok", 0) + status.value("failed", 0), received)
      << status;
  auto silent = status.value("no_response", std::vector<std::string>{});
  EXPECT_EQ(received + static_cast<int>(silent.size()), fleet_size) << status;
  if (status["state"] == "complete") {
    EXPECT_TRUE(silent.empty()) << status;
  }
  return {silent.begin(), silent.end()};
}

TEST(BrokerRestart, FanOutEndsAndLaterRequestsWork) {
  stack_options options;
  options.fleet_size = fleet_size;
  options.simulator_arguments = {"--test-delay-ms", "300"};
  gateway_stack stack(options);
  std::string error;
  ASSERT_TRUE(stack.start(&error)) << error;
  auto token = stack.login_admin();
  ASSERT_FALSE(token.empty());

  // Three batches of ten, one second apart; each node replies 300 ms after
  // it received the request.
  auto nodes = all_nodes();
  auto request_id = stack.submit_accepted(token, {{"agent", "sim_test"},
                                                  {"action", "run"},
                                                  {"nodes", nodes},
                                                  {"batch_size", 10},
                                                  {"batch_sleep", 1},
                                                  {"timeout", 5}});
  ASSERT_FALSE(request_id.empty());

  // The broker dies once the first replies are in and before the last
  // batch is published.
  json running;
  ASSERT_TRUE(wait_until(
      [&] {
        running = stack.status(token, request_id).json();
        return running.is_object() && running.value("received", 0) >= 1;
      },
      10s))
      << running << stack.log_tails();
  EXPECT_EQ(running["state"], "running") << running;
  ASSERT_TRUE(stack.kill_broker());
  ASSERT_TRUE(stack.start_broker(&error)) << error;

  json status = stack.await_finished(token, request_id, 30s);
  ASSERT_TRUE(status.is_object());
  EXPECT_TRUE(status["state"] == "complete" || status["state"] == "expired")
      << status;
  auto silent = check_counts(status);

  // Every stored reply comes from a distinct expected node that is not
  // listed as silent.
  auto senders = senders_of(stack.read_reply_pages(token, request_id, 7));
  std::set<std::string> distinct(senders.begin(), senders.end());
  EXPECT_EQ(distinct.size(), senders.size()) << "a reply was stored twice";
  EXPECT_EQ(static_cast<int>(senders.size()), status.value("received", -1));
  for (const auto& sender : senders) {
    EXPECT_NE(std::find(nodes.begin(), nodes.end(), sender), nodes.end())
        << sender;
    EXPECT_FALSE(silent.contains(sender)) << sender << " is listed as silent";
  }

  // New requests reach every node once both the gateway and the simulator
  // are subscribed again. Each try waits out its own 2 s deadline, so the
  // loop is bounded.
  ASSERT_TRUE(stack.await_readyz(200, 15s)) << stack.log_tails();
  json later;
  bool answered = wait_until(
      [&] {
        auto later_id = stack.submit_accepted(token, {{"agent", "rpcutil"},
                                                      {"action", "ping"},
                                                      {"nodes", nodes},
                                                      {"timeout", 2}});
        if (later_id.empty()) return true;
        later = stack.await_finished(token, later_id, 15s);
        return !later.is_object() || later["state"] == "complete";
      },
      20s);
  EXPECT_TRUE(answered) << later << stack.log_tails();
  EXPECT_EQ(later["state"], "complete") << later;
  EXPECT_EQ(later["received"], fleet_size) << later;
}

}  // namespace
}  // namespace gateway::integration
