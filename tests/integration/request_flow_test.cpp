// Requests end to end: the gateway discovers or addresses simulated nodes
// over a real nats-server and serves their replies in pages.
#include <algorithm>
#include <memory>
#include <set>

#include <gtest/gtest.h>

#include "gateway_stack.hpp"
#include "reply_checks.hpp"

namespace gateway::integration {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

constexpr int fleet_size = 20;
constexpr int page_limit = 7;
// How long every node waits before it replies to the sim_test agent.
constexpr int test_delay_ms = 300;

class RequestFlow : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    stack_options options;
    options.fleet_size = fleet_size;
    options.simulator_arguments = {"--test-delay-ms",
                                   std::to_string(test_delay_ms)};
    stack_ = new gateway_stack(options);
    started_ = stack_->start(&start_error_);
  }
  static void TearDownTestSuite() {
    delete stack_;
    stack_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(started_) << start_error_;
    token_ = stack_->login_admin();
    ASSERT_FALSE(token_.empty());
  }

  static gateway_stack* stack_;
  static bool started_;
  static std::string start_error_;
  std::string token_;
};

gateway_stack* RequestFlow::stack_ = nullptr;
bool RequestFlow::started_ = false;
std::string RequestFlow::start_error_;

TEST_F(RequestFlow, FilterDiscoveryPagesEveryReply) {
  auto request_id =
      stack_->submit_accepted(token_, {{"agent", "rpcutil"},
                                       {"action", "ping"},
                                       {"filter", {{"agent", {"rpcutil"}}}}});
  ASSERT_FALSE(request_id.empty());

  json status = stack_->await_finished(token_, request_id, 30s);
  ASSERT_TRUE(status.is_object());
  EXPECT_EQ(status["state"], "complete") << status;
  EXPECT_EQ(status["discovered"], fleet_size) << status;
  EXPECT_EQ(status["expected"], fleet_size) << status;
  EXPECT_EQ(status["received"], fleet_size) << status;
  EXPECT_EQ(status["ok"], fleet_size) << status;
  EXPECT_EQ(status["failed"], 0) << status;
  EXPECT_EQ(status["no_response"], json::array()) << status;

  auto pages = stack_->read_reply_pages(token_, request_id, page_limit);
  int expected_pages = (fleet_size + page_limit - 1) / page_limit;
  ASSERT_EQ(static_cast<int>(pages.size()), expected_pages);
  for (int i = 0; i + 1 < expected_pages; ++i) {
    EXPECT_EQ(reply_count(pages[i]), page_limit) << "page " << i;
    EXPECT_TRUE(pages[i]["next_cursor"].is_string()) << "page " << i;
  }
  EXPECT_EQ(reply_count(pages.back()),
            fleet_size - page_limit * (expected_pages - 1));
  EXPECT_TRUE(pages.back()["next_cursor"].is_null());

  auto senders = senders_of(pages);
  std::multiset<std::string> seen(senders.begin(), senders.end());
  for (int index = 1; index <= fleet_size; ++index) {
    auto name = gateway_stack::node_name(index);
    EXPECT_EQ(seen.count(name), 1u) << name;
  }
  EXPECT_EQ(static_cast<int>(senders.size()), fleet_size);
  for (const auto& page : pages) {
    for (const auto& reply : page["replies"]) {
      EXPECT_EQ(reply["statuscode"], 0) << reply;
      EXPECT_TRUE(reply["data"]["pong"].is_number_integer()) << reply;
      EXPECT_TRUE(reply["received_at"].is_string()) << reply;
    }
  }
}

