// In-flight requests across a crash: a request whose deadline is still
// ahead resumes collecting after the restart, and one whose deadline
// passed while the gateway was down ends as expired with its counts.
#include <signal.h>

#include <gtest/gtest.h>

#include "gateway/server/recovery.hpp"
#include "gateway/storage/event_store.hpp"
#include "gateway_stack.hpp"
#include "reply_checks.hpp"

namespace gateway::integration {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

// Waits until the status shows the request published, then kills the
// gateway with SIGKILL and starts it again.
void crash_after_publish(gateway_stack& stack, std::string& token,
                         const std::string& request_id, json& published) {
  ASSERT_TRUE(wait_until(
      [&] {
        published = stack.status(token, request_id).json();
        return published.is_object() && published["published_at"].is_string();
      },
      20s))
      << published;
  ASSERT_EQ(published["state"], "running") << published;
  ASSERT_NE(stack.stop_gateway(SIGKILL), -1);
}

void restart(gateway_stack& stack, std::string& token) {
  std::string error;
  ASSERT_TRUE(stack.start_gateway(&error)) << error;
  ASSERT_TRUE(stack.await_readyz(200, 30s)) << stack.log_tails();
  token = stack.login_admin();
  ASSERT_FALSE(token.empty());
}

TEST(ResumeAfterCrash, RequestCollectsRepliesAfterRestart) {
  stack_options options;
  options.fleet_size = 3;
  // The replies come 12 s after the request, after the restart even on a
  // loaded machine.
  options.simulator_arguments = {"--test-delay-ms", "12000"};
  gateway_stack stack(options);
  std::string error;
  ASSERT_TRUE(stack.start(&error)) << error;
  auto token = stack.login_admin();
  ASSERT_FALSE(token.empty());

  auto request_id = stack.submit_accepted(
      token, {{"agent", "sim_test"},
              {"action", "run"},
              {"nodes",
               {gateway_stack::node_name(1), gateway_stack::node_name(2),
                gateway_stack::node_name(3)}},
              {"timeout", 45}});
  ASSERT_FALSE(request_id.empty());
  json published;
  crash_after_publish(stack, token, request_id, published);
  ASSERT_EQ(published["received"], 0) << published;
  restart(stack, token);

  json status = stack.await_finished(token, request_id, 60s);
  ASSERT_TRUE(status.is_object());
  EXPECT_EQ(status["state"], "complete") << status;
  EXPECT_EQ(status["received"], 3) << status;
  EXPECT_EQ(status["deadline"], published["deadline"]) << status;
  auto senders = senders_of(stack.read_reply_pages(token, request_id, 10));
  EXPECT_EQ(senders.size(), 3u);
}

TEST(ResumeAfterCrash, DeadlinePassedWhileDownEndsExpired) {
  stack_options options;
  options.fleet_size = 3;
  options.silent_nodes = {"node-3.example.net"};
  gateway_stack stack(options);
  std::string error;
  ASSERT_TRUE(stack.start(&error)) << error;
  auto token = stack.login_admin();
  ASSERT_FALSE(token.empty());

  auto request_id = stack.submit_accepted(
      token, {{"agent", "rpcutil"},
              {"action", "ping"},
              {"nodes", {"node-1.example.net", "node-3.example.net"}},
              {"timeout", 3}});
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

  // Stay down until the deadline has passed.
  auto deadline = parse_utc_timestamp(running["deadline"].get<std::string>());
  ASSERT_TRUE(deadline.has_value()) << running;
  ASSERT_TRUE(wait_until(
      [&] {
        auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
        return now > *deadline;
      },
      20s));
  restart(stack, token);

  auto status = stack.status(token, request_id).json();
  EXPECT_EQ(status["state"], "expired") << status;
  EXPECT_EQ(status["expected"], 2) << status;
  EXPECT_EQ(status["received"], 1) << status;
  EXPECT_EQ(status["ok"], 1) << status;
  EXPECT_EQ(status["no_response"], json::array({"node-3.example.net"}))
      << status;
  auto senders = senders_of(stack.read_reply_pages(token, request_id, 10));
  EXPECT_EQ(senders, std::vector<std::string>{"node-1.example.net"});
}

// Writes a request_accepted event without a publication into the stopped
// gateway's store, as a crash between the 202 and the publish leaves it.
std::string add_unpublished_request(const gateway_stack& stack,
                                    const json& request) {
  std::string error;
  auto store = storage::event_store::open(stack.setup_file("data"), {}, &error);
  EXPECT_NE(store, nullptr) << error;
  if (!store) return "";

  storage::event accepted;
  accepted.kind = storage::event_kind::request_accepted;
  accepted.time_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
  accepted.request_id = std::string(31, 'c') + "1";
  accepted.caller = "admin";
  accepted.data = request;
  std::vector<storage::event> batch{accepted};
  auto failure = store->append(batch);
  EXPECT_FALSE(failure.has_value()) << *failure;
  return accepted.request_id;
}

TEST(ResumeAfterCrash, UnpublishedRequestIsPublishedAfterRestart) {
  stack_options options;
  options.fleet_size = 3;
  gateway_stack stack(options);
  std::string error;
  ASSERT_TRUE(stack.start(&error)) << error;
  ASSERT_NE(stack.stop_gateway(SIGTERM), -1);

  auto request_id =
      add_unpublished_request(stack, {{"agent", "rpcutil"},
                                      {"action", "ping"},
                                      {"collective", "mcollective"},
                                      {"data", json::object()},
                                      {"filter", json::object()},
                                      {"nodes", json::array()},
                                      {"timeout", 20},
                                      {"discovery_timeout", 2},
                                      {"ttl", 60},
                                      {"discovering", true}});
  ASSERT_FALSE(request_id.empty());
  std::string token;
  restart(stack, token);

  json status = stack.await_finished(token, request_id, 40s);
  ASSERT_TRUE(status.is_object());
  EXPECT_EQ(status["state"], "complete") << status;
  EXPECT_EQ(status["discovered"], 3) << status;
  EXPECT_EQ(status["received"], 3) << status;
  EXPECT_TRUE(status["published_at"].is_string()) << status;
}

}  // namespace
}  // namespace gateway::integration
