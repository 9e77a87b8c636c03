// Every message the gateway publishes during real fan-outs, captured by a
// plain NATS client on the request subjects, validates against the upstream
// Choria v1 protocol schemas layer by layer, and so does every reply the
// simulator sends back.
#include <algorithm>

#include <gtest/gtest.h>

#include "gateway/common/encoding.hpp"

#include "gateway_stack.hpp"
#include "nats_capture.hpp"
#include "schema_check.hpp"

namespace gateway::integration {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

bool is_reply_subject(const std::string& subject) {
  return subject.rfind("mcollective.reply.", 0) == 0;
}

// Five nodes, and a client that records every request and reply subject.
class OutgoingMessages : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    stack_options options;
    options.fleet_size = 5;
    stack_ = new gateway_stack(options);
    started_ = stack_->start(&start_error_);
    if (!started_) return;
    capture_ = nats_capture::connect_to(*stack_, &start_error_).release();
    started_ =
        capture_ != nullptr &&
        capture_->subscribe("mcollective.node.>", &start_error_) &&
        capture_->subscribe("mcollective.broadcast.agent.>", &start_error_) &&
        capture_->subscribe("mcollective.reply.>", &start_error_);
  }
  static void TearDownTestSuite() {
    delete capture_;
    capture_ = nullptr;
    delete stack_;
    stack_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(started_) << start_error_;
    token_ = stack_->login_admin();
    ASSERT_FALSE(token_.empty());
    first_ = capture_->messages().size();
  }

  // Submits body, waits until the request completes and returns what the
  // capture received meanwhile. A reply can still be in flight when the
  // status is complete, so the capture waits for min_messages.
  std::vector<captured_message> run(const json& body,
                                    std::size_t min_messages) {
    auto request_id = stack_->submit_accepted(token_, body);
    if (request_id.empty()) return {};
    json status = stack_->await_finished(token_, request_id, 20s);
    EXPECT_TRUE(status.is_object()) << status;
    EXPECT_EQ(status["state"], "complete") << status;
    EXPECT_TRUE(capture_->await_count(first_ + min_messages, 10s));
    auto all = capture_->messages();
    return {all.begin() + static_cast<std::ptrdiff_t>(first_), all.end()};
  }

  // Validates every captured message and returns how many were requests
  // on each subject.
  std::map<std::string, int> validate(
      const std::vector<captured_message>& messages) {
    std::map<std::string, int> requests;
    for (const auto& message : messages) {
      if (is_reply_subject(message.subject)) {
        EXPECT_EQ(reply_layer_errors(message.data), "")
            << message.subject << " " << message.data;
        continue;
      }
      ++requests[message.subject];
      EXPECT_EQ(request_layer_errors(message.data), "")
          << message.subject << " " << message.data;
    }
    return requests;
  }

  static gateway_stack* stack_;
  static nats_capture* capture_;
  static bool started_;
  static std::string start_error_;
  std::string token_;
  std::size_t first_ = 0;
};

gateway_stack* OutgoingMessages::stack_ = nullptr;
nats_capture* OutgoingMessages::capture_ = nullptr;
bool OutgoingMessages::started_ = false;
std::string OutgoingMessages::start_error_;

TEST_F(OutgoingMessages, DirectRequestsValidate) {
  std::vector<std::string> nodes{"node-1.example.net", "node-2.example.net",
                                 "node-3.example.net"};
  auto messages = run({{"agent", "rpcutil"},
                       {"action", "ping"},
                       {"nodes", nodes},
                       {"timeout", 5}},
                      6);
  auto requests = validate(messages);
  EXPECT_EQ(requests, (std::map<std::string, int>{
                          {"mcollective.node.node-1.example.net", 1},
                          {"mcollective.node.node-2.example.net", 1},
                          {"mcollective.node.node-3.example.net", 1}}));
}

TEST_F(OutgoingMessages, DirectRequestWithDiscoveryValidates) {
  // Node 1 and node 4 have the country fact mt.
  json filter = {
      {"fact", {{{"fact", "country"}, {"operator", "=="}, {"value", "mt"}}}},
      {"cf_class", {"base"}},
      {"identity", {"/^node-/"}},
      {"agent", {"sim_test"}}};
  auto messages = run({{"agent", "sim_test"},
                       {"action", "run"},
                       {"data", {{"message", "schema check"}}},
                       {"filter", filter},
                       {"discovery_timeout", 1},
                       {"timeout", 5}},
                      1 + 2 + 2 + 2);
  auto requests = validate(messages);
  EXPECT_EQ(requests, (std::map<std::string, int>{
                          {"mcollective.broadcast.agent.discovery", 1},
                          {"mcollective.node.node-1.example.net", 1},
                          {"mcollective.node.node-4.example.net", 1}}));
}

TEST_F(OutgoingMessages, BroadcastRequestValidates) {
  json filter = {
      {"fact", {{{"fact", "role"}, {"operator", "=="}, {"value", "web"}}}}};
  // Nodes 1, 3 and 5 have the role web; discovery and the broadcast each
  // get three replies.
  auto messages = run({{"agent", "rpcutil"},
                       {"action", "ping"},
                       {"mode", "broadcast"},
                       {"filter", filter},
                       {"discovery_timeout", 1},
                       {"timeout", 5}},
                      1 + 3 + 1 + 3);
  auto requests = validate(messages);
  EXPECT_EQ(requests, (std::map<std::string, int>{
                          {"mcollective.broadcast.agent.discovery", 1},
                          {"mcollective.broadcast.agent.rpcutil", 1}}));
}

// Guards the checker itself: a captured request passes, and the same
// request with an extra envelope key, without reply-to or with a wrong
// protocol fails.
TEST_F(OutgoingMessages, CheckerFlagsBrokenRequests) {
  auto messages = run({{"agent", "rpcutil"},
                       {"action", "ping"},
                       {"nodes", {"node-1.example.net"}},
                       {"timeout", 5}},
                      2);
  auto request = std::find_if(
      messages.begin(), messages.end(),
      [](const captured_message& m) { return !is_reply_subject(m.subject); });
  ASSERT_NE(request, messages.end());
  ASSERT_EQ(request_layer_errors(request->data), "");

  json transport = json::parse(request->data);
  json secure =
      json::parse(*base64_decode(transport["data"].get<std::string>()));
  json inner = json::parse(secure["message"].get<std::string>());
  auto rewrap = [&](const json& changed_inner, const json& changed_transport) {
    json changed_secure = secure;
    changed_secure["message"] = changed_inner.dump();
    json out = changed_transport;
    out["data"] = base64_encode(changed_secure.dump());
    return out.dump();
  };

  json extra_key = inner;
  extra_key["envelope"]["reply_to"] = "x";
  EXPECT_NE(request_layer_errors(rewrap(extra_key, transport))
                .find("extra key reply_to"),
            std::string::npos);

  json no_reply_to = transport;
  no_reply_to["headers"].erase("reply-to");
  EXPECT_NE(request_layer_errors(rewrap(inner, no_reply_to)).find("reply-to"),
            std::string::npos);

  json wrong_protocol = inner;
  wrong_protocol["protocol"] = "choria:request:9";
  EXPECT_NE(request_layer_errors(rewrap(wrong_protocol, transport))
                .find("request.json"),
            std::string::npos);
}

}  // namespace
}  // namespace gateway::integration
