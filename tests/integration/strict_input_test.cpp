// Input the gateway once accepted leniently or rejected with a vague
// message: bodies that are not valid JSON, duplicate keys, unknown keys in
// a fact filter, unknown or repeated history parameters, an invalid
// last_event_id, an escaped NUL in the path. Each gets 400 invalid_request
// with a message naming the problem and its place. Also the reason an API
// key gets 403 on the API key routes.
#include <gtest/gtest.h>

#include "gateway_stack.hpp"
#include "history_support.hpp"
#include "reply_checks.hpp"

namespace gateway::integration {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

class StrictInput : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    stack_options options;
    options.fleet_size = 2;
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

  // Sends body to target and expects 400 invalid_request with a message
  // that contains expected.
  void expect_rejected(const std::string& target, const std::string& body,
                       const std::string& expected) const {
    auto result = post_as(*stack_, token_, target, body);
    EXPECT_EQ(result.status, 400u)
        << target << " " << body << ": " << result.body;
    EXPECT_EQ(error_code(result.json()), "invalid_request") << result.body;
    EXPECT_NE(error_message(result.json()).find(expected), std::string::npos)
        << target << " " << body << ": " << result.body;
  }

  static gateway_stack* stack_;
  static bool started_;
  static std::string start_error_;
  std::string token_;
};

gateway_stack* StrictInput::stack_ = nullptr;
bool StrictInput::started_ = false;
std::string StrictInput::start_error_;

TEST_F(StrictInput, InvalidUtf8NamesOffset) {
  expect_rejected("/v1/requests",
                  "{\"agent\": \"rpc\xffutil\", \"action\": \"ping\"}",
                  "invalid UTF-8 at byte offset 14");
  expect_rejected("/v1/login", "{\"username\": \"\xc3(\"}",
                  "invalid UTF-8 at byte offset 14");
}

TEST_F(StrictInput, NumberOutOfRangeNamesField) {
  expect_rejected("/v1/requests",
                  R"({"agent": "rpcutil", "action": "ping", "timeout": 1e400})",
                  "timeout: the number 1e400 is out of range");
  expect_rejected("/v1/requests",
                  R"({"agent": "rpcutil", "action": "ping",
                      "data": {"count": -1e999}})",
                  "data.count: the number -1e999 is out of range");
}

TEST_F(StrictInput, SyntaxErrorIsDescribed) {
  expect_rejected("/v1/requests", R"({"agent": "rpcutil",})",
                  "the body is not valid JSON: parse error at line 1");
  expect_rejected("/v1/requests", "", "the body is empty");
}

TEST_F(StrictInput, DuplicateKeyNamesPath) {
  expect_rejected("/v1/requests",
                  R"({"agent": "rpcutil", "action": "ping", "agent": "x"})",
                  "agent: duplicate key");
  expect_rejected("/v1/requests",
                  R"({"agent": "rpcutil", "action": "ping",
                      "filter": {"fact": [{"fact": "a", "operator": "==",
                                           "value": "1", "value": "2"}]}})",
                  "filter.fact[0].value: duplicate key");
  expect_rejected("/v1/login",
                  R"({"username": "admin", "password": "x", "password": "y"})",
                  "password: duplicate key");
  expect_rejected("/v1/apikeys",
                  R"({"owner": "admin", "name": "a", "name": "b"})",
                  "name: duplicate key");
}

TEST_F(StrictInput, UnknownFactKeyIsNamed) {
  expect_rejected("/v1/requests",
                  R"({"agent": "rpcutil", "action": "ping",
                      "filter": {"fact": [{"fact": "a", "operator": "==",
                                           "value": "1"},
                                          {"fact": "b", "operator": "==",
                                           "value": "2", "foo": "x"}]}})",
                  "filter.fact[1].foo: unknown key");
}

