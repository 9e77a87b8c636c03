// Runs choria-fleet-sim against a real nats-server on loopback and talks to
// it as the gateway does: signed requests out, hashed replies back.
#include <signal.h>

#include <cstdlib>
#include <ctime>
#include <iostream>
#include <memory>
#include <set>

#include <gtest/gtest.h>
#include <nats/nats.h>

#include "gateway/choria/protocol.hpp"
#include "gateway/common/encoding.hpp"
#include "test_support.hpp"

namespace gateway::sim {
namespace {

using namespace std::chrono_literals;
using testing::child_process;
using testing::request_spec;

constexpr int fleet_size = 5;
constexpr int test_delay_ms = 150;
const char* const silent_node = "node-5.example.net";

// A nats-server and a simulator of five nodes (node-5 silent), shared by
// every test of the suite.
struct fleet_environment {
  testing::temp_dir folder;
  testing::test_pki files;
  std::string url;
  std::unique_ptr<child_process> nats_server;
  std::unique_ptr<child_process> simulator;
  natsConnection* client = nullptr;
  std::optional<choria::signing_identity> privileged;
  std::optional<choria::signing_identity> ordinary;

  ~fleet_environment() {
    if (client != nullptr) natsConnection_Destroy(client);
  }
};

// Starts nats-server on a free loopback port and connects a client to it.
void start_nats(fleet_environment& env) {
  int port = testing::free_loopback_port();
  ASSERT_GT(port, 0);
  env.url = "nats://127.0.0.1:" + std::to_string(port);
  env.nats_server = std::make_unique<child_process>(
      NATS_SERVER_PATH,
      std::vector<std::string>{"-a", "127.0.0.1", "-p", std::to_string(port)});
  ASSERT_GT(env.nats_server->pid(), 0);
  ASSERT_TRUE(testing::wait_until(
      [&] {
        return natsConnection_ConnectTo(&env.client, env.url.c_str()) ==
               NATS_OK;
      },
      10s))
      << "nats-server did not accept connections at " << env.url;
}

std::vector<std::string> simulator_arguments(const fleet_environment& env,
                                             const std::string& name) {
  return {"--nats",       env.url,
          "--ca",         env.files.ca_path,
          "--ready-file", env.folder.file(name + ".ready"),
          "--stats-file", env.folder.file(name + ".stats"),
          "--log-level",  "debug"};
}

class FleetIntegration : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    env_ = new fleet_environment();
    env_->files = testing::make_test_pki(env_->folder.path());
    start_nats(*env_);
    if (env_->client == nullptr) return;

    auto arguments = simulator_arguments(*env_, "fleet");
    for (std::string extra :
         {"--count", "5", "--silent", silent_node, "--test-delay-ms", "150"}) {
      arguments.push_back(extra);
    }
    env_->simulator =
        std::make_unique<child_process>(FLEET_SIM_PATH, arguments);
    ready_ = testing::wait_until(
        [] {
          return !testing::read_text(env_->folder.file("fleet.ready")).empty();
        },
        20s);
    env_->privileged = testing::load_signer(env_->files.privileged_cert,
                                            env_->files.privileged_key);
    env_->ordinary = testing::load_signer(env_->files.ordinary_cert,
                                          env_->files.ordinary_key);
  }

  static void TearDownTestSuite() {
    delete env_;
    env_ = nullptr;
  }

  void SetUp() override {
    ASSERT_TRUE(ready_) << "choria-fleet-sim did not write its ready file";
    ASSERT_TRUE(env_->privileged);
    ASSERT_TRUE(env_->ordinary);
  }

  // Publishes spec signed by signer to subject and collects replies. Once
  // `expected` replies arrived, it keeps reading until no reply comes for
  // `quiet`, so that a surplus reply fails the test. Gives up after 10 s.
  static std::vector<choria::reply> exchange(
      const choria::signing_identity& signer, const request_spec& spec,
      const std::string& subject, std::size_t expected,
      std::chrono::milliseconds quiet = 300ms) {
    return exchange_on(env_->client, signer, spec, subject, expected, quiet);
  }

