// API keys against a real gateway: created by an admin within the owner's
// permissions, shown once, stored as hashes, usable as bearer tokens only
// within their scope, listable, revocable, and kept across a restart.
#include <signal.h>
#include <sys/stat.h>

#include <fstream>
#include <memory>

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

// Submits ping_one with key and waits until the request finishes, so that
// no request is in flight when a test stops the gateway. Returns the final
// state, or "" after a test failure.
std::string ping_to_end(const gateway_stack& stack, const std::string& key) {
  auto request_id = stack.submit_accepted(key, ping_one);
  if (request_id.empty()) return "";
  json status = stack.await_finished(key, request_id, 30s);
  return status.is_object() ? status.value("state", "") : "";
}

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
  EXPECT_EQ(ping_to_end(stack, key), "complete");
  auto outside = stack.submit(key, {{"agent", "rpcutil"},
                                    {"action", "inventory"},
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
  ASSERT_NE(stack.stop_gateway(SIGTERM), -1) << stack.log_tails();
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

// A started stack with users erin and frank, both allowed rpcutil.*, or
// null after a test failure.
std::unique_ptr<gateway_stack> start_key_stack() {
  stack_options options;
  options.fleet_size = 2;
  options.users.push_back({"erin", "erin-password-5", {"rpcutil.*"}, {}});
  options.users.push_back({"frank", "frank-password-6", {"rpcutil.*"}, {}});
  auto stack = std::make_unique<gateway_stack>(options);
  std::string error;
  if (stack->start(&error)) return stack;
  ADD_FAILURE() << error;
  return nullptr;
}

// Creates a key for owner and returns the response body, or null after a
// test failure.
json create_key(const gateway_stack& stack, const std::string& admin,
                const std::string& owner, json extra = json::object()) {
  json body = {
      {"owner", owner}, {"name", "automation"}, {"scope", {"rpcutil.ping"}}};
  body.update(extra);
  auto created = send(stack, "POST", "/v1/apikeys", admin, body);
  EXPECT_EQ(created.status, 201u) << created.body;
  if (created.status != 201u) return nullptr;
  return created.json();
}

// Fails the test when the gateway's log contains a key or its secret part.
void expect_keys_not_logged(const gateway_stack& stack,
                            const std::vector<json>& created) {
  const auto log = stack.gateway_log();
  ASSERT_FALSE(log.empty());
  for (const auto& body : created) {
    const auto key = body.value("key", "");
    ASSERT_FALSE(key.empty()) << body;
    EXPECT_EQ(log.find(key), std::string::npos) << "key " << body["id"];
    // The secret follows "cgw_", the 16-digit id and "_".
    EXPECT_EQ(log.find(key.substr(21)), std::string::npos)
        << "the secret of key " << body["id"];
  }
}

TEST(SecurityApiKey, ExpiryAtCreation) {
  auto stack = start_key_stack();
  ASSERT_NE(stack, nullptr);
  const auto admin = stack->login_admin();

  auto lasting = create_key(*stack, admin, "erin", {{"expires_in", 3600}});
  ASSERT_TRUE(lasting.is_object());
  ASSERT_TRUE(lasting["expires_at"].is_number_integer()) << lasting;
  EXPECT_EQ(lasting["expires_at"].get<std::int64_t>(),
            lasting["created_at"].get<std::int64_t>() + 3600);
  EXPECT_EQ(stack->submit(lasting["key"], ping_one).status, 202u);
  auto endless = create_key(*stack, admin, "erin");
  ASSERT_TRUE(endless.is_object());
  EXPECT_FALSE(endless.contains("expires_at")) << endless;

  auto listed = send(*stack, "GET", "/v1/apikeys", admin).json();
  ASSERT_EQ(listed["api_keys"].size(), 2u) << listed;
  std::size_t expiring = 0;
  for (const auto& entry : listed["api_keys"])
    expiring += entry.contains("expires_at") ? 1 : 0;
  EXPECT_EQ(expiring, 1u) << listed;

  // A key of one second is rejected with 401 once it has expired.
  auto brief = create_key(*stack, admin, "erin", {{"expires_in", 1}});
  ASSERT_TRUE(brief.is_object());
  http_result rejected;
  EXPECT_TRUE(wait_until(
      [&] {
        rejected = stack->submit(brief["key"], ping_one);
        return rejected.status == 401u;
      },
      10s))
      << rejected.status << " " << rejected.body;
  EXPECT_NE(rejected.body.find("expired"), std::string::npos) << rejected.body;
  EXPECT_EQ(stack->submit(lasting["key"], ping_one).status, 202u);
  expect_keys_not_logged(*stack, {lasting, endless, brief});
}

TEST(SecurityApiKey, InvalidExpiryRejected) {
  auto stack = start_key_stack();
  ASSERT_NE(stack, nullptr);
  const auto admin = stack->login_admin();
  for (const json& value : {json(0), json(-5), json(366 * 86400 + 1),
                            json("60"), json(1.5), json(nullptr)}) {
    auto result = send(*stack, "POST", "/v1/apikeys", admin,
                       {{"owner", "erin"},
                        {"name", "x"},
                        {"scope", {"rpcutil.ping"}},
                        {"expires_in", value}});
    EXPECT_EQ(result.status, 400u) << value << " " << result.body;
    EXPECT_NE(result.body.find("expires_in"), std::string::npos) << result.body;
  }
  auto listed = send(*stack, "GET", "/v1/apikeys", admin).json();
  EXPECT_TRUE(listed["api_keys"].empty()) << listed;
}

TEST(SecurityApiKey, UserRevocationRevokesKeys) {
  auto stack = start_key_stack();
  ASSERT_NE(stack, nullptr);
  const auto admin = stack->login_admin();
  auto erin_first = create_key(*stack, admin, "erin");
  auto erin_second = create_key(*stack, admin, "erin", {{"expires_in", 600}});
  auto frank = create_key(*stack, admin, "frank");
  ASSERT_TRUE(erin_first.is_object());
  ASSERT_TRUE(erin_second.is_object());
  ASSERT_TRUE(frank.is_object());
  ASSERT_EQ(ping_to_end(*stack, erin_first["key"]), "complete");

  auto revoked = send(*stack, "POST", "/v1/admin/users/erin/revoke", admin);
  ASSERT_EQ(revoked.status, 204u) << revoked.body;
  EXPECT_EQ(stack->submit(erin_first["key"], ping_one).status, 401u);
  EXPECT_EQ(stack->submit(erin_second["key"], ping_one).status, 401u);
  EXPECT_EQ(ping_to_end(*stack, frank["key"]), "complete");
  auto listed = send(*stack, "GET", "/v1/apikeys", admin).json();
  ASSERT_EQ(listed["api_keys"].size(), 1u) << listed;
  EXPECT_EQ(listed["api_keys"][0]["owner"], "frank");

  // Still revoked after a restart; erin may log in and get new keys.
  std::string error;
  ASSERT_NE(stack->stop_gateway(SIGTERM), -1) << stack->log_tails();
  ASSERT_TRUE(stack->start_gateway(&error)) << error;
  ASSERT_TRUE(stack->await_readyz(200, 30s)) << stack->log_tails();
  EXPECT_EQ(stack->submit(erin_first["key"], ping_one).status, 401u);
  EXPECT_EQ(stack->submit(erin_second["key"], ping_one).status, 401u);
  EXPECT_EQ(stack->submit(frank["key"], ping_one).status, 202u);
  const auto admin_again = stack->login_admin();
  auto fresh = create_key(*stack, admin_again, "erin");
  ASSERT_TRUE(fresh.is_object());
  EXPECT_EQ(stack->submit(fresh["key"], ping_one).status, 202u);
  expect_keys_not_logged(*stack, {erin_first, erin_second, frank, fresh});
}

TEST(SecurityApiKey, RemovedOwnerKeyRejected) {
  auto stack = start_key_stack();
  ASSERT_NE(stack, nullptr);
  const auto admin = stack->login_admin();
  auto erin = create_key(*stack, admin, "erin");
  auto frank = create_key(*stack, admin, "frank");
  ASSERT_TRUE(erin.is_object());
  ASSERT_TRUE(frank.is_object());
  ASSERT_EQ(ping_to_end(*stack, erin["key"]), "complete");

  // Erin leaves the users file; the gateway reads it at start.
  ASSERT_NE(stack->stop_gateway(SIGTERM), -1) << stack->log_tails();
  json users = json::parse(read_text(stack->setup_file("users.json")));
  json kept = json::array();
  for (const auto& user : users)
    if (user["username"] != "erin") kept.push_back(user);
  ASSERT_EQ(kept.size() + 1, users.size());
  std::ofstream(stack->setup_file("users.json"), std::ios::trunc)
      << kept.dump(2);
  std::string error;
  ASSERT_TRUE(stack->start_gateway(&error)) << error;
  ASSERT_TRUE(stack->await_readyz(200, 30s)) << stack->log_tails();

  auto rejected = stack->submit(erin["key"], ping_one);
  EXPECT_EQ(rejected.status, 401u) << rejected.body;
  EXPECT_NE(rejected.body.find("owner no longer exists"), std::string::npos)
      << rejected.body;
  EXPECT_EQ(stack->submit(frank["key"], ping_one).status, 202u);
  expect_keys_not_logged(*stack, {erin, frank});
}

}  // namespace
}  // namespace gateway::integration
