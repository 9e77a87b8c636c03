// Mutual TLS between the gateway, the broker and the nodes with a second,
// unrelated CA on one side: the gateway stays unready and logs which
// certificate failed, and a node outside the broker's CA never reaches a
// request.
#include <signal.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "extra_fleet.hpp"
#include "foreign_ca.hpp"
#include "gateway_stack.hpp"
#include "reply_checks.hpp"

namespace gateway::integration {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

// The gateway's log, which the stack writes next to its setup folder.
std::string gateway_log(const gateway_stack& stack) {
  return read_text(stack.setup_file("../gateway.log"));
}

// Waits until the gateway's log contains text.
bool await_gateway_log(const gateway_stack& stack, const std::string& text) {
  return wait_until(
      [&] { return gateway_log(stack).find(text) != std::string::npos; }, 15s);
}

json readyz(const gateway_stack& stack, unsigned* status) {
  http_call call;
  call.target = "/readyz";
  auto result = stack.http(call);
  *status = result.status;
  return result.json();
}

bool copy_file(const std::string& from, const std::string& to) {
  std::error_code code;
  std::filesystem::copy_file(
      from, to, std::filesystem::copy_options::overwrite_existing, code);
  return !code;
}

// Replaces the first occurrence of from in the file at path.
bool replace_in_file(const std::string& path, const std::string& from,
                     const std::string& to) {
  std::string text = read_text(path);
  auto at = text.find(from);
  if (at == std::string::npos) return false;
  text.replace(at, from.size(), to);
  std::string error;
  return pki::write_file(path, text, 0644, &error);
}

// A running stack whose gateway and broker the test stops, so that it can
// swap certificates before starting them again.
class BrokerTls : public ::testing::Test {
 protected:
  void SetUp() override {
    stack_options options;
    options.fleet_size = 2;
    stack_ = std::make_unique<gateway_stack>(options);
    std::string error;
    ASSERT_TRUE(stack_->start(&error)) << error;
    auto ca = foreign_ca::create(folder_.file("foreign"), &error);
    ASSERT_TRUE(ca) << error;
    foreign_.emplace(std::move(*ca));
  }

  // Stops the gateway and the broker.
  void stop_both() {
    ASSERT_NE(stack_->stop_gateway(SIGTERM), -1) << stack_->log_tails();
    ASSERT_TRUE(stack_->kill_broker());
  }

