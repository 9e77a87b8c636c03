// Idempotent submits over HTTP: a retry returns the original request, a
// reused key with another body gets 422, keys are per user and survive a
// restart.
#include <csignal>

#include <gtest/gtest.h>

#include "gateway_stack.hpp"
#include "history_support.hpp"
#include "reply_checks.hpp"

namespace gateway::integration {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

const extra_user olga{"olga", "olga-password-1", {"rpcutil.*"}, {}};

const json ping = {{"agent", "rpcutil"},
                   {"action", "ping"},
                   {"nodes", {"node-1.example.net"}}};

class Idempotency : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    stack_options options;
    options.fleet_size = 3;
    options.users = {olga};
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

  http_result submit_with_key(const std::string& key, const std::string& body,
                              const std::string& token = "") {
    return post_as(*stack_, token.empty() ? token_ : token, "/v1/requests",
                   body, {{"Idempotency-Key", key}});
  }

  static gateway_stack* stack_;
  static bool started_;
  static std::string start_error_;
  std::string token_;
};

gateway_stack* Idempotency::stack_ = nullptr;
bool Idempotency::started_ = false;
std::string Idempotency::start_error_;

TEST_F(Idempotency, RetryReturnsTheOriginal) {
  auto first = submit_with_key("retry-1", ping.dump());
  ASSERT_EQ(first.status, 202u) << first.body;
  std::string request_id = first.json()["request_id"];

  // The same body with other spacing is the same request.
  auto retry = submit_with_key("retry-1", ping.dump(2));
  ASSERT_EQ(retry.status, 200u) << retry.body;
  EXPECT_EQ(retry.json()["request_id"], request_id) << retry.body;
  EXPECT_TRUE(retry.json()["status_url"].is_string()) << retry.body;

  // Only one request went out.
  auto history = history_ids(*stack_, token_, "/v1/requests?limit=100");
  EXPECT_EQ(std::count(history.begin(), history.end(), request_id), 1);
  std::size_t before = history.size();
  (void)submit_with_key("retry-1", ping.dump());
  EXPECT_EQ(history_ids(*stack_, token_, "/v1/requests?limit=100").size(),
            before);
}

TEST_F(Idempotency, OtherBodyIsUnprocessable) {
  auto first = submit_with_key("retry-2", ping.dump());
  ASSERT_EQ(first.status, 202u) << first.body;
  json other = ping;
  other["nodes"] = {"node-2.example.net"};
  auto reused = submit_with_key("retry-2", other.dump());
  EXPECT_EQ(reused.status, 422u) << reused.body;
  EXPECT_EQ(error_code(reused.json()), "idempotency_key_reused")
      << reused.body;
}

TEST_F(Idempotency, KeysArePerUser) {
  auto admin = submit_with_key("shared-key", ping.dump());
  ASSERT_EQ(admin.status, 202u) << admin.body;
  auto olga_token = stack_->login(olga.username, olga.password);
  ASSERT_FALSE(olga_token.empty());
  auto mine = submit_with_key("shared-key", ping.dump(), olga_token);
  ASSERT_EQ(mine.status, 202u) << mine.body;
  EXPECT_NE(mine.json()["request_id"], admin.json()["request_id"]);
}

TEST_F(Idempotency, InvalidKeyIsBadRequest) {
  for (const std::string key : {std::string(256, 'k'), std::string("a b")}) {
    auto result = submit_with_key(key, ping.dump());
    EXPECT_EQ(result.status, 400u) << result.body;
    EXPECT_NE(error_message(result.json()).find("Idempotency-Key"),
              std::string::npos)
        << result.body;
  }
}

TEST_F(Idempotency, ReplayWithKey) {
  auto original = stack_->submit_accepted(token_, ping);
  ASSERT_FALSE(original.empty());
  (void)stack_->await_finished(token_, original, 30s);
  std::string path = "/v1/requests/" + original + "/replay";
  auto first = post_as(*stack_, token_, path, R"({"targets":"all"})",
                       {{"Idempotency-Key", "replay-1"}});
  ASSERT_EQ(first.status, 202u) << first.body;
  auto retry = post_as(*stack_, token_, path, R"({"targets": "all"})",
                       {{"Idempotency-Key", "replay-1"}});
  ASSERT_EQ(retry.status, 200u) << retry.body;
  EXPECT_EQ(retry.json()["request_id"], first.json()["request_id"]);
  // The key of a replay is no key for a submit.
  auto submit = submit_with_key("replay-1", ping.dump());
  EXPECT_EQ(submit.status, 422u) << submit.body;
}

TEST_F(Idempotency, ReplayBodiesOfSameMeaningMatch) {
  auto original = stack_->submit_accepted(token_, ping);
  ASSERT_FALSE(original.empty());
  (void)stack_->await_finished(token_, original, 30s);
  std::string path = "/v1/requests/" + original + "/replay";
  auto first =
      post_as(*stack_, token_, path, "", {{"Idempotency-Key", "replay-empty"}});
  ASSERT_EQ(first.status, 202u) << first.body;

  // An empty body, {} and {"targets": "all"} all replay to every node.
  for (const std::string body : {"", "{}", " { } ", R"({"targets":"all"})"}) {
    auto retry = post_as(*stack_, token_, path, body,
                         {{"Idempotency-Key", "replay-empty"}});
    ASSERT_EQ(retry.status, 200u) << "body '" << body << "': " << retry.body;
    EXPECT_EQ(retry.json()["request_id"], first.json()["request_id"]);
  }

  // Other targets are another replay. Every node replied, so the
  // gateway finds no failed node to send it to.
  auto failed = post_as(*stack_, token_, path, R"({"targets":"failed"})",
                        {{"Idempotency-Key", "replay-empty"}});
  EXPECT_NE(failed.status, 200u) << failed.body;
}

TEST_F(Idempotency, SubmitKeyOrderAndSpacingMatch) {
  const std::string body =
      R"({"agent":"rpcutil","action":"ping","nodes":["node-1.example.net"]})";
  auto first = submit_with_key("order-1", body);
  ASSERT_EQ(first.status, 202u) << first.body;
  const std::string reordered =
      "{ \"nodes\" : [ \"node-1.example.net\" ],\n \"action\": \"ping\", "
      "\"agent\": \"rpcutil\" }";
  auto retry = submit_with_key("order-1", reordered);
  ASSERT_EQ(retry.status, 200u) << retry.body;
  EXPECT_EQ(retry.json()["request_id"], first.json()["request_id"]);
}

TEST_F(Idempotency, KeySurvivesRestart) {
  auto first = submit_with_key("restart-1", ping.dump());
  ASSERT_EQ(first.status, 202u) << first.body;
  (void)stack_->await_finished(token_, first.json()["request_id"], 30s);

  ASSERT_NE(stack_->stop_gateway(SIGTERM), -1);
  std::string error;
  ASSERT_TRUE(stack_->start_gateway(&error)) << error;
  ASSERT_TRUE(stack_->await_readyz(200, 30s)) << stack_->log_tails();

  token_ = stack_->login_admin();
  auto retry = submit_with_key("restart-1", ping.dump());
  ASSERT_EQ(retry.status, 200u) << retry.body;
  EXPECT_EQ(retry.json()["request_id"], first.json()["request_id"]);
  EXPECT_EQ(retry.json()["state"], "complete") << retry.body;
}

}  // namespace
}  // namespace gateway::integration
