// Authentication and authorization over HTTP: rejected tokens and logins,
// RBAC denials, and requests hidden from other users.
#include <ctime>

#include <gtest/gtest.h>

#include "gateway/auth/token_authority.hpp"
#include "gateway/common/encoding.hpp"
#include "gateway_stack.hpp"
#include "reply_checks.hpp"

namespace gateway::integration {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

const extra_user operator_user{"olga", "olga-password-1", {"rpcutil.*"}, {}};
const extra_user other_user{"bob", "bob-password-1", {}, {"admin"}};

class GatewayAccess : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    stack_options options;
    options.fleet_size = 3;
    options.users = {operator_user, other_user};
    stack_ = new gateway_stack(options);
    started_ = stack_->start(&start_error_);
  }
  static void TearDownTestSuite() {
    delete stack_;
    stack_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(started_) << start_error_; }

  // Sends GET target with token as the bearer token, or without an
  // Authorization header when token is empty.
  static http_result get_with_token(const std::string& target,
                                    const std::string& token) {
    http_call call;
    call.target = target;
    call.bearer_token = token;
    return stack_->http(call);
  }

  static http_result login_raw(const std::string& username,
                               const std::string& password) {
    http_call call;
    call.method = "POST";
    call.target = "/v1/login";
    call.body = json{{"username", username}, {"password", password}}.dump();
    return stack_->http(call);
  }

  static gateway_stack* stack_;
  static bool started_;
  static std::string start_error_;
};

gateway_stack* GatewayAccess::stack_ = nullptr;
bool GatewayAccess::started_ = false;
std::string GatewayAccess::start_error_;

const std::string some_request = "/v1/requests/" + std::string(32, 'a');

TEST_F(GatewayAccess, MissingTokenIsUnauthorized) {
  auto status = get_with_token(some_request, "");
  EXPECT_EQ(status.status, 401u) << status.body;
  EXPECT_EQ(error_code(status.json()), "unauthorized") << status.body;

  auto submit = stack_->submit("", {{"agent", "rpcutil"}, {"action", "ping"}});
  EXPECT_EQ(submit.status, 401u) << submit.body;
}

TEST_F(GatewayAccess, OtherSchemesAreNamedWithoutEchoingThem) {
  http_call call;
  call.target = some_request;
  call.headers = {{"Authorization", "Basic b2xnYTpvbGdhLXBhc3N3b3JkLTE="}};
  auto result = stack_->http(call);
  EXPECT_EQ(result.status, 401u) << result.body;
  EXPECT_NE(result.body.find("holds no bearer token"), std::string::npos)
      << result.body;
  EXPECT_EQ(result.body.find("b2xnYT"), std::string::npos) << result.body;
}

TEST_F(GatewayAccess, HeadIsAnsweredLikeGet) {
  http_call call;
  call.method = "HEAD";
  call.target = "/healthz";
  auto result = stack_->http(call);
  EXPECT_EQ(result.status, 200u) << result.error;
  EXPECT_TRUE(result.body.empty()) << result.body;

  call.method = "DELETE";
  result = stack_->http(call);
  EXPECT_EQ(result.status, 405u) << result.body;
}

TEST_F(GatewayAccess, GarbageTokenIsUnauthorized) {
  for (const std::string token : {"garbage", "a.b.c", "Zm9v.YmFy.YmF6"}) {
    auto result = get_with_token(some_request, token);
    EXPECT_EQ(result.status, 401u) << token << ": " << result.body;
    EXPECT_EQ(error_code(result.json()), "unauthorized") << result.body;
  }
}

TEST_F(GatewayAccess, TokenOfAnotherSecretIsUnauthorized) {
  // A well-formed token for admin, signed with a secret the gateway lacks.
  std::string error;
  auto foreign = auth::token_authority::create(std::string(48, 'k'),
                                               auth::token_settings{}, &error);
  ASSERT_NE(foreign, nullptr) << error;
  auto forged = foreign->issue("admin", std::time(nullptr));

  auto result = get_with_token(some_request, forged.token);
  EXPECT_EQ(result.status, 401u) << result.body;
  EXPECT_EQ(error_code(result.json()), "unauthorized") << result.body;
}

