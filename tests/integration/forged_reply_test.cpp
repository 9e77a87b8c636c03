// Replies that any client with a broker certificate can publish on the
// gateway's reply subject: a reply with a wrong hash, a duplicate from a node
// that already replied, a reply from a node outside the request and a reply
// for a request id the gateway does not know. The gateway stores only the
// first correctly hashed reply of each sender, and counts one from outside
// the request as unexpected.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <memory>
#include <regex>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <nats/nats.h>

#include "gateway/choria/protocol.hpp"
#include "gateway/common/encoding.hpp"
#include "gateway_stack.hpp"
#include "reply_checks.hpp"

namespace gateway::integration {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* gateway_certname = "gateway.privileged.choria";
constexpr const char* collective = "mcollective";
constexpr const char* forged_message = "forged by the test";

// The broker port that init wrote into nats-server.conf as `port: N`, or 0.
int broker_port(const gateway_stack& stack) {
  std::ifstream file(stack.setup_file("nats-server.conf"));
  std::string line;
  std::smatch match;
  static const std::regex port_line(R"(^\s*port:\s*(\d+)\s*$)");
  while (std::getline(file, line))
    if (std::regex_match(line, match, port_line))
      return std::stoi(match[1].str());
  return 0;
}

struct connection_deleter {
  // Destroys without nats_Close(): closing the library here frees OpenSSL
  // state that is freed again at process exit, which crashes the test.
  void operator()(natsConnection* connection) const {
    natsConnection_Destroy(connection);
  }
};
using connection_pointer = std::unique_ptr<natsConnection, connection_deleter>;

// Connects over mutual TLS with the simulator's client certificate. Returns
// null and sets *error when the connection fails.
connection_pointer connect_client(const gateway_stack& stack,
                                  std::string* error) {
  natsOptions* options = nullptr;
  natsStatus status = natsOptions_Create(&options);
  std::string url = "tls://127.0.0.1:" + std::to_string(broker_port(stack));
  std::string ca = stack.setup_file("ca.pem");
  std::string cert = stack.setup_file("fleet-sim.pem");
  std::string key = stack.setup_file("fleet-sim-key.pem");
  if (status == NATS_OK) status = natsOptions_SetURL(options, url.c_str());
  if (status == NATS_OK) status = natsOptions_SetSecure(options, true);
  if (status == NATS_OK)
    status = natsOptions_LoadCATrustedCertificates(options, ca.c_str());
  if (status == NATS_OK)
    status =
        natsOptions_LoadCertificatesChain(options, cert.c_str(), key.c_str());
  natsConnection* connection = nullptr;
  if (status == NATS_OK) status = natsConnection_Connect(&connection, options);
  natsOptions_Destroy(options);
  if (status != NATS_OK) {
    *error = std::string("cannot connect to ") + url + ": " +
             natsStatus_GetText(status);
    return nullptr;
  }
  return connection_pointer(connection);
}

// The subject the gateway receives replies for request_id on.
std::string gateway_reply_subject(const std::string& request_id) {
  return std::string(collective) + ".reply." +
         hex_encode(md5(gateway_certname)) + "." + request_id;
}

// A correctly hashed rpcutil ping reply from sender.
std::string valid_reply(const std::string& request_id,
                        const std::string& sender,
                        const std::string& status_message = "OK") {
  json body = {{"statuscode", 0},
               {"statusmsg", status_message},
               {"data", {{"pong", std::time(nullptr)}}}};
  return choria::encode_reply(request_id, sender, "rpcutil", std::time(nullptr),
                              body.dump());
}

// A reply whose secure layer carries the hash of a different message.
std::string reply_with_wrong_hash(const std::string& request_id,
                                  const std::string& sender) {
  json transport = json::parse(valid_reply(request_id, sender, forged_message),
                               nullptr, false);
  auto secure_text = base64_decode(transport.value("data", ""));
  if (!secure_text) return "";
  json secure = json::parse(*secure_text, nullptr, false);
  if (!secure.is_object()) return "";
  secure["hash"] = base64_encode(sha256("some other message"));
  transport["data"] = base64_encode(secure.dump());
  return transport.dump();
}

// Polls the status record until predicate accepts it or timeout passes.
// Returns the last record read.
template <typename Predicate>
json await_status(const gateway_stack& stack, const std::string& token,
                  const std::string& request_id, Predicate predicate,
                  std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  json status;
  while (true) {
    auto result = stack.status(token, request_id);
    status = json::parse(result.body, nullptr, false);
    if (predicate(status) || std::chrono::steady_clock::now() >= deadline)
      return status;
    std::this_thread::sleep_for(50ms);
  }
}

int count_of(const std::vector<std::string>& senders,
             const std::string& sender) {
  return static_cast<int>(std::count(senders.begin(), senders.end(), sender));
}

// A fleet of three nodes, of which node-2 stays silent so that the test
// decides when the request completes.
class ForgedReplies : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    stack_options options;
    options.fleet_size = 3;
    options.silent_nodes = {"node-2.example.net"};
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