  // exchange() on another client connection, giving up after timeout.
  static std::vector<choria::reply> exchange_on(
      natsConnection* client, const choria::signing_identity& signer,
      request_spec spec, const std::string& subject, std::size_t expected,
      std::chrono::milliseconds quiet,
      std::chrono::milliseconds timeout = 10s) {
    spec.request_id = make_request_id();
    spec.reply_to =
        choria::reply_subject(spec.collective, spec.caller_id, spec.request_id);
    std::string request_id;
    auto payload = testing::encode_signed_request(signer, spec, &request_id);

    natsSubscription* subscription = nullptr;
    EXPECT_EQ(natsConnection_SubscribeSync(&subscription, client,
                                           spec.reply_to.c_str()),
              NATS_OK);
    EXPECT_EQ(natsConnection_Flush(client), NATS_OK);
    EXPECT_EQ(natsConnection_Publish(client, subject.c_str(), payload.data(),
                                     static_cast<int>(payload.size())),
              NATS_OK);

    std::vector<choria::reply> replies;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      auto now = std::chrono::steady_clock::now();
      auto wait = replies.size() >= expected
                      ? quiet
                      : std::chrono::duration_cast<std::chrono::milliseconds>(
                            deadline - now);
      if (wait <= 0ms) break;
      natsMsg* message = nullptr;
      if (natsSubscription_NextMsg(&message, subscription, wait.count()) !=
          NATS_OK) {
        break;
      }
      auto decoded = choria::decode_reply(std::string_view(
          natsMsg_GetData(message), natsMsg_GetDataLength(message)));
      natsMsg_Destroy(message);
      EXPECT_TRUE(decoded.value.has_value())
          << "undecodable reply: " << choria::to_string(decoded.error);
      if (!decoded.value) continue;
      EXPECT_EQ(decoded.value->request_id, spec.request_id);
      replies.push_back(std::move(*decoded.value));
    }
    natsSubscription_Destroy(subscription);
    return replies;
  }

  static std::set<std::string> senders(const std::vector<choria::reply>& all) {
    std::set<std::string> names;
    for (const auto& reply : all) names.insert(reply.sender_id);
    return names;
  }

  // Asks the simulator for its counters until check accepts them; fails the
  // test when it never does.
  static nlohmann::json await_stats(
      const std::function<bool(const nlohmann::json&)>& check) {
    nlohmann::json stats;
    bool accepted = testing::wait_until(
        [&] {
          ::kill(env_->simulator->pid(), SIGUSR1);
          stats = nlohmann::json::parse(
              testing::read_text(env_->folder.file("fleet.stats")), nullptr,
              false);
          return !stats.is_discarded() && check(stats);
        },
        5s);
    EXPECT_TRUE(accepted) << "stats file never matched: " << stats.dump();
    return stats;
  }

  static std::string broadcast(const std::string& agent) {
    return choria::broadcast_subject("mcollective", agent);
  }

  static std::set<std::string> answering_nodes() {
    return {"node-1.example.net", "node-2.example.net", "node-3.example.net",
            "node-4.example.net"};
  }

  static inline fleet_environment* env_ = nullptr;
  static inline bool ready_ = false;
};

TEST_F(FleetIntegration, PrivilegedPingReachesEveryNode) {
  auto replies = exchange(*env_->privileged, {}, broadcast("rpcutil"), 4);
  ASSERT_EQ(replies.size(), 4u);
  EXPECT_EQ(senders(replies), answering_nodes());
  auto now = static_cast<std::int64_t>(std::time(nullptr));
  for (const auto& reply : replies) {
    ASSERT_TRUE(reply.body_is_json);
    EXPECT_EQ(reply.agent, "rpcutil");
    EXPECT_EQ(reply.body["statuscode"], 0);
    EXPECT_EQ(reply.body["statusmsg"], "OK");
    EXPECT_NEAR(reply.body["data"]["pong"].get<double>(), now, 5);
  }
}

TEST_F(FleetIntegration, ForgedCallerGetsNoReply) {
  auto before = await_stats([](const auto&) { return true; });
  auto previous = before["rejected"]["callerid_mismatch"].get<int>();

  auto replies = exchange(*env_->ordinary, {}, broadcast("rpcutil"), 0);
  EXPECT_TRUE(replies.empty());
  auto stats = await_stats([&](const nlohmann::json& s) {
    return s["rejected"]["callerid_mismatch"].get<int>() > previous;
  });
  EXPECT_EQ(stats["rejected"]["callerid_mismatch"], previous + 1);
}

TEST_F(FleetIntegration, OrdinaryCertAsItselfIsAnswered) {
  request_spec spec;
  spec.caller_id = "choria=x.mcollective";
  auto replies = exchange(*env_->ordinary, spec, broadcast("rpcutil"), 4);
  EXPECT_EQ(senders(replies), answering_nodes());
}

