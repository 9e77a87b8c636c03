// choria-gw against a real gateway, simulator and nats-server: login,
// requests with and without waiting, progress on a terminal, results,
// history, replay, logout and expired tokens.
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "client_process.hpp"
#include "gateway/common/encoding.hpp"
#include "gateway_stack.hpp"
#include "src/auth/jwt_hs256.hpp"

namespace gateway::client_test {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;
using integration::gateway_stack;
using integration::stack_options;
using integration::temp_dir;

constexpr int fleet_size = 12;
const std::string silent_node = "node-12.example.net";

// Twelve nodes; node-12 never replies, and the test agent always fails.
class ClientCommands : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    stack_options options;
    options.fleet_size = fleet_size;
    options.silent_nodes = {silent_node};
    options.simulator_arguments = {"--test-failure-rate", "1"};
    stack_ = new gateway_stack(options);
    started_ = stack_->start(&start_error_);
  }
  static void TearDownTestSuite() {
    delete stack_;
    stack_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(started_) << start_error_; }

  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(stack_->http_port());
  }
  std::string credentials_file() const {
    return config_.file("choria-gw/credentials.json");
  }
  json stored() const {
    return json::parse(integration::read_text(credentials_file()), nullptr,
                       false);
  }

  client_call call(std::vector<std::string> arguments) const {
    client_call out;
    out.arguments = std::move(arguments);
    out.environment = {{"XDG_CONFIG_HOME", config_.path()},
                       {"NO_COLOR", "1"},
                       {"CHORIA_GW_URL", ""},
                       {"CHORIA_GW_TOKEN", ""}};
    return out;
  }
  client_run run(std::vector<std::string> arguments) const {
    return run_client(call(std::move(arguments)));
  }

  // Logs in as admin and checks that it worked.
  void login() const {
    auto login_call = call({"login", "--url", url(), "--username", "admin"});
    login_call.input = stack_->admin_password() + "\n";
    auto result = run_client(login_call);
    ASSERT_EQ(result.exit_status, 0) << result.out << result.err;
  }

  // Submits with --no-wait and returns the request id. Input goes to
  // standard input, for --nodes -.
  std::string submit(std::vector<std::string> arguments,
                     std::string input = "") const {
    arguments.insert(arguments.begin(), "req");
    arguments.push_back("--no-wait");
    auto submit_call = call(arguments);
    submit_call.input = std::move(input);
    auto result = run_client(submit_call);
    EXPECT_EQ(result.exit_status, 0) << result.out << result.err;
    std::string id = result.out.substr(0, result.out.find('\n'));
    EXPECT_EQ(id.size(), 32u) << result.out;
    return id;
  }

  static gateway_stack* stack_;
  static bool started_;
  static std::string start_error_;
  temp_dir config_;
};

gateway_stack* ClientCommands::stack_ = nullptr;
bool ClientCommands::started_ = false;
std::string ClientCommands::start_error_;

std::vector<std::string> senders_of(const json& replies) {
  std::vector<std::string> senders;
  for (const auto& reply : replies)
    senders.push_back(reply.value("sender", ""));
  std::sort(senders.begin(), senders.end());
  return senders;
}

// Every node of the fleet, one a line. Discovery never finds the silent
// node, so requests that should include it name their nodes.
std::string all_nodes() {
  std::string names;
  for (int i = 1; i <= fleet_size; ++i)
    names += gateway_stack::node_name(i) + "\n";
  return names;
}

std::vector<std::string> node_range(int first, int last) {
  std::vector<std::string> names;
  for (int i = first; i <= last; ++i)
    names.push_back(gateway_stack::node_name(i));
  std::sort(names.begin(), names.end());
  return names;
}

TEST_F(ClientCommands, LoginStoresPrivateToken) {
  login();
  struct stat file_status {};
  ASSERT_EQ(::stat(credentials_file().c_str(), &file_status), 0);
  EXPECT_EQ(file_status.st_mode & 0777, 0600u);
  json credentials = stored();
  ASSERT_TRUE(credentials.is_object());
  EXPECT_EQ(credentials["url"], url());
  EXPECT_EQ(credentials["username"], "admin");
  EXPECT_FALSE(credentials["token"].get<std::string>().empty());
  EXPECT_GT(credentials["expires_at"].get<std::int64_t>(), 0);
}

