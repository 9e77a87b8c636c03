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

}  // namespace
}  // namespace gateway::integration
