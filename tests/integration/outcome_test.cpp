// How requests end: expired when the deadline passes before every node
// replied, and complete with failures counted apart from successes.
#include <algorithm>

#include <gtest/gtest.h>

#include "gateway_stack.hpp"
#include "reply_checks.hpp"

namespace gateway::integration {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

// Five nodes. node-4 never replies, and the test agent always fails.
class RequestOutcome : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    stack_options options;
    options.fleet_size = 5;
    options.silent_nodes = {"node-4.example.net"};
    options.simulator_arguments = {"--test-failure-rate", "1"};
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

gateway_stack* RequestOutcome::stack_ = nullptr;
bool RequestOutcome::started_ = false;
std::string RequestOutcome::start_error_;

TEST_F(RequestOutcome, SilentNodeIsListedAsNoResponse) {
  std::vector<std::string> nodes{"node-1.example.net", "node-4.example.net",
                                 "node-5.example.net"};
  auto started = std::chrono::steady_clock::now();
  auto request_id = stack_->submit_accepted(token_, {{"agent", "rpcutil"},
                                                     {"action", "ping"},
                                                     {"nodes", nodes},
                                                     {"timeout", 2}});
  ASSERT_FALSE(request_id.empty());

  json status = stack_->await_finished(token_, request_id, 20s);
  ASSERT_TRUE(status.is_object());
  auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(status["state"], "expired") << status;
  EXPECT_EQ(status["no_response"], json::array({"node-4.example.net"}))
      << status;
  EXPECT_EQ(status["expected"], 3) << status;
  EXPECT_EQ(status["received"], 2) << status;
  EXPECT_EQ(status["ok"], 2) << status;
  EXPECT_TRUE(status["completed_at"].is_string()) << status;
  // The deadline is 2 s after publishing, so the request cannot end sooner.
  EXPECT_GE(elapsed, 2s);

  auto senders = senders_of(stack_->read_reply_pages(token_, request_id, 10));
  std::sort(senders.begin(), senders.end());
  EXPECT_EQ(senders, (std::vector<std::string>{"node-1.example.net",
                                               "node-5.example.net"}));
}

TEST_F(RequestOutcome, FailedRepliesAreCountedApart) {
  std::vector<std::string> nodes{"node-1.example.net", "node-2.example.net"};
  auto request_id = stack_->submit_accepted(
      token_, {{"agent", "sim_test"}, {"action", "run"}, {"nodes", nodes}});
  ASSERT_FALSE(request_id.empty());

  json status = stack_->await_finished(token_, request_id, 20s);
  ASSERT_TRUE(status.is_object());
  EXPECT_EQ(status["state"], "complete") << status;
  EXPECT_EQ(status["expected"], 2) << status;
  EXPECT_EQ(status["received"], 2) << status;
  EXPECT_EQ(status["ok"], 0) << status;
  EXPECT_EQ(status["failed"], 2) << status;
  EXPECT_EQ(status["no_response"], json::array()) << status;

  auto pages = stack_->read_reply_pages(token_, request_id, 10);
  ASSERT_EQ(pages.size(), 1u);
  ASSERT_EQ(reply_count(pages[0]), 2);
  for (const auto& reply : pages[0]["replies"]) {
    EXPECT_EQ(reply["statuscode"], 1) << reply;
    EXPECT_NE(reply.value("statusmsg", "").find("Aborted"), std::string::npos)
        << reply;
  }
}

}  // namespace
}  // namespace gateway::integration
