// Token lifecycle against a real gateway: logout, admin revocation of a
// user's tokens, both surviving a restart, key rotation with a previous
// secret, and throttling of failed logins.
#include <signal.h>

#include <fstream>

#include <gtest/gtest.h>

#include "gateway/auth/secret_file.hpp"
#include "gateway/auth/token_authority.hpp"
#include "gateway/common/encoding.hpp"
#include "gateway_stack.hpp"

namespace gateway::integration {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

// A request id nobody submitted: a valid token reads 404, a rejected one 401.
const std::string unknown_request = std::string(32, 'a');

unsigned probe(const gateway_stack& stack, const std::string& token) {
  return stack.status(token, unknown_request).status;
}

http_result post(const gateway_stack& stack, const std::string& target,
                 const std::string& token) {
  http_call call;
  call.method = "POST";
  call.target = target;
  call.bearer_token = token;
  return stack.http(call);
}

bool restart(gateway_stack& stack, std::string* error) {
  if (stack.stop_gateway(SIGTERM) == -1) {
    *error = "the gateway did not stop";
    return false;
  }
  if (!stack.start_gateway(error)) return false;
  if (!stack.await_readyz(200, 30s)) {
    *error = "the gateway did not become ready\n" + stack.log_tails();
    return false;
  }
  return true;
}

stack_options with_bob() {
  stack_options options;
  options.fleet_size = 2;
  options.users.push_back({"bob", "bob-password-1", {"rpcutil.*"}, {}});
  return options;
}

TEST(SecurityToken, LogoutAndUserRevocationSurviveRestart) {
  gateway_stack stack(with_bob());
  std::string error;
  ASSERT_TRUE(stack.start(&error)) << error;
  const auto admin_old = stack.login_admin();
  const auto admin_kept = stack.login_admin();
  const auto bob_old = stack.login("bob", "bob-password-1");
  ASSERT_FALSE(admin_old.empty());
  ASSERT_FALSE(bob_old.empty());
  ASSERT_EQ(probe(stack, admin_old), 404u);

  auto logout = post(stack, "/v1/logout", admin_old);
  EXPECT_EQ(logout.status, 204u) << logout.body;
  EXPECT_EQ(probe(stack, admin_old), 401u);
  EXPECT_EQ(post(stack, "/v1/logout", admin_old).status, 401u);
  EXPECT_EQ(probe(stack, admin_kept), 404u);

  auto denied = post(stack, "/v1/admin/users/admin/revoke", bob_old);
  EXPECT_EQ(denied.status, 403u) << denied.body;
  EXPECT_EQ(probe(stack, admin_kept), 404u);

  auto revoked = post(stack, "/v1/admin/users/bob/revoke", admin_kept);
  EXPECT_EQ(revoked.status, 204u) << revoked.body;
  EXPECT_EQ(probe(stack, bob_old), 401u);
  const auto bob_new = stack.login("bob", "bob-password-1");
  EXPECT_EQ(probe(stack, bob_new), 404u);

  auto unknown = post(stack, "/v1/admin/users/nobody/revoke", admin_kept);
  EXPECT_EQ(unknown.status, 404u) << unknown.body;

  ASSERT_TRUE(restart(stack, &error)) << error;
  EXPECT_EQ(probe(stack, admin_old), 401u);
  EXPECT_EQ(probe(stack, bob_old), 401u);
  EXPECT_EQ(probe(stack, admin_kept), 404u);
  EXPECT_EQ(probe(stack, bob_new), 404u);
}

// Issues a token for admin signed with the gateway's own secret, from an
// authority with the given lifetime whose admin generation is generation.
std::string self_signed(const gateway_stack& stack,
                        std::int64_t lifetime_seconds,
                        std::uint64_t generation) {
  std::string error;
  auto secret = auth::load_secret(stack.setup_file("token.secret"), &error);
  EXPECT_TRUE(secret) << error;
  if (!secret) return "";
  auth::token_settings settings;
  settings.lifetime_seconds = lifetime_seconds;
  auto authority =
      auth::token_authority::create(secret->bytes, settings, &error);
  EXPECT_NE(authority, nullptr) << error;
  if (!authority) return "";
  authority->restore_user_revocation("admin", generation);
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  return authority->issue("admin", now).token;
}

TEST(SecurityToken, SelfSignedClaimsBeyondRulesRejected) {
  gateway_stack stack(with_bob());
  std::string error;
  ASSERT_TRUE(stack.start(&error)) << error;

  // init configures gateway.token.lifetime = 3600, and admin's token
  // generation is 0.
  EXPECT_EQ(probe(stack, self_signed(stack, 3600, 0)), 404u);
  EXPECT_EQ(probe(stack, self_signed(stack, 3601, 0)), 401u);
  EXPECT_EQ(probe(stack, self_signed(stack, 30 * 24 * 3600, 0)), 401u);
  EXPECT_EQ(probe(stack, self_signed(stack, 3600, 1)), 401u);
}

TEST(SecurityToken, RotatedSecretKeepsOldTokensValid) {
  gateway_stack stack(with_bob());
  std::string error;
  ASSERT_TRUE(stack.start(&error)) << error;
  const auto signed_by_old = stack.login_admin();
  ASSERT_FALSE(signed_by_old.empty());

  // Rotate: a new signing secret, the old one kept for verification. Later
  // keys in the configuration replace earlier ones.
  {
    std::ofstream secret(stack.setup_file("token-2.secret"));
    secret << hex_encode(random_bytes(32)) << "\n";
  }
  ASSERT_EQ(::chmod(stack.setup_file("token-2.secret").c_str(), 0600), 0);
  {
    std::ofstream config(stack.setup_file("gateway.conf"), std::ios::app);
    config << "gateway.token.secret_file = token-2.secret\n"
           << "gateway.token.previous_secret_files = token.secret\n";
  }
  ASSERT_TRUE(restart(stack, &error)) << error;
  EXPECT_EQ(probe(stack, signed_by_old), 404u);
  const auto signed_by_new = stack.login_admin();
  EXPECT_EQ(probe(stack, signed_by_new), 404u);
  EXPECT_NE(signed_by_new.substr(0, signed_by_new.find('.')),
            signed_by_old.substr(0, signed_by_old.find('.')))
      << "the header names another kid";

  // Retire the old secret: its tokens stop verifying.
  {
    std::ofstream config(stack.setup_file("gateway.conf"), std::ios::app);
    config << "gateway.token.previous_secret_files =\n";
  }
  ASSERT_TRUE(restart(stack, &error)) << error;
  EXPECT_EQ(probe(stack, signed_by_old), 401u);
  EXPECT_EQ(probe(stack, signed_by_new), 404u);
}

http_result login_call(const gateway_stack& stack, const std::string& username,
                       const std::string& password) {
  http_call call;
  call.method = "POST";
  call.target = "/v1/login";
  call.body = json{{"username", username}, {"password", password}}.dump();
  return stack.http(call);
}

TEST(SecurityToken, FailedLoginsThrottledPerUsername) {
  auto options = with_bob();
  options.extra_config = {"gateway.throttle.user_failures = 3",
                          "gateway.throttle.window = 600"};
  gateway_stack stack(options);
  std::string error;
  ASSERT_TRUE(stack.start(&error)) << error;

  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(login_call(stack, "bob", "wrong").status, 401u) << i;
  auto throttled = login_call(stack, "bob", "bob-password-1");
  EXPECT_EQ(throttled.status, 429u) << throttled.body;
  const auto retry_after = throttled.header("Retry-After");
  ASSERT_FALSE(retry_after.empty());
  EXPECT_GT(std::stoi(retry_after), 0);
  EXPECT_LE(std::stoi(retry_after), 600);
  EXPECT_EQ(throttled.json()["error"]["code"], "too_many_requests");

  // Unknown usernames are throttled the same way, and other users are not.
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(login_call(stack, "nobody", "wrong").status, 401u) << i;
  EXPECT_EQ(login_call(stack, "nobody", "wrong").status, 429u);
  EXPECT_EQ(login_call(stack, "admin", stack.admin_password()).status, 200u);
}

TEST(SecurityToken, FailedLoginsThrottledPerAddress) {
  auto options = with_bob();
  options.extra_config = {"gateway.throttle.address_failures = 4"};
  gateway_stack stack(options);
  std::string error;
  ASSERT_TRUE(stack.start(&error)) << error;

  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(login_call(stack, "user" + std::to_string(i), "x").status, 401u);
  auto throttled = login_call(stack, "bob", "bob-password-1");
  EXPECT_EQ(throttled.status, 429u) << throttled.body;
  EXPECT_FALSE(throttled.header("Retry-After").empty());
}

}  // namespace
}  // namespace gateway::integration