TEST_F(FleetIntegration, StaleRequestGetsNoReply) {
  auto before = await_stats([](const auto&) { return true; });
  auto previous = before["rejected"]["expired"].get<int>();

  request_spec spec;
  spec.time = static_cast<std::int64_t>(std::time(nullptr)) - 3600;
  auto replies = exchange(*env_->privileged, spec, broadcast("rpcutil"), 0);
  EXPECT_TRUE(replies.empty());
  auto stats = await_stats([&](const nlohmann::json& s) {
    return s["rejected"]["expired"].get<int>() > previous;
  });
  EXPECT_EQ(stats["rejected"]["expired"], previous + 1);
}

TEST_F(FleetIntegration, IdentityFilterSelectsOneNode) {
  request_spec spec;
  spec.target.identity = {"node-2.example.net"};
  auto replies = exchange(*env_->privileged, spec, broadcast("rpcutil"), 1);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].sender_id, "node-2.example.net");
}

TEST_F(FleetIntegration, FactFilterSelectsCountry) {
  request_spec spec;
  spec.target.fact = {{"country", "==", "mt"}};
  auto replies = exchange(*env_->privileged, spec, broadcast("rpcutil"), 2);
  EXPECT_EQ(senders(replies), (std::set<std::string>{"node-1.example.net",
                                                     "node-4.example.net"}));
}

TEST_F(FleetIntegration, DiscoveryPingGetsBarePong) {
  request_spec spec;
  spec.agent = "discovery";
  spec.rpc_body = choria::discovery_rpc_body();
  auto replies = exchange(*env_->privileged, spec, broadcast("discovery"), 4);
  EXPECT_EQ(senders(replies), answering_nodes());
  for (const auto& reply : replies) {
    EXPECT_FALSE(reply.body_is_json);
    EXPECT_EQ(reply.body, "pong");
  }
}

TEST_F(FleetIntegration, SilentNodeNeverAnswers) {
  auto replies =
      exchange(*env_->privileged, {},
               choria::node_subject("mcollective", silent_node), 0, 500ms);
  EXPECT_TRUE(replies.empty());
}

TEST_F(FleetIntegration, DirectRequestReachesOneNode) {
  auto replies =
      exchange(*env_->privileged, {},
               choria::node_subject("mcollective", "node-3.example.net"), 1);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].sender_id, "node-3.example.net");
}

TEST_F(FleetIntegration, InventoryAndGetFact) {
  request_spec inventory;
  inventory.action = "inventory";
  inventory.target.identity = {"node-3.example.net"};
  auto replies =
      exchange(*env_->privileged, inventory, broadcast("rpcutil"), 1);
  ASSERT_EQ(replies.size(), 1u);
  auto data = replies[0].body["data"];
  EXPECT_EQ(data["facts"]["country"], "us");
  EXPECT_EQ(data["main_collective"], "mcollective");
  EXPECT_EQ(data["agents"],
            nlohmann::json::parse(R"(["discovery","rpcutil","sim_test"])"));

  request_spec get_fact;
  get_fact.action = "get_fact";
  get_fact.data = {{"fact", "cpu_count"}};
  get_fact.target.identity = {"node-2.example.net"};
  replies = exchange(*env_->privileged, get_fact, broadcast("rpcutil"), 1);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].body["data"]["value"], 4);
}

TEST_F(FleetIntegration, TestAgentRepliesAfterDelay) {
  request_spec spec;
  spec.agent = "sim_test";
  spec.action = "run";
  auto start = std::chrono::steady_clock::now();
  auto replies =
      exchange(*env_->privileged, spec, broadcast("sim_test"), 4, 0ms);
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(senders(replies), answering_nodes());
  EXPECT_GE(elapsed, std::chrono::milliseconds(test_delay_ms));
  for (const auto& reply : replies) {
    EXPECT_EQ(reply.body["statuscode"], 0);
    EXPECT_EQ(reply.body["data"]["message"], "done");
  }
}

TEST_F(FleetIntegration, UnknownActionIsStatusTwo) {
  request_spec spec;
  spec.action = "reboot";
  spec.target.identity = {"node-1.example.net"};
  auto replies = exchange(*env_->privileged, spec, broadcast("rpcutil"), 1);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].body["statuscode"], 2);
}

