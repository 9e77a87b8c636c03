// The event log is the source of truth: a gateway restarted on the same
// configuration serves the same status and reply pages.
#include <signal.h>
#include <sys/wait.h>

#include <gtest/gtest.h>

#include "gateway_stack.hpp"
#include "reply_checks.hpp"

namespace gateway::integration {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

TEST(GatewayRestart, KeepsStatusAndReplyPages) {
  stack_options options;
  options.fleet_size = 10;
  gateway_stack stack(options);
  std::string error;
  ASSERT_TRUE(stack.start(&error)) << error;
  auto token = stack.login_admin();
  ASSERT_FALSE(token.empty());

  auto request_id =
      stack.submit_accepted(token, {{"agent", "rpcutil"}, {"action", "ping"}});
  ASSERT_FALSE(request_id.empty());
  json before = stack.await_finished(token, request_id, 30s);
  ASSERT_TRUE(before.is_object());
  ASSERT_EQ(before["state"], "complete") << before;
  auto pages_before = stack.read_reply_pages(token, request_id, 3);
  ASSERT_EQ(senders_of(pages_before).size(), 10u);

  int exit_status = stack.stop_gateway(SIGTERM);
  ASSERT_NE(exit_status, -1) << "the gateway did not exit on SIGTERM\n"
                             << stack.log_tails();
  EXPECT_TRUE(WIFEXITED(exit_status)) << "wait status " << exit_status;
  EXPECT_EQ(WEXITSTATUS(exit_status), 0) << stack.log_tails();

  ASSERT_TRUE(stack.start_gateway(&error)) << error;
  ASSERT_TRUE(stack.await_readyz(200, 30s)) << stack.log_tails();
  auto new_token = stack.login_admin();
  ASSERT_FALSE(new_token.empty());

  auto after = stack.status(new_token, request_id);
  ASSERT_EQ(after.status, 200u) << after.body;
  EXPECT_EQ(after.json(), before);
  auto pages_after = stack.read_reply_pages(new_token, request_id, 3);
  EXPECT_EQ(pages_after, pages_before);
}

TEST(GatewayRestart, EndsUnfinishedRequestAfterCrash) {
  stack_options options;
  options.fleet_size = 3;
  options.silent_nodes = {"node-3.example.net"};
  gateway_stack stack(options);
  std::string error;
  ASSERT_TRUE(stack.start(&error)) << error;
  auto token = stack.login_admin();
  ASSERT_FALSE(token.empty());

  // node-3 never replies, so the request is still running when the
  // gateway is killed, long before its 120 s deadline.
  auto request_id = stack.submit_accepted(
      token, {{"agent", "rpcutil"},
              {"action", "ping"},
              {"nodes", {"node-1.example.net", "node-3.example.net"}},
              {"timeout", 120}});
  ASSERT_FALSE(request_id.empty());
  json running;
  ASSERT_TRUE(wait_until(
      [&] {
        running = stack.status(token, request_id).json();
        return running.is_object() && running["received"] == 1;
      },
      20s))
      << running;
  ASSERT_EQ(running["state"], "running") << running;

  ASSERT_NE(stack.stop_gateway(SIGKILL), -1);
  ASSERT_TRUE(stack.start_gateway(&error)) << error;
  ASSERT_TRUE(stack.await_readyz(200, 30s)) << stack.log_tails();
  token = stack.login_admin();
  ASSERT_FALSE(token.empty());

  json status = stack.await_finished(token, request_id, 20s);
  ASSERT_TRUE(status.is_object());
  EXPECT_EQ(status["state"], "expired") << status;
  EXPECT_EQ(status["no_response"], json::array({"node-3.example.net"}))
      << status;
  EXPECT_EQ(status["received"], 1) << status;
  auto senders = senders_of(stack.read_reply_pages(token, request_id, 10));
  EXPECT_EQ(senders, std::vector<std::string>{"node-1.example.net"});
}

}  // namespace
}  // namespace gateway::integration
