// Input the gateway once accepted leniently or rejected with a vague
// message: bodies that are not valid JSON, duplicate keys, unknown keys in
// a fact filter. Each gets 400 invalid_request with a message naming the
// problem and its place.
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

}  // namespace
}  // namespace gateway::integration
