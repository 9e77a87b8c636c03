// Replays over HTTP: all targets, failed nodes only, silent nodes only,
// nothing to replay, RBAC on the replaying user, and bad bodies.
#include <algorithm>
#include <set>

#include <gtest/gtest.h>

#include "gateway_stack.hpp"
#include "history_support.hpp"
#include "reply_checks.hpp"

namespace gateway::integration {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

const extra_user olga{"olga", "olga-password-1", {"rpcutil.*"}, {"viewer"}};

// Twelve nodes: node-12 never replies, and the test agent fails half of
// its replies at random.
class Replay : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    stack_options options;
    options.fleet_size = 12;
    options.silent_nodes = {"node-12.example.net"};
    options.simulator_arguments = {"--test-failure-rate", "0.5"};
    options.users = {olga};
    options.extra_roles = {{"viewer", {{"allow", json::array()},
                                       {"read", {"all"}}}}};
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

  static std::vector<std::string> all_nodes() {
    std::vector<std::string> nodes;
    for (int i = 1; i <= 12; ++i) nodes.push_back(gateway_stack::node_name(i));
    return nodes;
  }

  // Submits sim_test.run to every node and waits for it to expire.
  std::string run_test_agent() {
    auto request_id = stack_->submit_accepted(
        token_, {{"agent", "sim_test"},
                 {"action", "run"},
                 {"nodes", all_nodes()},
                 {"timeout", 2}});
    json status = stack_->await_finished(token_, request_id, 30s);
    EXPECT_EQ(status.value("state", ""), "expired") << status;
    return request_id;
  }

  // The senders of request_id's replies whose statuscode is not 0.
  std::set<std::string> failed_senders(const std::string& request_id) {
    std::set<std::string> failed;
    for (const auto& page : stack_->read_reply_pages(token_, request_id, 100))
      for (const auto& reply : page["replies"])
        if (reply["statuscode"] != 0) failed.insert(reply["sender"]);
    return failed;
  }

  http_result replay(const std::string& request_id, const json& body,
                     const std::string& token = "") {
    return post_as(*stack_, token.empty() ? token_ : token,
                   "/v1/requests/" + request_id + "/replay", body.dump());
  }

  // The expected nodes of a new request, from its silent and answered
  // nodes once it has ended.
  std::set<std::string> expected_of(const std::string& request_id) {
    json status = stack_->await_finished(token_, request_id, 30s);
    std::set<std::string> nodes;
    for (const auto& node : status["no_response"]) nodes.insert(node);
    for (const auto& sender :
         senders_of(stack_->read_reply_pages(token_, request_id, 100)))
      nodes.insert(sender);
    EXPECT_EQ(status["expected"], nodes.size()) << status;
    return nodes;
  }

  static gateway_stack* stack_;
  static bool started_;
  static std::string start_error_;
  std::string token_;
};

gateway_stack* Replay::stack_ = nullptr;
bool Replay::started_ = false;
std::string Replay::start_error_;

TEST_F(Replay, FailedTargetsOnlyFailedNodes) {
  auto original = run_test_agent();
  auto failed = failed_senders(original);
  if (failed.empty()) GTEST_SKIP() << "no reply failed at random this time";

  auto result = replay(original, {{"targets", "failed"}});
  ASSERT_EQ(result.status, 202u) << result.body;
  std::string replay_id = result.json()["request_id"];
  EXPECT_NE(replay_id, original);
  EXPECT_EQ(expected_of(replay_id), failed);

  auto status = stack_->status(token_, replay_id).json();
  EXPECT_EQ(status["replay_of"], original) << status;
  EXPECT_EQ(status["agent"], "sim_test") << status;
  EXPECT_EQ(status["action"], "run") << status;
  EXPECT_EQ(status["caller"], "admin") << status;
  EXPECT_EQ(status["collective"], "mcollective") << status;
}

TEST_F(Replay, NoResponseTargetsSilentNodes) {
  auto original = run_test_agent();
  auto result = replay(original, {{"targets", "no_response"}});
  ASSERT_EQ(result.status, 202u) << result.body;
  std::string replay_id = result.json()["request_id"];
  EXPECT_EQ(expected_of(replay_id),
            std::set<std::string>{"node-12.example.net"});
}

TEST_F(Replay, AllTargetsTheSameNodes) {
  auto original = run_test_agent();
  auto result = replay(original, {{"targets", "all"}});
  ASSERT_EQ(result.status, 202u) << result.body;
  std::string replay_id = result.json()["request_id"];
  auto nodes = all_nodes();
  EXPECT_EQ(expected_of(replay_id),
            std::set<std::string>(nodes.begin(), nodes.end()));

  // An empty body replays to all targets too.
  auto empty = post_as(*stack_, token_, "/v1/requests/" + original + "/replay",
                       "");
  EXPECT_EQ(empty.status, 202u) << empty.body;
}

TEST_F(Replay, NothingToReplayIsConflict) {
  auto original = stack_->submit_accepted(
      token_, {{"agent", "rpcutil"},
               {"action", "ping"},
               {"nodes", {"node-1.example.net", "node-2.example.net"}}});
  json status = stack_->await_finished(token_, original, 30s);
  ASSERT_EQ(status.value("state", ""), "complete") << status;

  for (const char* targets : {"failed", "no_response"}) {
    auto result = replay(original, {{"targets", targets}});
    EXPECT_EQ(result.status, 409u) << targets << ": " << result.body;
    EXPECT_EQ(error_code(result.json()), "nothing_to_replay") << result.body;
    EXPECT_NE(error_message(result.json()).find(original), std::string::npos)
        << result.body;
  }
}

TEST_F(Replay, ReplayChecksTheReplayersRights) {
  // Olga may read the admin's sim_test request but may not call sim_test.
  auto original = run_test_agent();
  auto olga_token = stack_->login(olga.username, olga.password);
  ASSERT_FALSE(olga_token.empty());
  auto result = replay(original, {{"targets", "all"}}, olga_token);
  EXPECT_EQ(result.status, 403u) << result.body;
  EXPECT_EQ(error_code(result.json()), "forbidden") << result.body;
}

TEST_F(Replay, BadRequests) {
  auto original = stack_->submit_accepted(
      token_, {{"agent", "rpcutil"},
               {"action", "ping"},
               {"nodes", {"node-1.example.net"}}});
  for (const json& body :
       {json{{"targets", "some"}}, json{{"targets", 3}},
        json{{"nodes", json::array()}}, json::array()}) {
    auto result = replay(original, body);
    EXPECT_EQ(result.status, 400u) << body << ": " << result.body;
  }
  auto unknown = replay(std::string(32, 'e'), {{"targets", "all"}});
  EXPECT_EQ(unknown.status, 404u) << unknown.body;
  http_call get;
  get.target = "/v1/requests/" + original + "/replay";
  get.bearer_token = token_;
  EXPECT_EQ(stack_->http(get).status, 405u);
}

}  // namespace
}  // namespace gateway::integration
