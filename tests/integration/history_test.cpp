// The request history over HTTP: newest first, filters, paging with
// cursors bound to their query, visibility per user, and bad parameters.
#include <algorithm>

#include <gtest/gtest.h>

#include "gateway_stack.hpp"
#include "history_support.hpp"
#include "reply_checks.hpp"

namespace gateway::integration {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

const extra_user olga{"olga", "olga-password-1", {"rpcutil.*"}, {}};
const extra_user vera{"vera", "vera-password-1", {}, {"viewer"}};

class History : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    stack_options options;
    options.fleet_size = 3;
    options.users = {olga, vera};
    options.extra_roles = {
        {"viewer", {{"allow", {"rpcutil.*"}}, {"read", {"all"}}}}};
    stack_ = new gateway_stack(options);
    started_ = stack_->start(&start_error_);
    if (!started_) return;

    // Olga submits three pings and the admin one inventory, in order.
    olga_token_ = stack_->login(olga.username, olga.password);
    admin_token_ = stack_->login_admin();
    for (int i = 0; i < 3; ++i)
      olga_requests_.push_back(stack_->submit_accepted(
          olga_token_, {{"agent", "rpcutil"},
                        {"action", "ping"},
                        {"nodes", {"node-1.example.net"}}}));
    admin_request_ = stack_->submit_accepted(
        admin_token_, {{"agent", "rpcutil"},
                       {"action", "inventory"},
                       {"nodes", {"node-2.example.net"}}});
    for (const auto& id : olga_requests_)
      (void)stack_->await_finished(olga_token_, id, 30s);
    (void)stack_->await_finished(admin_token_, admin_request_, 30s);
  }
  static void TearDownTestSuite() {
    delete stack_;
    stack_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(started_) << start_error_;
    ASSERT_FALSE(olga_token_.empty());
    ASSERT_FALSE(admin_token_.empty());
  }

  static std::vector<std::string> newest_first(std::vector<std::string> ids) {
    std::reverse(ids.begin(), ids.end());
    return ids;
  }

  static gateway_stack* stack_;
  static bool started_;
  static std::string start_error_;
  static std::string olga_token_;
  static std::string admin_token_;
  static std::vector<std::string> olga_requests_;
  static std::string admin_request_;
};

gateway_stack* History::stack_ = nullptr;
bool History::started_ = false;
std::string History::start_error_;
std::string History::olga_token_;
std::string History::admin_token_;
std::vector<std::string> History::olga_requests_;
std::string History::admin_request_;

TEST_F(History, ListsOwnRequestsNewestFirst) {
  auto result = get_as(*stack_, olga_token_, "/v1/requests");
  ASSERT_EQ(result.status, 200u) << result.body;
  auto body = result.json();
  ASSERT_TRUE(body["requests"].is_array()) << result.body;
  ASSERT_EQ(body["requests"].size(), 3u) << result.body;
  EXPECT_TRUE(body["next_cursor"].is_null()) << result.body;
  std::vector<std::string> ids;
  for (const auto& row : body["requests"]) {
    ids.push_back(row["request_id"]);
    EXPECT_EQ(row["caller"], "olga") << row;
    EXPECT_EQ(row["state"], "complete") << row;
    EXPECT_EQ(row["agent"], "rpcutil") << row;
    EXPECT_FALSE(row.contains("no_response")) << row;
  }
  EXPECT_EQ(ids, newest_first(olga_requests_));
}

TEST_F(History, PagesOneAtATime) {
  EXPECT_EQ(history_ids(*stack_, olga_token_, "/v1/requests?limit=1"),
            newest_first(olga_requests_));
}

TEST_F(History, OtherCallerIsEmptyWithoutReadAll) {
  auto ids = history_ids(*stack_, olga_token_, "/v1/requests?caller=admin");
  EXPECT_TRUE(ids.empty());
  // The admin role of init grants no read access to others either.
  ids = history_ids(*stack_, admin_token_, "/v1/requests");
  EXPECT_EQ(ids, std::vector<std::string>{admin_request_});
}