  temp_dir folder_;
  std::unique_ptr<gateway_stack> stack_;
  std::optional<foreign_ca> foreign_;
};

TEST_F(BrokerTls, BrokerCertificateFromOtherCaIsRejected) {
  stop_both();
  std::string error;
  ASSERT_TRUE(foreign_->issue_broker("broker", &error)) << error;
  std::string broker_pem = stack_->setup_file("broker.pem");
  std::string broker_key = stack_->setup_file("broker-key.pem");
  ASSERT_TRUE(copy_file(broker_pem, folder_.file("broker.pem")));
  ASSERT_TRUE(copy_file(broker_key, folder_.file("broker-key.pem")));
  ASSERT_TRUE(copy_file(foreign_->certificate_file("broker"), broker_pem));
  ASSERT_TRUE(copy_file(foreign_->key_file("broker"), broker_key));

  ASSERT_TRUE(stack_->start_broker(&error)) << error;
  ASSERT_TRUE(stack_->start_gateway(&error)) << error;
  EXPECT_TRUE(await_gateway_log(
      *stack_, "the broker's certificate did not verify against the CA"))
      << stack_->log_tails();
  unsigned status = 0;
  json body = readyz(*stack_, &status);
  EXPECT_EQ(status, 503u) << body;
  ASSERT_TRUE(body.is_object()) << status;
  EXPECT_EQ(body.value("broker", ""), "disconnected") << body;

  // Once the broker presents the right certificate again, the gateway
  // connects without a restart.
  ASSERT_TRUE(stack_->kill_broker());
  ASSERT_TRUE(copy_file(folder_.file("broker.pem"), broker_pem));
  ASSERT_TRUE(copy_file(folder_.file("broker-key.pem"), broker_key));
  ASSERT_TRUE(stack_->start_broker(&error)) << error;
  ASSERT_TRUE(stack_->await_readyz(200, 15s)) << stack_->log_tails();

  // The reply subscription was made while no broker was connected, so a
  // completed request shows that it reached the broker afterwards. Each
  // try waits out its own 2 s deadline while the simulator reconnects.
  auto token = stack_->login_admin();
  ASSERT_FALSE(token.empty());
  json ping;
  bool answered = wait_until(
      [&] {
        auto request_id =
            stack_->submit_accepted(token, {{"agent", "rpcutil"},
                                            {"action", "ping"},
                                            {"nodes", {"node-1.example.net"}},
                                            {"timeout", 2}});
        if (request_id.empty()) return true;
        ping = stack_->await_finished(token, request_id, 10s);
        return !ping.is_object() || ping["state"] == "complete";
      },
      15s);
  EXPECT_TRUE(answered) << ping << stack_->log_tails();
  EXPECT_EQ(ping["state"], "complete") << ping;
}

TEST_F(BrokerTls, GatewayCertificateFromOtherCaIsRejected) {
  stop_both();
  // The broker now accepts only client certificates from the foreign CA,
  // while its own certificate still chains to the gateway's CA.
  ASSERT_TRUE(
      replace_in_file(stack_->setup_file("nats-server.conf"),
                      "ca_file: \"" + stack_->setup_file("ca.pem") + "\"",
                      "ca_file: \"" + foreign_->ca_file() + "\""));

  std::string error;
  ASSERT_TRUE(stack_->start_broker(&error)) << error;
  ASSERT_TRUE(stack_->start_gateway(&error)) << error;
  EXPECT_TRUE(await_gateway_log(
      *stack_, "as nats-server does when it rejects the client certificate"))
      << stack_->log_tails();
  unsigned status = 0;
  json body = readyz(*stack_, &status);
  EXPECT_EQ(status, 503u) << body;
  ASSERT_TRUE(body.is_object()) << status;
  EXPECT_EQ(body.value("broker", ""), "disconnected") << body;
}

// A node whose NATS client certificate comes from another CA cannot join
// the broker, so a request addressed to it and to a genuine node ends
// expired with only the foreign node silent. Choria v1 replies carry no
// certificate, so the broker's mutual TLS is the only check of a replying
// node's CA.
TEST_F(BrokerTls, NodeCertificateFromOtherCaNeverReplies) {
  std::string error;
  pki::certificate_request request;
  request.common_name = "foreign-1.example.net";
  ASSERT_TRUE(foreign_->issue("foreign-node", request, &error)) << error;
  extra_fleet foreign(
      *stack_, {.name_format = "foreign-{index}.example.net",
                .count = 1,
                .request_ca = stack_->setup_file("ca.pem"),
                .tls_certificate = foreign_->certificate_file("foreign-node"),
                .tls_key = foreign_->key_file("foreign-node")});
  // The simulator gives up at start when the broker refuses it.
  int exit_status = foreign.process().wait_exit(15s);
  EXPECT_NE(exit_status, -1) << "the foreign simulator kept running\n"
                             << foreign.log();
  EXPECT_NE(exit_status, 0) << foreign.log();

  auto token = stack_->login_admin();
  ASSERT_FALSE(token.empty());
  auto request_id = stack_->submit_accepted(
      token, {{"agent", "rpcutil"},
              {"action", "ping"},
              {"nodes", {"node-1.example.net", "foreign-1.example.net"}},
              {"timeout", 2}});
  ASSERT_FALSE(request_id.empty());
  json status = stack_->await_finished(token, request_id, 15s);
  ASSERT_TRUE(status.is_object());
  EXPECT_EQ(status["state"], "expired") << status;
  EXPECT_EQ(status["received"], 1) << status;
  EXPECT_EQ(status["unexpected"], 0) << status;
  EXPECT_EQ(status["no_response"], json::array({"foreign-1.example.net"}))
      << status;
  auto senders = senders_of(stack_->read_reply_pages(token, request_id, 10));
  EXPECT_EQ(senders, std::vector<std::string>{"node-1.example.net"});
}

// A node that trusts only another CA rejects the gateway's signed requests
// as untrusted, counts them, and sends no reply.
TEST_F(BrokerTls, NodeTrustingOtherCaDropsRequests) {
  extra_fleet foreign(*stack_, {.name_format = "foreign-{index}.example.net",
                                .count = 1,
                                .request_ca = foreign_->ca_file()});
  ASSERT_TRUE(foreign.await_ready(15s)) << foreign.log();

  auto token = stack_->login_admin();
  ASSERT_FALSE(token.empty());
  auto request_id = stack_->submit_accepted(
      token, {{"agent", "rpcutil"},
              {"action", "ping"},
              {"nodes", {"node-1.example.net", "foreign-1.example.net"}},
              {"timeout", 2}});
  ASSERT_FALSE(request_id.empty());
  json status = stack_->await_finished(token, request_id, 15s);
  ASSERT_TRUE(status.is_object());
  EXPECT_EQ(status["state"], "expired") << status;
  EXPECT_EQ(status["received"], 1) << status;
  EXPECT_EQ(status["no_response"], json::array({"foreign-1.example.net"}))
      << status;

  // Both direct messages reach the foreign simulator. It ignores the one
  // for a node it does not simulate, and verifies and rejects the other.
  json stats = foreign.read_stats(
      [](const json& s) { return rejected_count(s, "untrusted_cert") == 1; },
      10s);
  ASSERT_TRUE(stats.is_object()) << foreign.log();
  EXPECT_EQ(rejected_count(stats, "untrusted_cert"), 1) << stats;
  EXPECT_EQ(stats["unknown_node"], 1) << stats;
  EXPECT_EQ(stats["accepted"], 0) << stats;
  EXPECT_EQ(stats["replies"], 0) << stats;
}

}  // namespace
}  // namespace gateway::integration
