// Requests submitted while no broker is connected. The submit fails at
// once with 503 and an audit entry. A discovery that loses the broker
// fails the request with a reason, so that no accepted request completes
// with zero nodes unnoticed. The broker is a real nats-server killed by
// pid.
#include <gtest/gtest.h>

#include "gateway_stack.hpp"

namespace gateway::integration {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

constexpr int fleet_size = 3;

const json discovery_ping = {{"agent", "rpcutil"},
                             {"action", "ping"},
                             {"filter", {{"identity", {"/^node-/"}}}},
                             {"discovery_timeout", 1},
                             {"timeout", 2}};

const json direct_ping = {{"agent", "rpcutil"},
                          {"action", "ping"},
                          {"nodes", {"node-1.example.net"}},
                          {"timeout", 2}};

class BrokerDown : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_options options;
    options.fleet_size = fleet_size;
    options.extra_roles = {
        {"admin", {{"allow", {"*"}}, {"read", {"all", "audit"}}}}};
    stack_ = std::make_unique<gateway_stack>(options);
    std::string error;
    ASSERT_TRUE(stack_->start(&error)) << error;
    token_ = stack_->login_admin();
    ASSERT_FALSE(token_.empty());
  }

  // Kills nats-server by pid and waits until the gateway notices.
  void kill_broker() {
    ASSERT_TRUE(stack_->kill_broker());
    ASSERT_TRUE(stack_->await_readyz(503, 30s)) << stack_->log_tails();
  }

  // The audit entries of the admin, newest first.
  json admin_audit() {
    http_call call;
    call.target = "/v1/audit?caller=admin&limit=20";
    call.bearer_token = token_;
    auto result = stack_->http(call);
    EXPECT_EQ(result.status, 200u) << result.body;
    return result.json().value("entries", json::array());
  }

  std::unique_ptr<gateway_stack> stack_;
  std::string token_;
};

TEST_F(BrokerDown, SubmitsFailWith503) {
  ASSERT_NO_FATAL_FAILURE(kill_broker());

  for (const json& body : {discovery_ping, direct_ping}) {
    auto result = stack_->submit(token_, body);
    EXPECT_EQ(result.status, 503u) << body << " " << result.body;
    json error = result.json().value("error", json::object());
    EXPECT_EQ(error.value("code", ""), "unavailable") << result.body;
    EXPECT_NE(error.value("message", "").find("no broker is connected"),
              std::string::npos)
        << result.body;
  }

  // Both rejections reach the audit trail as denials, written after the
  // responses, and no request was accepted.
  json entries;
  auto count_broker_denials = [&] {
    entries = admin_audit();
    std::size_t count = 0;
    for (const auto& entry : entries)
      if (entry.value("kind", "") == "denied" &&
          entry["details"].value("reason", "").find("no broker is connected") !=
              std::string::npos)
        ++count;
    return count;
  };
  EXPECT_TRUE(wait_until([&] { return count_broker_denials() == 2; }, 10s))
      << entries;
  for (const auto& entry : entries)
    EXPECT_NE(entry.value("kind", ""), "submitted") << entry;

  http_call history;
  history.target = "/v1/requests";
  history.bearer_token = token_;
  auto listed = stack_->http(history);
  ASSERT_EQ(listed.status, 200u) << listed.body;
  EXPECT_TRUE(listed.json()["requests"].empty()) << listed.body;
}

TEST_F(BrokerDown, DiscoveryWorksAfterBrokerReturns) {
  ASSERT_NO_FATAL_FAILURE(kill_broker());
  EXPECT_EQ(stack_->submit(token_, discovery_ping).status, 503u);

  std::string error;
  ASSERT_TRUE(stack_->start_broker(&error)) << error;
  ASSERT_TRUE(stack_->await_readyz(200, 30s)) << stack_->log_tails();

  // The simulator subscribes again on its own schedule, so a discovery
  // may find fewer nodes at first; each try is bounded by its deadline.
  json status;
  bool found_all = wait_until(
      [&] {
        auto request_id = stack_->submit_accepted(token_, discovery_ping);
        if (request_id.empty()) return true;
        status = stack_->await_finished(token_, request_id, 15s);
        return !status.is_object() || status.value("expected", 0) == fleet_size;
      },
      30s);
  EXPECT_TRUE(found_all) << status;
  ASSERT_TRUE(status.is_object());
  EXPECT_EQ(status["state"], "complete") << status;
  EXPECT_EQ(status.value("expected", 0), fleet_size) << status;
}

TEST_F(BrokerDown, BrokerLostDuringDiscoveryFailsRequest) {
  // Long enough for the gateway to see the broker go before discovery
  // ends.
  json body = discovery_ping;
  body["discovery_timeout"] = 5;
  auto request_id = stack_->submit_accepted(token_, body);
  ASSERT_FALSE(request_id.empty());
  ASSERT_NO_FATAL_FAILURE(kill_broker());

  json status = stack_->await_finished(token_, request_id, 30s);
  ASSERT_TRUE(status.is_object());
  EXPECT_EQ(status["state"], "failed") << status;
  ASSERT_TRUE(status["reason"].is_string()) << status;
  EXPECT_NE(status["reason"].get<std::string>().find("broker"),
            std::string::npos)
      << status;
  EXPECT_NE(stack_->gateway_log().find(request_id + " failed"),
            std::string::npos);
}

}  // namespace
}  // namespace gateway::integration
