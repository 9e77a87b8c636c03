// Invalid submissions and page queries are rejected with 400 and a message
// naming the field. Bodies over gateway.max_body_bytes get 413.
#include <gtest/gtest.h>

#include "gateway_stack.hpp"
#include "reply_checks.hpp"

namespace gateway::integration {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

constexpr std::size_t max_body_bytes = 16384;

class RequestValidation : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    stack_options options;
    options.fleet_size = 3;
    options.extra_config = {"gateway.max_body_bytes = " +
                            std::to_string(max_body_bytes)};
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

  http_result submit_text(const std::string& body) const {
    http_call call;
    call.method = "POST";
    call.target = "/v1/requests";
    call.body = body;
    call.bearer_token = token_;
    return stack_->http(call);
  }

  http_result get(const std::string& target) const {
    http_call call;
    call.target = target;
    call.bearer_token = token_;
    return stack_->http(call);
  }

  static gateway_stack* stack_;
  static bool started_;
  static std::string start_error_;
  std::string token_;
};

gateway_stack* RequestValidation::stack_ = nullptr;
bool RequestValidation::started_ = false;
std::string RequestValidation::start_error_;

struct invalid_submit {
  const char* body;
  const char* named_field;  // the message must contain this text
};

TEST_F(RequestValidation, InvalidSubmitNamesTheField) {
  const invalid_submit cases[] = {
      {R"({"action": "ping"})", "agent"},
      {R"({"agent": "rpcutil"})", "action"},
      {R"({"agent": "rpcutil", "action": "ping", "timeout": "10"})", "timeout"},
      {R"({"agent": "rpcutil", "action": "ping", "timeout": 0})", "timeout"},
      {R"({"agent": "rpcutil", "action": "ping", "colour": "red"})", "colour"},
      {R"({"agent": "rpcutil", "action": "ping",
           "filter": {"identity": ["/[/"]}})",
       "filter.identity"},
      {R"({"agent": "rpcutil", "action": "ping", "nodes": "node-1"})", "nodes"},
      {R"({"agent": "rpcutil", "action": "ping", "data": [1]})", "data"},
      {R"({"agent": "rpcutil", "action": "ping", "data": {"bogus": 1}})",
       "data.bogus"},
      {R"({"agent": "no_such_agent", "action": "ping"})", "no_such_agent"},
      {R"({"agent": "Rpc-Util", "action": "ping"})", "agent"},
      {R"({"agent": "rpcutil", "action": 7})", "action"},
      {R"({"agent": "rpcutil", "action": "ping", "ttl": 5})", "ttl"},
      {R"({"agent": "rpcutil", "action": "ping", "discovery_timeout": 0})",
       "discovery_timeout"},
      {R"({"agent": "rpcutil", "action": "ping", "collective": "other"})",
       "collective"},
      {R"({"agent": "rpcutil", "action": "ping", "nodes": ["a b"]})",
       "nodes[0]"},
      {R"({"agent": "rpcutil", "action": "ping", "filter": []})", "filter"},
      {R"({"agent": "rpcutil", "action": "ping",
           "filter": {"compound": ["a"]}})",
       "filter.compound"},
  };
  for (const auto& item : cases) {
    auto result = submit_text(item.body);
    EXPECT_EQ(result.status, 400u) << item.body << ": " << result.body;
    json body = result.json();
    EXPECT_EQ(error_code(body), "invalid_request") << result.body;
    EXPECT_NE(error_message(body).find(item.named_field), std::string::npos)
        << item.body << ": " << result.body;
  }
}

TEST_F(RequestValidation, InvalidJsonIsBadRequest) {
  for (const char* text : {"{not json", "[]", "", "\"text\""}) {
    auto result = submit_text(text);
    EXPECT_EQ(result.status, 400u) << text << ": " << result.body;
    EXPECT_EQ(error_code(result.json()), "invalid_request") << result.body;
    EXPECT_FALSE(error_message(result.json()).empty()) << result.body;
  }
}

