// Retention and reindexing over a running gateway: the oldest finished
// requests beyond gateway.retention.max_requests go with their replies,
// and `choria-rest-gateway reindex` rebuilds the history from the events.
#include <sys/wait.h>

#include <csignal>

#include <gtest/gtest.h>

#include "gateway_stack.hpp"
#include "history_support.hpp"
#include "process.hpp"

namespace gateway::integration {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

const json ping = {{"agent", "rpcutil"},
                   {"action", "ping"},
                   {"nodes", {"node-1.example.net", "node-2.example.net"}}};

class HistoryRetention : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_options options;
    options.fleet_size = 2;
    options.extra_config = {"gateway.retention.max_requests = 2",
                            "gateway.retention.interval = 1s"};
    stack_ = std::make_unique<gateway_stack>(options);
    std::string error;
    ASSERT_TRUE(stack_->start(&error)) << error;
    token_ = stack_->login_admin();
    ASSERT_FALSE(token_.empty());
  }

  std::string finished_ping() {
    auto request_id = stack_->submit_accepted(token_, ping);
    json status = stack_->await_finished(token_, request_id, 30s);
    EXPECT_EQ(status.value("state", ""), "complete") << status;
    return request_id;
  }

  // Runs `choria-rest-gateway reindex` on the stack's configuration and
  // returns its wait status.
  int run_reindex(const std::string& log_name) {
    child_process reindex(
        GATEWAY_PATH, {"reindex", "-c", stack_->setup_file("gateway.conf")},
        stack_->setup_file(log_name));
    return reindex.wait_exit(60s);
  }

  std::unique_ptr<gateway_stack> stack_;
  std::string token_;
};

TEST_F(HistoryRetention, RemovesExactlyTheOldest) {
  auto first = finished_ping();
  auto second = finished_ping();
  auto third = finished_ping();

  // The sweep runs every second; the first request goes, the rest stay.
  bool removed = wait_until(
      [&] { return stack_->status(token_, first).status == 404; }, 20s);
  ASSERT_TRUE(removed) << stack_->log_tails();
  EXPECT_EQ(stack_->status(token_, second).status, 200u);
  EXPECT_EQ(stack_->status(token_, third).status, 200u);
  auto replies = get_as(*stack_, token_, "/v1/requests/" + first + "/replies");
  EXPECT_EQ(replies.status, 404u) << replies.body;
  EXPECT_EQ(history_ids(*stack_, token_, "/v1/requests?limit=10"),
            (std::vector<std::string>{third, second}));
  auto kept = stack_->read_reply_pages(token_, second, 10);
  ASSERT_EQ(kept.size(), 1u);
  EXPECT_EQ(kept[0]["replies"].size(), 2u);
}

TEST_F(HistoryRetention, ReindexRebuildsTheHistory) {
  auto first = finished_ping();
  auto second = finished_ping();
  auto before = history_ids(*stack_, token_, "/v1/requests?limit=10");
  ASSERT_EQ(before, (std::vector<std::string>{second, first}));

  // The running gateway has the database open, so reindex fails.
  int refused = run_reindex("reindex-refused.log");
  ASSERT_TRUE(WIFEXITED(refused));
  EXPECT_EQ(WEXITSTATUS(refused), 2)
      << read_text(stack_->setup_file("reindex-refused.log"));

  ASSERT_NE(stack_->stop_gateway(SIGTERM), -1);
  int status = run_reindex("reindex.log");
  std::string output = read_text(stack_->setup_file("reindex.log"));
  ASSERT_TRUE(WIFEXITED(status)) << output;
  EXPECT_EQ(WEXITSTATUS(status), 0) << output;
  EXPECT_NE(output.find("rebuilt the read models of 2 requests"),
            std::string::npos)
      << output;

  std::string error;
  ASSERT_TRUE(stack_->start_gateway(&error)) << error;
  ASSERT_TRUE(stack_->await_readyz(200, 30s)) << stack_->log_tails();
  token_ = stack_->login_admin();
  EXPECT_EQ(history_ids(*stack_, token_, "/v1/requests?limit=10"), before);
  auto pages = stack_->read_reply_pages(token_, first, 10);
  ASSERT_EQ(pages.size(), 1u);
  EXPECT_EQ(pages[0]["replies"].size(), 2u);
  auto status_after = stack_->status(token_, second).json();
  EXPECT_EQ(status_after["state"], "complete") << status_after;
}

}  // namespace
}  // namespace gateway::integration
