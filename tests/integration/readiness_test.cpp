// Liveness and readiness follow the broker connection: /readyz returns 503
// while nats-server is down and 200 again once it is back.
#include <gtest/gtest.h>

#include "gateway_stack.hpp"

namespace gateway::integration {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

unsigned get_status(const gateway_stack& stack, const std::string& target) {
  http_call call;
  call.target = target;
  return stack.http(call).status;
}

TEST(GatewayReadiness, FollowsTheBrokerConnection) {
  stack_options options;
  options.fleet_size = 3;
  gateway_stack stack(options);
  std::string error;
  ASSERT_TRUE(stack.start(&error)) << error;

  EXPECT_EQ(get_status(stack, "/healthz"), 200u);
  EXPECT_EQ(get_status(stack, "/readyz"), 200u);

  ASSERT_TRUE(stack.kill_broker());
  EXPECT_TRUE(stack.await_readyz(503, 15s))
      << "/readyz stayed " << get_status(stack, "/readyz")
      << " without a broker\n"
      << stack.log_tails();
  EXPECT_EQ(get_status(stack, "/healthz"), 200u);

  ASSERT_TRUE(stack.start_broker(&error)) << error;
  EXPECT_TRUE(stack.await_readyz(200, 30s))
      << "/readyz stayed " << get_status(stack, "/readyz")
      << " after the broker restarted\n"
      << stack.log_tails();

  // Requests work again once the simulator has reconnected too; each try
  // waits out its own 2 s deadline, so the loop is bounded.
  auto token = stack.login_admin();
  ASSERT_FALSE(token.empty());
  json status;
  bool answered = wait_until(
      [&] {
        auto request_id =
            stack.submit_accepted(token, {{"agent", "rpcutil"},
                                          {"action", "ping"},
                                          {"nodes", {"node-1.example.net"}},
                                          {"timeout", 2}});
        if (request_id.empty()) return true;
        status = stack.await_finished(token, request_id, 20s);
        return !status.is_object() || status["state"] == "complete";
      },
      30s);
  EXPECT_TRUE(answered) << status;
  EXPECT_EQ(status["state"], "complete") << status;
}

}  // namespace
}  // namespace gateway::integration
