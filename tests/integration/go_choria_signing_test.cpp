// Requests signed with go-choria's own test certificates, sent over the
// broker to a simulator that trusts go-choria's test CA: the privileged
// certificate may act for any caller, and an ordinary one only for itself.
#include <ctime>
#include <set>

#include <gtest/gtest.h>

#include "extra_fleet.hpp"
#include "gateway/choria/protocol.hpp"
#include "gateway/common/encoding.hpp"
#include "gateway_stack.hpp"
#include "nats_capture.hpp"

namespace gateway::integration {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* node = "go-1.example.net";
constexpr const char* reply_prefix = "mcollective.reply.go-choria-test.";

std::string go_choria_file(const std::string& relative) {
  return std::string(GATEWAY_SHARED_DIR) + "/choria/testdata-go-choria/" +
         relative;
}

// The go-choria identity name, such as "1.privileged.mcollective".
std::optional<choria::signing_identity> load_identity(const std::string& name,
                                                      std::string* error) {
  return choria::signing_identity::load(
      go_choria_file("certs/" + name + ".pem"),
      go_choria_file("private_keys/" + name + ".pem"), error);
}

// An rpcutil ping for caller_id, signed by identity and addressed to node.
// Sets *request_id.
std::string signed_ping(const choria::signing_identity& identity,
                        const std::string& caller_id, std::string* request_id) {
  choria::envelope envelope;
  envelope.request_id = make_request_id();
  envelope.sender_id = "go-choria-test";
  envelope.caller_id = caller_id;
  envelope.collective = "mcollective";
  envelope.agent = "rpcutil";
  envelope.time = std::time(nullptr);
  *request_id = envelope.request_id;
  auto request = choria::encode_request(
      envelope, choria::encode_rpc_body("rpcutil", "ping", caller_id, {}));
  return choria::encode_transport(
      choria::encode_secure_request(request, identity),
      {reply_prefix + envelope.request_id, "go-choria-test"});
}

TEST(GoChoriaSigning, PrivilegedActsForOthersOrdinaryOnlyForItself) {
  stack_options options;
  options.fleet_size = 1;
  gateway_stack stack(options);
  std::string error;
  ASSERT_TRUE(stack.start(&error)) << error;
  extra_fleet fleet(stack, {.name_format = "go-{index}.example.net",
                            .count = 1,
                            .request_ca = go_choria_file("certs/ca.pem")});
  ASSERT_TRUE(fleet.await_ready(15s)) << fleet.log();

  auto privileged = load_identity("1.privileged.mcollective", &error);
  ASSERT_TRUE(privileged) << error;
  auto ordinary = load_identity("1.mcollective", &error);
  ASSERT_TRUE(ordinary) << error;

  auto client = nats_capture::connect_to(stack, &error);
  ASSERT_TRUE(client) << error;
  ASSERT_TRUE(client->subscribe(std::string(reply_prefix) + "*", &error))
      << error;

  std::string privileged_id;
  std::string forged_id;
  std::string own_id;
  std::string subject = choria::node_subject("mcollective", node);
  ASSERT_TRUE(client->publish(
      subject, signed_ping(*privileged, "choria=bob", &privileged_id), &error))
      << error;
  ASSERT_TRUE(client->publish(
      subject, signed_ping(*ordinary, "choria=bob", &forged_id), &error))
      << error;
  ASSERT_TRUE(client->publish(
      subject, signed_ping(*ordinary, "choria=1.mcollective", &own_id), &error))
      << error;

  // The simulator has decided on all three requests once it counted them,
  // and has sent every reply it will send.
  json stats = fleet.read_stats(
      [](const json& s) {
        return s.value("accepted", 0) +
                       rejected_count(s, "callerid_mismatch") ==
                   3 &&
               s.value("replies", 0) == 2;
      },
      10s);
  ASSERT_TRUE(stats.is_object()) << fleet.log();
  EXPECT_EQ(stats.value("accepted", 0), 2) << stats;
  EXPECT_EQ(rejected_count(stats, "callerid_mismatch"), 1) << stats;
  EXPECT_EQ(rejected_count(stats, "untrusted_cert"), 0) << stats;
  EXPECT_EQ(stats.value("replies", 0), 2) << stats;
  ASSERT_TRUE(client->await_count(2, 10s)) << fleet.log();

  std::set<std::string> replied;
  for (const auto& message : client->messages()) {
    auto reply = choria::decode_reply(message.data);
    ASSERT_TRUE(reply.value) << message.data;
    EXPECT_EQ(reply.value->sender_id, node);
    EXPECT_EQ(reply.value->body.value("statuscode", -1), 0)
        << reply.value->body;
    EXPECT_EQ(message.subject, reply_prefix + reply.value->request_id);
    replied.insert(reply.value->request_id);
  }
  EXPECT_EQ(replied, (std::set<std::string>{privileged_id, own_id}));
  EXPECT_FALSE(replied.contains(forged_id));
}

}  // namespace
}  // namespace gateway::integration
