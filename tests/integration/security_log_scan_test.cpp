// Secrets never reach the gateway's log: after a run through logins, failed
// and throttled logins, requests, forged tokens, API keys, logout and
// revocation at debug level, the log contains none of the passwords, tokens,
// keys or Authorization headers that were used.
#include <fstream>

#include <gtest/gtest.h>

#include "gateway_stack.hpp"

namespace gateway::integration {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The base64 lines of a PEM block, long enough not to match by chance.
std::vector<std::string> pem_lines(const std::string& pem) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < pem.size()) {
    auto end = pem.find('\n', start);
    if (end == std::string::npos) end = pem.size();
    auto line = pem.substr(start, end - start);
    if (line.size() >= 40 && line.rfind("-----", 0) != 0) lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

http_result call(const gateway_stack& stack, const std::string& method,
                 const std::string& target, const std::string& token,
                 const std::string& body = "") {
  http_call request;
  request.method = method;
  request.target = target;
  request.bearer_token = token;
  request.body = body;
  return stack.http(request);
}

TEST(SecurityLogScan, NoSecretInGatewayLog) {
  stack_options options;
  options.fleet_size = 2;
  options.users.push_back({"dave", "dave-password-7", {"rpcutil.*"}, {}});
  options.extra_config = {"loglevel = debug",
                          "gateway.throttle.user_failures = 2"};
  gateway_stack stack(options);
  std::string error;
  ASSERT_TRUE(stack.start(&error)) << error;

  // Secrets the run uses.
  std::vector<std::string> secrets = {stack.admin_password(), "dave-password-7",
                                      "wrong-password-31337"};
  const auto admin = stack.login_admin();
  const auto dave = stack.login("dave", "dave-password-7");
  ASSERT_FALSE(admin.empty());
  ASSERT_FALSE(dave.empty());
  for (const auto& token : {admin, dave}) {
    secrets.push_back(token);
    secrets.push_back(token.substr(token.rfind('.') + 1));  // signature
  }

  // Failed and throttled logins, with the password in the body.
  const auto bad_login =
      json{{"username", "dave"}, {"password", "wrong-password-31337"}}.dump();
  for (int i = 0; i < 3; ++i)
    (void)call(stack, "POST", "/v1/login", "", bad_login);

  // Requests, with and without valid tokens.
  auto request_id =
      stack.submit_accepted(dave, {{"agent", "rpcutil"}, {"action", "ping"}});
  ASSERT_FALSE(request_id.empty());
  (void)stack.await_finished(dave, request_id, 30s);
  const std::string forged = dave.substr(0, dave.rfind('.') + 1) +
                             "forgedsignatureforgedsignatureforgedsig";
  secrets.push_back(forged.substr(forged.rfind('.') + 1));
  EXPECT_EQ(stack.status(forged, request_id).status, 401u);
  EXPECT_EQ(call(stack, "GET", "/v1/requests/" + request_id,
                 "not-a-jwt-but-secret-looking-0123456789")
                .status,
            401u);
  secrets.push_back("not-a-jwt-but-secret-looking-0123456789");
  EXPECT_EQ(call(stack, "POST", "/v1/requests", admin,
                 R"({"agent":"rpcutil","action":"nope"})")
                .status,
            400u);

  // API keys: created, used, expired, forged, deleted and revoked with
  // their owner.
  auto add_key = [&](const json& body) {
    auto created = call(stack, "POST", "/v1/apikeys", admin, body.dump());
    EXPECT_EQ(created.status, 201u) << created.body;
    auto key = created.json().value("key", "");
    if (!key.empty()) {
      secrets.push_back(key);
      secrets.push_back(key.substr(21));  // after "cgw_", the id and "_"
    }
    return created.json();
  };
  const json key_order = {
      {"owner", "dave"}, {"name", "scan"}, {"scope", {"rpcutil.ping"}}};
  auto lasting = add_key(key_order);
  json brief_order = key_order;
  brief_order["expires_in"] = 1;
  auto brief = add_key(brief_order);
  auto deleted = add_key(key_order);
  const json ping_one = {{"agent", "rpcutil"},
                         {"action", "ping"},
                         {"nodes", {"node-1.example.net"}}};
  EXPECT_EQ(stack.submit(lasting.value("key", ""), ping_one).status, 202u);
  EXPECT_TRUE(wait_until(
      [&] {
        return stack.submit(brief.value("key", ""), ping_one).status == 401u;
      },
      10s));
  std::string forged_key = lasting.value("key", "");
  if (!forged_key.empty())
    forged_key.back() = forged_key.back() == 'A' ? 'B' : 'A';
  secrets.push_back(forged_key.substr(21));
  EXPECT_EQ(stack.submit(forged_key, ping_one).status, 401u);
  EXPECT_EQ(
      call(stack, "DELETE", "/v1/apikeys/" + deleted.value("id", "none"), admin)
          .status,
      204u);
  EXPECT_EQ(stack.submit(deleted.value("key", ""), ping_one).status, 401u);

  // Logout and revocation.
  EXPECT_EQ(call(stack, "POST", "/v1/logout", dave).status, 204u);
  EXPECT_EQ(call(stack, "POST", "/v1/admin/users/dave/revoke", admin).status,
            204u);

  // Key material from the set-up.
  auto token_secret = read_file(stack.setup_file("token.secret"));
  token_secret.erase(token_secret.find_last_not_of(" \n") + 1);
  ASSERT_EQ(token_secret.size(), 64u);
  secrets.push_back(token_secret);
  for (const auto& line :
       pem_lines(read_file(stack.setup_file("gateway-key.pem"))))
    secrets.push_back(line);

  const auto log = stack.gateway_log();
  ASSERT_FALSE(log.empty());
  for (const auto& secret : secrets) {
    ASSERT_GE(secret.size(), 8u);
    EXPECT_EQ(log.find(secret), std::string::npos)
        << "the gateway log contains a secret starting with "
        << secret.substr(0, 4);
  }
  for (const char* header : {"Authorization", "authorization", "Bearer ey"})
    EXPECT_EQ(log.find(header), std::string::npos) << header;
  EXPECT_NE(log.find("dave"), std::string::npos) << "the log was read";
}

}  // namespace
}  // namespace gateway::integration