TEST_F(RequestValidation, InvalidPageQueryIsBadRequest) {
  auto request_id =
      stack_->submit_accepted(token_, {{"agent", "rpcutil"},
                                       {"action", "ping"},
                                       {"nodes", {"node-1.example.net"}}});
  ASSERT_FALSE(request_id.empty());
  ASSERT_TRUE(stack_->await_finished(token_, request_id, 30s).is_object());
  std::string replies = "/v1/requests/" + request_id + "/replies";

  for (const char* query :
       {"?limit=0", "?limit=abc", "?limit=-1", "?limit=1000000", "?limit="}) {
    auto result = get(replies + query);
    EXPECT_EQ(result.status, 400u) << query << ": " << result.body;
    EXPECT_NE(error_message(result.json()).find("limit"), std::string::npos)
        << query << ": " << result.body;
  }
  for (const char* query : {"?cursor=garbage", "?cursor=AAAAAAAAAAAAAAAA",
                            "?cursor=%40%40%40%40"}) {
    auto result = get(replies + query);
    EXPECT_EQ(result.status, 400u) << query << ": " << result.body;
    EXPECT_NE(error_message(result.json()).find("cursor"), std::string::npos)
        << query << ": " << result.body;
  }
  EXPECT_EQ(get(replies + "?limit=1").status, 200u);
}

TEST_F(RequestValidation, WrongMethodIsNotAllowed) {
  const std::pair<const char*, const char*> cases[] = {
      {"GET", "/v1/login"},
      {"DELETE", "/v1/requests"},
      {"POST", "/healthz"},
      {"PUT", "/v1/requests/0123456789abcdef0123456789abcdef"},
  };
  for (const auto& [method, target] : cases) {
    http_call call;
    call.method = method;
    call.target = target;
    call.bearer_token = token_;
    auto result = stack_->http(call);
    EXPECT_EQ(result.status, 405u)
        << method << " " << target << ": " << result.body;
  }
}

TEST_F(RequestValidation, CursorOfOtherRequestIsRejected) {
  std::vector<std::string> request_ids;
  for (int i = 0; i < 2; ++i) {
    request_ids.push_back(stack_->submit_accepted(
        token_, {{"agent", "rpcutil"},
                 {"action", "ping"},
                 {"nodes", {"node-1.example.net", "node-2.example.net"}}}));
    ASSERT_FALSE(request_ids.back().empty());
    ASSERT_TRUE(
        stack_->await_finished(token_, request_ids.back(), 30s).is_object());
  }

  auto first_page = get("/v1/requests/" + request_ids[0] + "/replies?limit=1");
  ASSERT_EQ(first_page.status, 200u) << first_page.body;
  json cursor = first_page.json()["next_cursor"];
  ASSERT_TRUE(cursor.is_string()) << first_page.body;

  auto foreign = get("/v1/requests/" + request_ids[1] +
                     "/replies?limit=1&cursor=" + cursor.get<std::string>());
  EXPECT_EQ(foreign.status, 400u) << foreign.body;
  EXPECT_NE(error_message(foreign.json()).find("cursor"), std::string::npos)
      << foreign.body;
}

TEST_F(RequestValidation, BodyOverLimitIsTooLarge) {
  // A valid submission padded with trailing JSON whitespace to a size.
  auto padded = [](std::size_t size) {
    json body = {{"agent", "rpcutil"},
                 {"action", "ping"},
                 {"nodes", {"node-1.example.net"}}};
    std::string text = body.dump();
    text.append(size - text.size(), ' ');
    return text;
  };

  auto at_limit = submit_text(padded(max_body_bytes));
  EXPECT_EQ(at_limit.status, 202u) << at_limit.body << at_limit.error;
  auto over_limit = submit_text(padded(max_body_bytes + 1));
  EXPECT_EQ(over_limit.status, 413u) << over_limit.body << over_limit.error;
  auto far_over = submit_text(padded(4 * max_body_bytes));
  EXPECT_EQ(far_over.status, 413u) << far_over.body << far_over.error;
}

}  // namespace
}  // namespace gateway::integration