  void publish(natsConnection* connection, const std::string& subject,
               const std::string& payload) {
    ASSERT_FALSE(payload.empty());
    natsStatus status =
        natsConnection_Publish(connection, subject.c_str(), payload.data(),
                               static_cast<int>(payload.size()));
    ASSERT_EQ(status, NATS_OK) << natsStatus_GetText(status);
  }

  static gateway_stack* stack_;
  static bool started_;
  static std::string start_error_;
  std::string token_;
};

gateway_stack* ForgedReplies::stack_ = nullptr;
bool ForgedReplies::started_ = false;
std::string ForgedReplies::start_error_;

TEST_F(ForgedReplies, CountsOnlyGenuineFirstReplies) {
  const std::string node_1 = "node-1.example.net";
  const std::string node_2 = "node-2.example.net";
  const std::string intruder = "intruder.example.net";
  auto request_id = stack_->submit_accepted(
      token_, {{"agent", "rpcutil"},
               {"action", "ping"},
               {"nodes", std::vector<std::string>{node_1, node_2}},
               {"timeout", 10}});
  ASSERT_FALSE(request_id.empty());

  // Once node-1's reply is counted, the gateway routes this request's replies
  // to its collector.
  json status = await_status(
      *stack_, token_, request_id,
      [](const json& s) {
        return s.is_object() && s.value("received", 0) >= 1;
      },
      10s);
  ASSERT_EQ(status.value("received", 0), 1) << status << stack_->log_tails();

  std::string error;
  auto connection = connect_client(*stack_, &error);
  ASSERT_TRUE(connection) << error;
  auto subject = gateway_reply_subject(request_id);
  auto forged = reply_with_wrong_hash(request_id, node_2);
  // The forgery is well formed, so only its hash can get it dropped.
  auto decoded = choria::decode_reply(forged);
  ASSERT_FALSE(decoded.value);
  ASSERT_EQ(decoded.error, choria::decode_error::bad_hash);
  publish(connection.get(), subject, forged);
  publish(connection.get(), subject, valid_reply(request_id, node_1));
  publish(connection.get(), subject, valid_reply(request_id, intruder));
  auto other_id = make_request_id();
  publish(connection.get(), gateway_reply_subject(other_id),
          valid_reply(other_id, node_2));
  ASSERT_EQ(natsConnection_FlushTimeout(connection.get(), 5000), NATS_OK);

  // The intruder's reply was published last of the three for this request,
  // so once it is counted the others were handled too.
  status = await_status(
      *stack_, token_, request_id,
      [](const json& s) {
        return s.is_object() && s.value("unexpected", 0) >= 1;
      },
      10s);
  ASSERT_EQ(status.value("unexpected", 0), 1) << status;
  EXPECT_EQ(status.value("received", 0), 1) << status;
  EXPECT_EQ(status.value("state", ""), "running") << status;

  publish(connection.get(), subject, valid_reply(request_id, node_2));
  ASSERT_EQ(natsConnection_FlushTimeout(connection.get(), 5000), NATS_OK);

  status = stack_->await_finished(token_, request_id, 20s);
  ASSERT_TRUE(status.is_object());
  EXPECT_EQ(status["state"], "complete") << status;
  EXPECT_EQ(status["received"], 2) << status;
  EXPECT_EQ(status["ok"], 2) << status;
  EXPECT_EQ(status["unexpected"], 1) << status;

  auto pages = stack_->read_reply_pages(token_, request_id, 10);
  auto senders = senders_of(pages);
  EXPECT_EQ(count_of(senders, node_1), 1);
  EXPECT_EQ(count_of(senders, node_2), 1);
  EXPECT_EQ(count_of(senders, intruder), 1);
  EXPECT_EQ(senders.size(), 3u);
  for (const auto& page : pages)
    EXPECT_EQ(page.dump().find(forged_message), std::string::npos) << page;
}

}  // namespace
}  // namespace gateway::integration
