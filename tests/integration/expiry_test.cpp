// A request whose deadline passes before every node replied ends expired
// and names the silent nodes.
#include <algorithm>

#include <gtest/gtest.h>

#include "gateway_stack.hpp"
#include "reply_checks.hpp"

namespace gateway::integration {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

TEST(RequestExpiry, SilentNodeIsListedAsNoResponse) {
  stack_options options;
  options.fleet_size = 5;
  options.silent_nodes = {"node-4.example.net"};
  gateway_stack stack(options);
  std::string error;
  ASSERT_TRUE(stack.start(&error)) << error;
  auto token = stack.login_admin();
  ASSERT_FALSE(token.empty());

  std::vector<std::string> nodes{"node-1.example.net", "node-4.example.net",
                                 "node-5.example.net"};
  auto started = std::chrono::steady_clock::now();
  auto request_id = stack.submit_accepted(token, {{"agent", "rpcutil"},
                                                  {"action", "ping"},
                                                  {"nodes", nodes},
                                                  {"timeout", 2}});
  ASSERT_FALSE(request_id.empty());

  json status = stack.await_finished(token, request_id, 20s);
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

  auto senders = senders_of(stack.read_reply_pages(token, request_id, 10));
  std::sort(senders.begin(), senders.end());
  EXPECT_EQ(senders, (std::vector<std::string>{"node-1.example.net",
                                               "node-5.example.net"}));
}

}  // namespace
}  // namespace gateway::integration