TEST_F(History, ReadAllRoleSeesEveryone) {
  auto vera_token = stack_->login(vera.username, vera.password);
  ASSERT_FALSE(vera_token.empty());
  auto all = history_ids(*stack_, vera_token, "/v1/requests?limit=2");
  std::vector<std::string> expected = {admin_request_};
  for (auto it = olga_requests_.rbegin(); it != olga_requests_.rend(); ++it)
    expected.push_back(*it);
  EXPECT_EQ(all, expected);
  EXPECT_EQ(history_ids(*stack_, vera_token, "/v1/requests?caller=admin"),
            std::vector<std::string>{admin_request_});
  EXPECT_EQ(history_ids(*stack_, vera_token,
                        "/v1/requests?action=ping&state=complete"),
            newest_first(olga_requests_));

  // Status and replies of another user's request are visible too.
  auto status = get_as(*stack_, vera_token, "/v1/requests/" + admin_request_);
  EXPECT_EQ(status.status, 200u) << status.body;
  auto replies = get_as(*stack_, vera_token,
                        "/v1/requests/" + admin_request_ + "/replies");
  EXPECT_EQ(replies.status, 200u) << replies.body;
}

TEST_F(History, OtherUsersRequestIsNotFound) {
  auto status = get_as(*stack_, olga_token_, "/v1/requests/" + admin_request_);
  EXPECT_EQ(status.status, 404u) << status.body;
  auto replies = get_as(*stack_, olga_token_,
                        "/v1/requests/" + admin_request_ + "/replies");
  EXPECT_EQ(replies.status, 404u) << replies.body;
  auto replay = post_as(*stack_, olga_token_,
                        "/v1/requests/" + admin_request_ + "/replay", "{}");
  EXPECT_EQ(replay.status, 404u) << replay.body;
}

TEST_F(History, FiltersByStateAndTime) {
  EXPECT_TRUE(
      history_ids(*stack_, olga_token_, "/v1/requests?state=running").empty());
  EXPECT_EQ(history_ids(*stack_, olga_token_,
                        "/v1/requests?state=complete&since=0"),
            newest_first(olga_requests_));
  EXPECT_TRUE(history_ids(*stack_, olga_token_,
                          "/v1/requests?until=2000-01-01T00:00:00Z")
                  .empty());
  EXPECT_TRUE(
      history_ids(*stack_, olga_token_, "/v1/requests?since=4102444800")
          .empty());
}

TEST_F(History, CursorOfAnotherQueryIsRejected) {
  auto first = get_as(*stack_, olga_token_, "/v1/requests?limit=1");
  ASSERT_EQ(first.status, 200u) << first.body;
  auto cursor = first.json()["next_cursor"];
  ASSERT_TRUE(cursor.is_string()) << first.body;
  auto other = get_as(*stack_, olga_token_,
                      "/v1/requests?limit=1&state=complete&cursor=" +
                          cursor.get<std::string>());
  EXPECT_EQ(other.status, 400u) << other.body;
  EXPECT_EQ(error_message(other.json()), "invalid cursor") << other.body;
}

TEST_F(History, BadParametersNameTheParameter) {
  const std::pair<const char*, const char*> cases[] = {
      {"/v1/requests?since=yesterday", "since"},
      {"/v1/requests?until=2026-13-01T00:00:00Z", "until"},
      {"/v1/requests?state=done", "state"},
      {"/v1/requests?limit=0", "limit"},
      {"/v1/requests?limit=abc", "limit"},
  };
  for (const auto& [target, parameter] : cases) {
    auto result = get_as(*stack_, olga_token_, target);
    EXPECT_EQ(result.status, 400u) << target << ": " << result.body;
    EXPECT_EQ(error_message(result.json()).rfind(parameter, 0), 0u)
        << target << ": " << result.body;
  }
}

TEST_F(History, NeedsAToken) {
  auto result = get_as(*stack_, "", "/v1/requests");
  EXPECT_EQ(result.status, 401u) << result.body;
}

}  // namespace
}  // namespace gateway::integration