TEST_F(ClientCommands, LoginWithWrongPasswordFails) {
  auto login_call = call({"login", "--url", url(), "-u", "admin"});
  login_call.input = "not the password\n";
  auto result = run_client(login_call);
  EXPECT_EQ(result.exit_status, 2);
  EXPECT_NE(result.err.find("wrong username or password"), std::string::npos)
      << result.err;
  EXPECT_FALSE(std::filesystem::exists(credentials_file()));
}

TEST_F(ClientCommands, CommandsWithoutLoginSayWhatToDo) {
  auto result = run({"status", "0123456789abcdef0123456789abcdef"});
  EXPECT_EQ(result.exit_status, 2);
  EXPECT_NE(result.err.find("choria-gw login --url"), std::string::npos)
      << result.err;
}

TEST_F(ClientCommands, UnreachableGatewayIsAnError) {
  auto unreachable = call({"--url", "http://127.0.0.1:1", "--json", "status",
                           "0123456789abcdef0123456789abcdef"});
  unreachable.environment["CHORIA_GW_TOKEN"] = "a-token";
  auto result = run_client(unreachable);
  EXPECT_EQ(result.exit_status, 2);
  json error = json::parse(result.out, nullptr, false);
  ASSERT_TRUE(error.is_object()) << result.out;
  EXPECT_EQ(error["error"]["code"], "connection") << result.out;
}

TEST_F(ClientCommands, RequestWaitPrintsJsonDocument) {
  login();
  auto result =
      run({"req", "rpcutil", "ping", "-I", "/^node-[1-5]\\./", "--json"});
  EXPECT_EQ(result.exit_status, 0) << result.out << result.err;
  json document = json::parse(result.out, nullptr, false);
  ASSERT_TRUE(document.is_object()) << result.out;
  EXPECT_EQ(document["request"]["state"], "complete");
  EXPECT_EQ(document["request"]["expected"], 5);
  EXPECT_EQ(document["request"]["ok"], 5);
  EXPECT_EQ(senders_of(document["replies"]), node_range(1, 5));
  for (const auto& reply : document["replies"])
    EXPECT_TRUE(reply["data"]["pong"].is_number_integer()) << reply;
}

TEST_F(ClientCommands, NoWaitStatusAndResultsPageThrough) {
  login();
  std::string id =
      submit({"rpcutil", "ping", "-t", "3", "--nodes", "-"}, all_nodes());
  ASSERT_EQ(id.size(), 32u);

  // results pages 2 at a time, and only ends once the request finished.
  json document;
  ASSERT_TRUE(integration::wait_until(
      [&] {
        auto status = run({"status", id, "--json"});
        document = json::parse(status.out, nullptr, false);
        return document.is_object() && document["state"] != "discovering" &&
               document["state"] != "running";
      },
      30s))
      << document;
  EXPECT_EQ(document["state"], "expired");
  EXPECT_EQ(document["no_response"], json::array({silent_node}));

  auto results = run({"results", id, "--page-size", "2", "--json"});
  EXPECT_EQ(results.exit_status, 1) << results.out << results.err;
  json pages = json::parse(results.out, nullptr, false);
  ASSERT_TRUE(pages.is_object()) << results.out;
  EXPECT_EQ(senders_of(pages["replies"]), node_range(1, fleet_size - 1));

  auto text = run({"status", id});
  EXPECT_EQ(text.exit_status, 1) << text.err;
  EXPECT_NE(text.out.find("state:      expired"), std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find(silent_node), std::string::npos) << text.out;
}