TEST_F(FleetIntegration, SecondFleetStopsCleanlyOnSigterm) {
  auto arguments = simulator_arguments(*env_, "second");
  for (std::string extra :
       {"--count", "2", "--name-format", "extra-{index:03}.example.net",
        "--test-failure-rate", "1"}) {
    arguments.push_back(extra);
  }
  child_process second(FLEET_SIM_PATH, arguments);
  ASSERT_TRUE(testing::wait_until(
      [&] {
        return !testing::read_text(env_->folder.file("second.ready")).empty();
      },
      20s));

  request_spec spec;
  spec.agent = "sim_test";
  spec.target.identity = {"/^extra-/"};
  auto replies = exchange(*env_->privileged, spec, broadcast("sim_test"), 2);
  EXPECT_EQ(senders(replies), (std::set<std::string>{"extra-001.example.net",
                                                     "extra-002.example.net"}));
  for (const auto& reply : replies) EXPECT_EQ(reply.body["statuscode"], 1);

  int status = second.terminate(10s);
  ASSERT_NE(status, -1) << "choria-fleet-sim did not exit on SIGTERM";
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  auto stats = nlohmann::json::parse(
      testing::read_text(env_->folder.file("second.stats")), nullptr, false);
  ASSERT_FALSE(stats.is_discarded());
  EXPECT_EQ(stats["replies"], 2);
}

TEST_F(FleetIntegration, MissingCaFailsAtStart) {
  child_process broken(FLEET_SIM_PATH, {"--nats", env_->url, "--ca",
                                        env_->folder.file("absent.pem")});
  ASSERT_TRUE(testing::wait_until([&] { return !broken.running(); }, 10s));
  int status = broken.terminate(1s);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_NE(WEXITSTATUS(status), 0);
}

// Sizes the fleet by FLEET_SIM_LARGE_COUNT, 1000 by default, so that a
// benchmark run can try 10,000 nodes without changing the test.
TEST_F(FleetIntegration, LargeFleetRepliesFromEveryNode) {
  const char* configured = std::getenv("FLEET_SIM_LARGE_COUNT");
  std::size_t count = configured ? std::stoul(configured) : 1000;
  auto arguments = simulator_arguments(*env_, "large");
  for (std::string extra : {std::string("--count"), std::to_string(count),
                            std::string("--name-format"),
                            std::string("large-{index}.example.net")}) {
    arguments.push_back(extra);
  }
  child_process large(FLEET_SIM_PATH, arguments);
  ASSERT_TRUE(testing::wait_until(
      [&] {
        return !testing::read_text(env_->folder.file("large.ready")).empty();
      },
      60s));

  request_spec spec;
  spec.target.identity = {"/^large-/"};
  auto start = std::chrono::steady_clock::now();
  auto replies =
      exchange(*env_->privileged, spec, broadcast("rpcutil"), count, 0ms);
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  EXPECT_EQ(replies.size(), count);
  EXPECT_EQ(senders(replies).size(), count);
  std::cout << count << " replies in " << elapsed.count() << " ms\n";
}

// Connects a client over TLS with a client certificate.
natsConnection* connect_tls_client(const std::string& url,
                                   const testing::test_pki& files) {
  natsOptions* options = nullptr;
  natsConnection* client = nullptr;
  bool configured =
      natsOptions_Create(&options) == NATS_OK &&
      natsOptions_SetURL(options, url.c_str()) == NATS_OK &&
      natsOptions_SetSecure(options, true) == NATS_OK &&
      natsOptions_LoadCATrustedCertificates(options, files.ca_path.c_str()) ==
          NATS_OK &&
      natsOptions_LoadCertificatesChain(options, files.ordinary_cert.c_str(),
                                        files.ordinary_key.c_str()) == NATS_OK;
  if (configured) natsConnection_Connect(&client, options);
  natsOptions_Destroy(options);
  return client;
}