TEST_F(RequestFlow, DirectAddressingSkipsDiscovery) {
  std::vector<std::string> nodes{gateway_stack::node_name(3),
                                 gateway_stack::node_name(7),
                                 gateway_stack::node_name(11)};
  auto request_id = stack_->submit_accepted(
      token_, {{"agent", "rpcutil"}, {"action", "ping"}, {"nodes", nodes}});
  ASSERT_FALSE(request_id.empty());

  json status = stack_->await_finished(token_, request_id, 30s);
  ASSERT_TRUE(status.is_object());
  EXPECT_EQ(status["state"], "complete") << status;
  EXPECT_TRUE(status["discovered"].is_null()) << status;
  EXPECT_EQ(status["expected"], 3) << status;
  EXPECT_EQ(status["received"], 3) << status;
  EXPECT_EQ(status["unexpected"], 0) << status;

  // A page that takes the last reply has no next cursor, also when the
  // replies fill it exactly.
  auto exact = stack_->read_reply_pages(token_, request_id, 3);
  ASSERT_EQ(exact.size(), 1u);
  EXPECT_EQ(reply_count(exact[0]), 3);
  EXPECT_TRUE(exact[0]["next_cursor"].is_null()) << exact[0];

  auto single = stack_->read_reply_pages(token_, request_id, 1);
  ASSERT_EQ(single.size(), 3u);
  auto senders = senders_of(single);
  std::sort(senders.begin(), senders.end());
  std::sort(nodes.begin(), nodes.end());
  EXPECT_EQ(senders, nodes);
}

TEST_F(RequestFlow, IdentityFilterSelectsOneNode) {
  // node-2 is also a prefix of node-20, which must not match.
  auto request_id = stack_->submit_accepted(
      token_, {{"agent", "rpcutil"},
               {"action", "ping"},
               {"filter", {{"identity", {"node-2.example.net"}}}}});
  ASSERT_FALSE(request_id.empty());

  json status = stack_->await_finished(token_, request_id, 30s);
  ASSERT_TRUE(status.is_object());
  EXPECT_EQ(status["state"], "complete") << status;
  EXPECT_EQ(status["discovered"], 1) << status;
  EXPECT_EQ(status["expected"], 1) << status;
  EXPECT_EQ(status["received"], 1) << status;

  auto senders = senders_of(stack_->read_reply_pages(token_, request_id, 7));
  EXPECT_EQ(senders, std::vector<std::string>{"node-2.example.net"});
}

TEST_F(RequestFlow, IdentityRegexSelectsMatchingNodes) {
  auto request_id = stack_->submit_accepted(
      token_, {{"agent", "rpcutil"},
               {"action", "ping"},
               {"filter", {{"identity", {"/^node-1[0-2]\\./"}}}},
               {"discovery_timeout", 1}});
  ASSERT_FALSE(request_id.empty());

  json status = stack_->await_finished(token_, request_id, 30s);
  ASSERT_TRUE(status.is_object());
  EXPECT_EQ(status["state"], "complete") << status;
  EXPECT_EQ(status["discovered"], 3) << status;

  auto senders = senders_of(stack_->read_reply_pages(token_, request_id, 7));
  std::sort(senders.begin(), senders.end());
  EXPECT_EQ(senders, (std::vector<std::string>{"node-10.example.net",
                                               "node-11.example.net",
                                               "node-12.example.net"}));
}

TEST_F(RequestFlow, ConcurrentRequestsKeepRepliesApart) {
  // The nodes delay sim_test replies, so the requests overlap and their
  // replies arrive interleaved on the same broker connection.
  constexpr int request_count = 8;
  std::vector<std::string> nodes;
  for (int index = 1; index <= fleet_size; ++index)
    nodes.push_back(gateway_stack::node_name(index));
  std::vector<std::string> request_ids;
  for (int i = 0; i < request_count; ++i) {
    request_ids.push_back(stack_->submit_accepted(
        token_, {{"agent", "sim_test"}, {"action", "run"}, {"nodes", nodes}}));
    ASSERT_FALSE(request_ids.back().empty());
  }

  std::sort(nodes.begin(), nodes.end());
  for (const auto& request_id : request_ids) {
    json status = stack_->await_finished(token_, request_id, 30s);
    ASSERT_TRUE(status.is_object());
    EXPECT_EQ(status["state"], "complete") << status;
    EXPECT_EQ(status["received"], fleet_size) << status;
    EXPECT_EQ(status["ok"], fleet_size) << status;
    EXPECT_EQ(status["unexpected"], 0) << status;

    auto senders =
        senders_of(stack_->read_reply_pages(token_, request_id, 100));
    std::sort(senders.begin(), senders.end());
    EXPECT_EQ(senders, nodes) << request_id;
  }
}

}  // namespace
}  // namespace gateway::integration
