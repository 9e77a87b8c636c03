// The audit trail over HTTP. Only roles with the audit permission read
// it. It lists logins, failed logins, denials, submissions and replays,
// filtered by caller, kind and time, newest first and paged.
#include <gtest/gtest.h>

#include "gateway_stack.hpp"
#include "history_support.hpp"
#include "process.hpp"
#include "reply_checks.hpp"

namespace gateway::integration {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

const extra_user olga{"olga", "olga-password-1", {"rpcutil.*"}, {}};
const extra_user alma{"alma", "alma-password-1", {}, {"auditor"}};

class Audit : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    stack_options options;
    options.fleet_size = 2;
    options.users = {olga, alma};
    options.extra_roles = {{"auditor", {{"allow", json::array()},
                                        {"read", {"audit"}}}}};
    stack_ = new gateway_stack(options);
    started_ = stack_->start(&start_error_);
  }
  static void TearDownTestSuite() {
    delete stack_;
    stack_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(started_) << start_error_; }

  // Every audit entry of target's pages, newest first.
  std::vector<json> read_audit(const std::string& token,
                               const std::string& target) {
    std::vector<json> entries;
    std::string cursor;
    for (int pages = 0; pages < 100; ++pages) {
      auto result = get_as(*stack_, token,
                           target + (cursor.empty() ? "" : "&cursor=" + cursor));
      EXPECT_EQ(result.status, 200u) << result.body;
      if (result.status != 200) break;
      auto body = result.json();
      for (const auto& entry : body["entries"]) entries.push_back(entry);
      if (!body["next_cursor"].is_string()) break;
      cursor = body["next_cursor"].get<std::string>();
    }
    return entries;
  }

  static gateway_stack* stack_;
  static bool started_;
  static std::string start_error_;
};

gateway_stack* Audit::stack_ = nullptr;
bool Audit::started_ = false;
std::string Audit::start_error_;

TEST_F(Audit, NeedsTheAuditPermission) {
  auto olga_token = stack_->login(olga.username, olga.password);
  ASSERT_FALSE(olga_token.empty());
  auto result = get_as(*stack_, olga_token, "/v1/audit");
  EXPECT_EQ(result.status, 403u) << result.body;
  EXPECT_NE(error_message(result.json()).find("audit"), std::string::npos)
      << result.body;
  auto admin = get_as(*stack_, stack_->login_admin(), "/v1/audit");
  EXPECT_EQ(admin.status, 403u) << admin.body;
  EXPECT_EQ(get_as(*stack_, "", "/v1/audit").status, 401u);
}

TEST_F(Audit, ListsWhoDidWhat) {
  http_call bad_login;
  bad_login.method = "POST";
  bad_login.target = "/v1/login";
  bad_login.body = R"({"username":"olga","password":"wrong"})";
  EXPECT_EQ(stack_->http(bad_login).status, 401u);
  auto olga_token = stack_->login(olga.username, olga.password);
  ASSERT_FALSE(olga_token.empty());
  auto request_id = stack_->submit_accepted(
      olga_token, {{"agent", "rpcutil"},
                   {"action", "ping"},
                   {"nodes", {"node-1.example.net"}}});
  auto denied = stack_->submit(olga_token,
                               {{"agent", "sim_test"},
                                {"action", "run"},
                                {"nodes", {"node-1.example.net"}}});
  EXPECT_EQ(denied.status, 403u) << denied.body;
  (void)stack_->await_finished(olga_token, request_id, 30s);
  auto replay = post_as(*stack_, olga_token,
                        "/v1/requests/" + request_id + "/replay", "{}");
  ASSERT_EQ(replay.status, 202u) << replay.body;
  std::string replay_id = replay.json()["request_id"];

  auto alma_token = stack_->login(alma.username, alma.password);
  ASSERT_FALSE(alma_token.empty());
  // Logins and denials are appended after the response, so await them.
  // Older entries of olga, from the tests before this one, may follow.
  std::vector<json> entries;
  bool listed = wait_until(
      [&] {
        entries = read_audit(alma_token, "/v1/audit?caller=olga&limit=2");
        return entries.size() >= 5;
      },
      10s);
  ASSERT_TRUE(listed) << entries.size() << " entries";
  std::vector<std::string> kinds;
  for (std::size_t i = 0; i < 5; ++i) kinds.push_back(entries[i]["kind"]);
  EXPECT_EQ(kinds, (std::vector<std::string>{"replayed", "denied", "submitted",
                                             "login", "login_failed"}));
  EXPECT_EQ(entries[0]["request_id"], replay_id);
  EXPECT_EQ(entries[0]["details"]["replay_of"], request_id);
  EXPECT_EQ(entries[1]["details"]["agent"], "sim_test");
  EXPECT_EQ(entries[2]["request_id"], request_id);
  EXPECT_EQ(entries[3]["details"]["address"], "127.0.0.1");
  for (const auto& entry : entries) EXPECT_EQ(entry["caller"], "olga");

  // Filters by kind and by time.
  auto denials = read_audit(alma_token, "/v1/audit?kind=denied");
  ASSERT_EQ(denials.size(), 1u);
  EXPECT_EQ(denials[0]["caller"], "olga");
  EXPECT_TRUE(
      read_audit(alma_token, "/v1/audit?until=2000-01-01T00:00:00Z").empty());
  std::vector<json> logins;
  bool logged = wait_until(
      [&] {
        logins = read_audit(alma_token, "/v1/audit?kind=login&caller=alma");
        return !logins.empty();
      },
      10s);
  ASSERT_TRUE(logged);
  EXPECT_EQ(logins[0]["caller"], "alma");
}

TEST_F(Audit, BadParametersNameTheParameter) {
  auto alma_token = stack_->login(alma.username, alma.password);
  ASSERT_FALSE(alma_token.empty());
  const std::pair<const char*, const char*> cases[] = {
      {"/v1/audit?kind=everything", "kind"},
      {"/v1/audit?since=soon", "since"},
      {"/v1/audit?limit=-1", "limit"},
      {"/v1/audit?cursor=abc", "invalid cursor"},
  };
  for (const auto& [target, start] : cases) {
    auto result = get_as(*stack_, alma_token, target);
    EXPECT_EQ(result.status, 400u) << target << ": " << result.body;
    EXPECT_EQ(error_message(result.json()).rfind(start, 0), 0u)
        << target << ": " << result.body;
  }
}

}  // namespace
}  // namespace gateway::integration