TEST_F(FleetIntegration, PingOverMutualTls) {
  std::string error;
  auto ca = pki::make_ca("Fleet Sim TLS CA", 30, &error);
  ASSERT_TRUE(ca) << error;
  pki::certificate_request server_request;
  server_request.common_name = "localhost";
  server_request.dns_names = {"localhost"};
  server_request.ip_addresses = {"127.0.0.1"};
  server_request.server_auth = true;
  auto server = pki::issue(*ca, server_request, &error);
  ASSERT_TRUE(server) << error;
  auto server_cert = env_->folder.file("tls-server.pem");
  auto server_key = env_->folder.file("tls-server-key.pem");
  auto tls_ca = env_->folder.file("tls-ca.pem");
  ASSERT_TRUE(
      pki::write_file(server_cert, server->certificate_pem, 0644, &error));
  ASSERT_TRUE(
      pki::write_file(server_key, server->private_key_pem, 0600, &error));
  ASSERT_TRUE(pki::write_file(tls_ca, ca->certificate_pem, 0644, &error));

  // Clients present certificates of the Choria CA, which nats-server
  // verifies against a bundle of both CAs.
  auto client_cas = env_->folder.file("tls-client-cas.pem");
  ASSERT_TRUE(pki::write_file(
      client_cas, ca->certificate_pem + testing::read_text(env_->files.ca_path),
      0644, &error));
  int port = testing::free_loopback_port();
  std::string url = "nats://127.0.0.1:" + std::to_string(port);
  child_process tls_server(NATS_SERVER_PATH,
                           {"-a", "127.0.0.1", "-p", std::to_string(port),
                            "--tlsverify", "--tlscert", server_cert, "--tlskey",
                            server_key, "--tlscacert", client_cas});

  auto files = env_->files;
  files.ca_path = tls_ca;
  natsConnection* client = nullptr;
  ASSERT_TRUE(testing::wait_until(
      [&] { return (client = connect_tls_client(url, files)) != nullptr; },
      10s));
  std::unique_ptr<natsConnection, void (*)(natsConnection*)> client_owner(
      client, natsConnection_Destroy);

  auto arguments = simulator_arguments(*env_, "tls");
  arguments[1] = url;
  for (std::string extra : {"--count", "3", "--tls-ca", tls_ca.c_str(),
                            "--tls-cert", env_->files.ordinary_cert.c_str(),
                            "--tls-key", env_->files.ordinary_key.c_str()}) {
    arguments.push_back(extra);
  }
  child_process simulator(FLEET_SIM_PATH, arguments);
  ASSERT_TRUE(testing::wait_until(
      [&] {
        return !testing::read_text(env_->folder.file("tls.ready")).empty();
      },
      20s));

  auto replies = exchange_on(client, *env_->privileged, {},
                             broadcast("rpcutil"), 3, 300ms);
  EXPECT_EQ(senders(replies),
            (std::set<std::string>{"node-1.example.net", "node-2.example.net",
                                   "node-3.example.net"}));

  // After a TLS connection, nats.c 3.4's library cleanup crashes a process
  // at exit under OpenSSL 3, so the exit status is checked too.
  int status = simulator.terminate(10s);
  ASSERT_NE(status, -1) << "choria-fleet-sim did not exit on SIGTERM";
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST_F(FleetIntegration, ServesAgainAfterServerRestart) {
  int port = testing::free_loopback_port();
  std::string url = "nats://127.0.0.1:" + std::to_string(port);
  std::vector<std::string> server_arguments{"-a", "127.0.0.1", "-p",
                                            std::to_string(port)};
  auto server =
      std::make_unique<child_process>(NATS_SERVER_PATH, server_arguments);

  // Connects a fresh client to whichever server listens on port.
  auto connect_client = [&] {
    natsConnection* client = nullptr;
    EXPECT_TRUE(testing::wait_until(
        [&] {
          return natsConnection_ConnectTo(&client, url.c_str()) == NATS_OK;
        },
        10s));
    return std::unique_ptr<natsConnection, void (*)(natsConnection*)>(
        client, natsConnection_Destroy);
  };
  auto first_client = connect_client();
  ASSERT_NE(first_client, nullptr);

  auto arguments = simulator_arguments(*env_, "restart");
  arguments[1] = url;
  arguments.push_back("--count");
  arguments.push_back("2");
  child_process simulator(FLEET_SIM_PATH, arguments);
  ASSERT_TRUE(testing::wait_until(
      [&] {
        return !testing::read_text(env_->folder.file("restart.ready")).empty();
      },
      20s));
  EXPECT_EQ(exchange_on(first_client.get(), *env_->privileged, {},
                        broadcast("rpcutil"), 2, 0ms)
                .size(),
            2u);
  first_client.reset();

  // Restart the server on the same port; the simulator reconnects and
  // subscribes again by itself.
  ASSERT_NE(server->terminate(10s), -1);
  server = std::make_unique<child_process>(NATS_SERVER_PATH, server_arguments);
  auto second_client = connect_client();
  ASSERT_NE(second_client, nullptr);
  std::vector<choria::reply> replies;
  for (int attempt = 0; attempt < 10 && replies.size() < 2; ++attempt) {
    replies = exchange_on(second_client.get(), *env_->privileged, {},
                          broadcast("rpcutil"), 2, 0ms, 2s);
  }
  EXPECT_EQ(senders(replies), (std::set<std::string>{"node-1.example.net",
                                                     "node-2.example.net"}));
}

}  // namespace
}  // namespace gateway::sim