TEST_F(StrictInput, ReplayBodyIsStrict) {
  auto request_id = stack_->submit_accepted(
      token_, {{"agent", "rpcutil"},
               {"action", "ping"},
               {"nodes", {gateway_stack::node_name(1)}}});
  ASSERT_FALSE(request_id.empty());
  ASSERT_TRUE(stack_->await_finished(token_, request_id, 30s).is_object());
  const std::string path = "/v1/requests/" + request_id + "/replay";
  expect_rejected(path, R"({"targets": "all", "targets": "failed"})",
                  "targets: duplicate key");
  expect_rejected(path, "{\"targets\": \"\xe0\x80\x80\"}",
                  "invalid UTF-8 at byte offset 13");
}

TEST_F(StrictInput, HistoryQueryIsStrict) {
  const std::pair<const char*, const char*> cases[] = {
      {"/v1/requests?agnet=rpcutil", "unknown parameter agnet"},
      {"/v1/requests?limit=5&limit=50", "limit is given more than once"},
      {"/v1/requests?agent=a&agent=b", "agent is given more than once"},
      {"/v1/requests?since=2026-12-05T00:00:00Z&until=2026-12-04T00:00:00Z",
       "since (2026-12-05T00:00:00Z) is later than until "
       "(2026-12-04T00:00:00Z)"},
  };
  for (const auto& [target, expected] : cases) {
    auto result = get_as(*stack_, token_, target);
    EXPECT_EQ(result.status, 400u) << target << ": " << result.body;
    EXPECT_EQ(error_code(result.json()), "invalid_request") << result.body;
    EXPECT_NE(error_message(result.json()).find(expected), std::string::npos)
        << target << ": " << result.body;
  }

  // Every documented parameter, and since equal to until, are accepted.
  auto all = get_as(*stack_, token_,
                    "/v1/requests?agent=rpcutil&action=ping&caller=admin&"
                    "state=complete&since=1800000000&until=1800000000&"
                    "limit=10");
  EXPECT_EQ(all.status, 200u) << all.body;
}

TEST_F(StrictInput, LastEventIdParameterIsNamed) {
  const std::string target =
      "/v1/requests/" + std::string(32, 'a') + "/events?last_event_id=abc";
  auto result = get_as(*stack_, token_, target);
  EXPECT_EQ(result.status, 400u) << result.body;
  const auto message = error_message(result.json());
  EXPECT_NE(message.find("the last_event_id parameter"), std::string::npos)
      << message;
  EXPECT_EQ(message.find("Last-Event-ID"), std::string::npos) << message;

  http_call call;
  call.target = "/v1/requests/" + std::string(32, 'a') + "/events";
  call.bearer_token = token_;
  call.headers = {{"Last-Event-ID", "abc"}};
  auto header = stack_->http(call);
  EXPECT_EQ(header.status, 400u) << header.body;
  EXPECT_NE(error_message(header.json()).find("the Last-Event-ID header"),
            std::string::npos)
      << header.body;
}

TEST_F(StrictInput, EscapedNulInPathIsInvalidRequest) {
  auto result = get_as(*stack_, token_, "/v1/requests/%00");
  EXPECT_EQ(result.status, 400u) << result.body;
  EXPECT_EQ(error_code(result.json()), "invalid_request") << result.body;
}

TEST_F(StrictInput, ApiKeyCannotManageKeysReason) {
  auto created = post_as(
      *stack_, token_, "/v1/apikeys",
      json{{"owner", "admin"}, {"name", "ci"}, {"scope", {"rpcutil.ping"}}}
          .dump());
  ASSERT_EQ(created.status, 201u) << created.body;
  const auto key = created.json()["key"].get<std::string>();

  auto listed = get_as(*stack_, key, "/v1/apikeys");
  EXPECT_EQ(listed.status, 403u) << listed.body;
  const auto message = error_message(listed.json());
  EXPECT_NE(message.find("an API key cannot manage credentials"),
            std::string::npos)
      << message;
  EXPECT_EQ(message.find("needs the admin role"), std::string::npos) << message;
}

}  // namespace
}  // namespace gateway::integration