TEST_F(ClientCommands, FailuresAndSilentNodesArePartial) {
  login();
  auto nodes = config_.file("nodes.txt");
  std::ofstream(nodes) << "# two nodes\nnode-1.example.net\n\n"
                       << silent_node << "\n";
  auto result = run({"req", "sim_test", "run", "--nodes", nodes, "-t", "2"});
  EXPECT_EQ(result.exit_status, 1) << result.out << result.err;
  EXPECT_NE(result.out.find("node-1.example.net"), std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("Aborted"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("No response from:\n\n    " + silent_node),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("Finished processing 1 / 2 hosts in "),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find(": 0 ok, 1 failed, 1 silent"), std::string::npos)
      << result.out;
}

TEST_F(ClientCommands, ProgressBarDrawsOnTerminal) {
  login();
  auto terminal_call =
      call({"req", "rpcutil", "ping", "-I", "/^node-[1-9]\\./"});
  terminal_call.environment.erase("NO_COLOR");
  auto result = run_client_on_terminal(terminal_call);
  EXPECT_EQ(result.exit_status, 0) << result.out;
  // The bar is redrawn in place with a carriage return, and ends full.
  EXPECT_NE(result.out.find("\r * [ ="), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("] 9 / 9"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("Finished processing 9 / 9 hosts"),
            std::string::npos)
      << result.out;
  // Colour is on for a terminal.
  EXPECT_NE(result.out.find("\x1b[32m9 ok"), std::string::npos) << result.out;
}

TEST_F(ClientCommands, PipedOutputHasNoProgressBar) {
  login();
  auto result = run({"req", "rpcutil", "ping", "-I", "node-2.example.net"});
  EXPECT_EQ(result.exit_status, 0) << result.out << result.err;
  EXPECT_EQ(result.out.find('\r'), std::string::npos) << result.out;
  EXPECT_EQ(result.out.find("\x1b["), std::string::npos) << result.out;
  EXPECT_EQ(result.out.rfind("node-2.example.net\n", 0), 0u) << result.out;
}

TEST_F(ClientCommands, InvalidInputGetsGatewayMessage) {
  login();
  auto result = run({"req", "rpcutil", "no_such_action", "--json"});
  EXPECT_EQ(result.exit_status, 2);
  json error = json::parse(result.out, nullptr, false);
  ASSERT_TRUE(error.is_object()) << result.out;
  EXPECT_EQ(error["error"]["code"], "invalid_request") << result.out;
  EXPECT_NE(error["error"]["message"].get<std::string>().find("no_such_action"),
            std::string::npos)
      << result.out;
}

TEST_F(ClientCommands, ExpiredTokenIsDroppedWithAdvice) {
  login();
  // A token signed with the gateway's own key whose lifetime has passed.
  auto secret_hex = integration::read_text(stack_->setup_file("token.secret"));
  secret_hex.erase(secret_hex.find_last_not_of(" \n") + 1);
  std::string secret;
  for (std::size_t i = 0; i + 1 < secret_hex.size(); i += 2)
    secret.push_back(
        static_cast<char>(std::stoi(secret_hex.substr(i, 2), nullptr, 16)));
  auto now = std::chrono::duration_cast<std::chrono::seconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  auto expired = auth::sign_jwt({{"alg", "HS256"}, {"typ", "JWT"}},
                                {{"iss", "choria-rest-gateway"},
                                 {"sub", "admin"},
                                 {"iat", now - 120},
                                 {"exp", now - 60},
                                 {"jti", hex_encode(random_bytes(16))}},
                                secret);
  json credentials = stored();
  credentials["token"] = expired;
  std::ofstream(credentials_file()) << credentials.dump();

  auto result = run({"req", "rpcutil", "ping"});
  EXPECT_EQ(result.exit_status, 2);
  EXPECT_NE(result.err.find("log in again"), std::string::npos) << result.err;
  EXPECT_EQ(stored()["token"], "") << "the rejected token is still stored";
  auto again = run({"history"});
  EXPECT_EQ(again.exit_status, 2);
  EXPECT_NE(again.err.find("choria-gw login --url " + url()), std::string::npos)
      << again.err;
}

TEST_F(ClientCommands, HistoryListsRecentRequests) {
  login();
  std::string id = submit({"rpcutil", "ping", "-I", "node-3.example.net"});
  auto result = run({"history", "--agent", "rpcutil", "--json"});
  ASSERT_EQ(result.exit_status, 0) << result.out << result.err;
  json document = json::parse(result.out, nullptr, false);
  ASSERT_TRUE(document.is_object()) << result.out;
  ASSERT_TRUE(document["requests"].is_array()) << result.out;
  ASSERT_FALSE(document["requests"].empty()) << result.out;
  EXPECT_EQ(document["requests"][0]["request_id"], id) << result.out;

  auto text = run({"history", "-n", "1"});
  EXPECT_EQ(text.exit_status, 0) << text.err;
  EXPECT_NE(text.out.find(id), std::string::npos) << text.out;
}

TEST_F(ClientCommands, ReplayTargetsSilentNodes) {
  login();
  auto first_call =
      call({"req", "rpcutil", "ping", "-t", "2", "--nodes", "-", "--json"});
  first_call.input = all_nodes();
  auto first = run_client(first_call);
  ASSERT_EQ(first.exit_status, 1) << first.out << first.err;
  std::string id =
      json::parse(first.out)["request"]["request_id"].get<std::string>();

  auto result =
      run({"replay", id, "--no-response", "--json", "--http-timeout", "10"});
  EXPECT_EQ(result.exit_status, 1) << result.out << result.err;
  json document = json::parse(result.out, nullptr, false);
  ASSERT_TRUE(document.is_object()) << result.out;
  EXPECT_NE(document["request"]["request_id"], id);
  EXPECT_EQ(document["request"]["expected"], 1) << result.out;
  EXPECT_EQ(document["request"]["no_response"], json::array({silent_node}));
}

TEST_F(ClientCommands, ReplayFailedTargetsFailedNodes) {
  login();
  std::string id = submit({"sim_test", "run", "-I", "/^node-[12]\\./"});
  ASSERT_EQ(id.size(), 32u);
  auto finished = stack_->await_finished(stack_->login_admin(), id, 30s);
  ASSERT_EQ(finished["failed"], 2) << finished;

  auto result = run({"replay", id, "--failed", "--json"});
  EXPECT_EQ(result.exit_status, 1) << result.out << result.err;
  json document = json::parse(result.out, nullptr, false);
  ASSERT_TRUE(document.is_object()) << result.out;
  EXPECT_EQ(document["request"]["replay_of"], id) << result.out;
  EXPECT_EQ(document["request"]["expected"], 2) << result.out;
  EXPECT_EQ(senders_of(document["replies"]), node_range(1, 2));

  // Nothing of a ping failed, so there is nothing to replay.
  std::string ping = submit({"rpcutil", "ping", "-I", "node-1.example.net"});
  ASSERT_TRUE(
      stack_->await_finished(stack_->login_admin(), ping, 30s).is_object());
  auto nothing = run({"replay", ping, "--failed", "--json"});
  EXPECT_EQ(nothing.exit_status, 2) << nothing.out;
  EXPECT_NE(nothing.out.find("nothing_to_replay"), std::string::npos)
      << nothing.out;
}

TEST_F(ClientCommands, SameIdempotencyKeyGivesSameRequest) {
  login();
  auto submit_with = [&](const std::string& identity, const std::string& key) {
    return run({"req", "rpcutil", "ping", "-I", identity, "--no-wait", "--json",
                "--idempotency-key", key});
  };
  auto first = submit_with("node-4.example.net", "client-test-key-1");
  ASSERT_EQ(first.exit_status, 0) << first.out << first.err;
  json accepted = json::parse(first.out, nullptr, false);
  ASSERT_TRUE(accepted.is_object()) << first.out;
  EXPECT_EQ(accepted["idempotency_key"], "client-test-key-1");

  auto again = submit_with("node-4.example.net", "client-test-key-1");
  ASSERT_EQ(again.exit_status, 0) << again.out << again.err;
  json repeated = json::parse(again.out, nullptr, false);
  ASSERT_TRUE(repeated.is_object()) << again.out;
  EXPECT_EQ(repeated["request_id"], accepted["request_id"]);

  // The key with another request is rejected, and an invalid key is a
  // usage error that never reaches the gateway.
  auto other = submit_with("node-5.example.net", "client-test-key-1");
  EXPECT_EQ(other.exit_status, 2) << other.out;
  EXPECT_NE(other.out.find("idempotency_key_reused"), std::string::npos)
      << other.out;
  auto invalid = submit_with("node-5.example.net", "has space");
  EXPECT_EQ(invalid.exit_status, 2);
  EXPECT_NE(invalid.out.find("--idempotency-key"), std::string::npos)
      << invalid.out;
}

TEST_F(ClientCommands, EachSubmitGetsFreshKey) {
  login();
  auto first = run({"req", "rpcutil", "ping", "-I", "node-6.example.net",
                    "--no-wait", "--json"});
  auto second = run({"req", "rpcutil", "ping", "-I", "node-6.example.net",
                     "--no-wait", "--json"});
  json first_accepted = json::parse(first.out, nullptr, false);
  json second_accepted = json::parse(second.out, nullptr, false);
  ASSERT_TRUE(first_accepted.is_object()) << first.out << first.err;
  ASSERT_TRUE(second_accepted.is_object()) << second.out << second.err;
  EXPECT_NE(first_accepted["request_id"], second_accepted["request_id"]);
  EXPECT_NE(first_accepted["idempotency_key"],
            second_accepted["idempotency_key"]);
  EXPECT_EQ(first_accepted["idempotency_key"].get<std::string>().rfind(
                "choria-gw-", 0),
            0u);
}

TEST_F(ClientCommands, ReplayWithSameKeyGivesSameRequest) {
  login();
  std::string id = submit({"rpcutil", "ping", "-I", "node-7.example.net"});
  ASSERT_TRUE(
      stack_->await_finished(stack_->login_admin(), id, 30s).is_object());
  std::vector<std::string> replay = {"replay",
                                     id,
                                     "--no-wait",
                                     "--json",
                                     "--idempotency-key",
                                     "client-test-replay-1"};
  auto first = run(replay);
  auto again = run(replay);
  json first_accepted = json::parse(first.out, nullptr, false);
  json second_accepted = json::parse(again.out, nullptr, false);
  ASSERT_TRUE(first_accepted.is_object()) << first.out << first.err;
  ASSERT_TRUE(second_accepted.is_object()) << again.out << again.err;
  EXPECT_EQ(first_accepted["request_id"], second_accepted["request_id"]);
  EXPECT_NE(first_accepted["request_id"], id);
}

TEST_F(ClientCommands, WatchFollowsToTheEnd) {
  login();
  std::string id = submit({"rpcutil", "ping", "-I", "/^node-[1-4]\\./"});
  auto result = run({"watch", id});
  EXPECT_EQ(result.exit_status, 0) << result.out << result.err;
  EXPECT_EQ(result.err.find("no event stream"), std::string::npos)
      << "watch fell back to polling: " << result.err;
  for (int i = 1; i <= 4; ++i)
    EXPECT_NE(result.out.find(gateway_stack::node_name(i) + "\n"),
              std::string::npos)
        << result.out;
  EXPECT_NE(result.out.find("Finished processing 4 / 4 hosts"),
            std::string::npos)
      << result.out;
}

TEST_F(ClientCommands, LogoutRemovesToken) {
  login();
  std::string token = stored()["token"].get<std::string>();
  auto result = run({"logout", "--json"});
  EXPECT_EQ(result.exit_status, 0) << result.out << result.err;
  json document = json::parse(result.out, nullptr, false);
  ASSERT_TRUE(document.is_object()) << result.out;
  EXPECT_EQ(document["token"], "revoked") << result.out;
  integration::http_call reuse;
  reuse.target = "/v1/requests";
  reuse.bearer_token = token;
  EXPECT_EQ(stack_->http(reuse).status, 401u) << "the token is not revoked";
  EXPECT_EQ(stored()["token"], "");
  EXPECT_EQ(stored()["url"], url());
  auto after = run({"status", "0123456789abcdef0123456789abcdef"});
  EXPECT_EQ(after.exit_status, 2);
  EXPECT_NE(after.err.find("not logged in"), std::string::npos) << after.err;
}

}  // namespace
}  // namespace gateway::client_test
