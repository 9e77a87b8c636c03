// API keys against a real gateway: created by an admin within the owner's
// permissions, shown once, stored as hashes, usable as bearer tokens only
// within their scope, listable, revocable, and kept across a restart.
#include <signal.h>
#include <sys/stat.h>

#include <fstream>

#include <gtest/gtest.h>

#include "gateway_stack.hpp"

namespace gateway::integration {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

http_result send(const gateway_stack& stack, const std::string& method,
                 const std::string& target, const std::string& token,
                 const json& body = nullptr) {
  http_call call;
  call.method = method;
  call.target = target;
  call.bearer_token = token;
  if (!body.is_null()) call.body = body.dump();
  return stack.http(call);
}

const json ping_one = {{"agent", "rpcutil"},
                       {"action", "ping"},
                       {"nodes", {"node-1.example.net"}}};

TEST(SecurityApiKey, ScopedKeyLifecycle) {
  stack_options options;
  options.fleet_size = 2;
  options.users.push_back({"erin", "erin-password-5", {"rpcutil.*"}, {}});
  gateway_stack stack(options);
  std::string error;
  ASSERT_TRUE(stack.start(&error)) << error;
  const auto admin = stack.login_admin();
  const auto erin = stack.login("erin", "erin-password-5");

  auto created = send(stack, "POST", "/v1/apikeys", admin,
                      {{"owner", "erin"},
                       {"name", "nightly ping"},
                       {"scope", {"rpcutil.ping"}}});
  ASSERT_EQ(created.status, 201u) << created.body;
  const auto key = created.json()["key"].get<std::string>();
  const auto id = created.json()["id"].get<std::string>();
  EXPECT_EQ(key.rfind("cgw_", 0), 0u) << key;

  // Within its scope, and outside it.
  EXPECT_EQ(stack.submit(key, ping_one).status, 202u);
  auto outside = stack.submit(
      key, {{"agent", "rpcutil"}, {"action", "inventory"},
            {"nodes", {"node-1.example.net"}}});
  EXPECT_EQ(outside.status, 403u) << outside.body;
  EXPECT_NE(outside.body.find("outside its scope"), std::string::npos);
  EXPECT_EQ(send(stack, "POST", "/v1/logout", key).status, 400u);

  // Only admins create keys, and only within the owner's permissions.
  EXPECT_EQ(send(stack, "POST", "/v1/apikeys", erin,
                 {{"owner", "erin"}, {"name", "x"}, {"scope", {"rpcutil.*"}}})
                .status,
            403u);
  EXPECT_EQ(send(stack, "POST", "/v1/apikeys", key,
                 {{"owner", "erin"}, {"name", "x"}, {"scope", {"rpcutil.*"}}})
                .status,
            403u);
  auto beyond = send(stack, "POST", "/v1/apikeys", admin,
                     {{"owner", "erin"}, {"name", "x"}, {"scope", {"*"}}});
  EXPECT_EQ(beyond.status, 400u) << beyond.body;
  EXPECT_NE(beyond.body.find("not within the permissions"), std::string::npos);
  auto bad = send(stack, "POST", "/v1/apikeys", admin,
                  {{"owner", "erin"}, {"name", "x"}, {"scope", "rpcutil.*"}});
  EXPECT_EQ(bad.status, 400u) << bad.body;
  EXPECT_NE(bad.body.find("scope"), std::string::npos);

  // Listed without the secret; stored only as a hash.
  auto listed = send(stack, "GET", "/v1/apikeys", admin);
  ASSERT_EQ(listed.status, 200u) << listed.body;
  ASSERT_EQ(listed.json()["api_keys"].size(), 1u);
  EXPECT_EQ(listed.json()["api_keys"][0]["id"], id);
  EXPECT_EQ(listed.body.find(key.substr(21)), std::string::npos);
  const auto file = stack.setup_file("data/api_keys.json");
  std::ifstream in(file);
  const std::string stored(std::istreambuf_iterator<char>(in), {});
  EXPECT_EQ(stored.find(key.substr(21)), std::string::npos);
  EXPECT_NE(stored.find(id), std::string::npos);
  struct stat status {};
  ASSERT_EQ(::stat(file.c_str(), &status), 0);
  EXPECT_EQ(status.st_mode & 0777, 0600u);

  // Kept across a restart, then revoked.
  ASSERT_NE(stack.stop_gateway(SIGTERM), -1);
  ASSERT_TRUE(stack.start_gateway(&error)) << error;
  ASSERT_TRUE(stack.await_readyz(200, 30s)) << stack.log_tails();
  EXPECT_EQ(stack.submit(key, ping_one).status, 202u);
  const auto admin_again = stack.login_admin();
  EXPECT_EQ(send(stack, "DELETE", "/v1/apikeys/" + id, admin_again).status,
            204u);
  EXPECT_EQ(stack.submit(key, ping_one).status, 401u);
  EXPECT_EQ(send(stack, "DELETE", "/v1/apikeys/" + id, admin_again).status,
            404u);
}

}  // namespace
}  // namespace gateway::integration