TEST_F(GatewayAccess, TamperedPayloadIsUnauthorized) {
  auto token = stack_->login("bob", other_user.password);
  ASSERT_FALSE(token.empty());
  auto first_dot = token.find('.');
  auto second_dot = token.find('.', first_dot + 1);
  ASSERT_NE(second_dot, std::string::npos);

  // The genuine signature over a payload whose subject became admin.
  auto payload_text =
      base64url_decode(token.substr(first_dot + 1, second_dot - first_dot - 1));
  ASSERT_TRUE(payload_text.has_value());
  json payload = json::parse(*payload_text, nullptr, false);
  ASSERT_TRUE(payload.is_object());
  payload["sub"] = "admin";
  std::string forged = token.substr(0, first_dot + 1) +
                       base64url_encode(payload.dump()) +
                       token.substr(second_dot);

  auto result = get_with_token(some_request, forged);
  EXPECT_EQ(result.status, 401u) << result.body;
  auto genuine = get_with_token(some_request, token);
  EXPECT_EQ(genuine.status, 404u) << genuine.body;
}

TEST_F(GatewayAccess, FailedLoginsLookAlike) {
  auto wrong_password = login_raw("admin", "not-the-password");
  auto unknown_user = login_raw("nobody", "not-the-password");
  EXPECT_EQ(wrong_password.status, 401u) << wrong_password.body;
  EXPECT_EQ(unknown_user.status, 401u) << unknown_user.body;
  EXPECT_EQ(wrong_password.body, unknown_user.body);
  EXPECT_EQ(error_code(wrong_password.json()), "unauthorized")
      << wrong_password.body;
}

TEST_F(GatewayAccess, AclDeniesOtherAgents) {
  auto token = stack_->login(operator_user.username, operator_user.password);
  ASSERT_FALSE(token.empty());

  auto denied = stack_->submit(token, {{"agent", "sim_test"},
                                       {"action", "run"},
                                       {"nodes", {"node-1.example.net"}}});
  EXPECT_EQ(denied.status, 403u) << denied.body;
  json body = denied.json();
  EXPECT_EQ(error_code(body), "forbidden") << denied.body;
  EXPECT_NE(error_message(body).find("sim_test"), std::string::npos)
      << denied.body;
  EXPECT_NE(error_message(body).find("olga"), std::string::npos) << denied.body;

  auto allowed = stack_->submit(token, {{"agent", "rpcutil"},
                                        {"action", "ping"},
                                        {"nodes", {"node-1.example.net"}}});
  EXPECT_EQ(allowed.status, 202u) << allowed.body;
}

TEST_F(GatewayAccess, OtherUsersRequestIsNotFound) {
  auto bob = stack_->login("bob", other_user.password);
  ASSERT_FALSE(bob.empty());
  auto request_id =
      stack_->submit_accepted(bob, {{"agent", "rpcutil"},
                                    {"action", "ping"},
                                    {"nodes", {"node-2.example.net"}}});
  ASSERT_FALSE(request_id.empty());
  json status = stack_->await_finished(bob, request_id, 30s);
  ASSERT_TRUE(status.is_object());

  auto admin = stack_->login_admin();
  ASSERT_FALSE(admin.empty());
  std::string path = "/v1/requests/" + request_id;
  auto admin_status = get_with_token(path, admin);
  EXPECT_EQ(admin_status.status, 404u) << admin_status.body;
  EXPECT_EQ(error_code(admin_status.json()), "not_found");
  auto admin_replies = get_with_token(path + "/replies", admin);
  EXPECT_EQ(admin_replies.status, 404u) << admin_replies.body;

  // An unused id also returns 404, so ids of other users cannot be probed.
  std::string unused_id(32, 'f');
  auto unused = get_with_token("/v1/requests/" + unused_id, admin);
  EXPECT_EQ(unused.status, 404u) << unused.body;

  auto own = get_with_token(path, bob);
  EXPECT_EQ(own.status, 200u) << own.body;
}

}  // namespace
}  // namespace gateway::integration
