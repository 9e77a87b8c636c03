#include "actors/signer.hpp"

#include <chrono>
#include <set>

#include <caf/all.hpp>
#include <gtest/gtest.h>

#include "gateway/choria/security.hpp"
#include "gateway/common/encoding.hpp"

namespace gateway {
namespace {

const std::string fixtures =
    std::string(GATEWAY_SHARED_DIR) + "/choria/testdata-go-choria/";

signer_config privileged_signer() {
  std::string error;
  auto identity = choria::signing_identity::load(
      fixtures + "certs/1.privileged.mcollective.pem",
      fixtures + "private_keys/1.privileged.mcollective.pem", &error);
  EXPECT_TRUE(identity.has_value()) << error;
  return {std::make_shared<choria::signing_identity>(std::move(*identity)),
          "gateway.example.net", "choria={user}"};
}

signing_order ping_order() {
  signing_order order;
  order.request_id = make_request_id();
  order.collective = "mcollective";
  order.agent = "rpcutil";
  order.action = "ping";
  order.caller_username = "alice";
  return order;
}

TEST(Signer, SignsForTheUserWithTheGatewayCertificate) {
  auto config = privileged_signer();
  auto order = ping_order();
  std::int64_t now = 1796400000;
  auto message = sign_order(config, order, now);
  EXPECT_EQ(message.request_id, order.request_id);

  auto decoded = choria::decode_request(message.payload);
  ASSERT_TRUE(decoded.value.has_value());
  const auto& request = *decoded.value;
  EXPECT_EQ(request.env.caller_id, "choria=alice");
  EXPECT_EQ(request.env.sender_id, "gateway.example.net");
  EXPECT_EQ(request.env.request_id, order.request_id);
  EXPECT_EQ(request.env.time, now);
  EXPECT_EQ(request.headers.reply_to,
            "mcollective.reply." +
                hex_encode(md5(config.identity->certname())) + "." +
                order.request_id);

  auto body = nlohmann::json::parse(request.rpc_body);
  EXPECT_EQ(body["agent"], "rpcutil");
  EXPECT_EQ(body["action"], "ping");
  EXPECT_EQ(body["caller"], "choria=alice");

  std::string error;
  auto verifier = choria::node_verifier::create(
      fixtures + "certs/ca.pem", choria::default_privileged_patterns(),
      choria::default_allowed_patterns(), &error);
  ASSERT_TRUE(verifier.has_value()) << error;
  EXPECT_EQ(verifier->verify(request, now), choria::rejection::none);
}

TEST(Signer, DiscoveryBodyIsBase64Ping) {
  auto order = ping_order();
  order.agent = "discovery";
  order.discovery = true;
  auto message = sign_order(privileged_signer(), order, 1796400000);
  auto decoded = choria::decode_request(message.payload);
  ASSERT_TRUE(decoded.value.has_value());
  EXPECT_EQ(decoded.value->rpc_body, "ping");
}

TEST(SignerPool, SignsEveryOrderAndDrainsBacklog) {
  caf::actor_system_config system_config;
  caf::actor_system system{system_config};
  auto config = privileged_signer();
  config.backlog = std::make_shared<std::atomic<std::int64_t>>(0);
  auto pool = spawn_signer_pool(system, config, 3);

  caf::scoped_actor self{system};
  std::set<std::string> sent;
  std::set<std::string> signed_ids;
  for (int i = 0; i < 12; ++i) {
    auto order = ping_order();
    sent.insert(order.request_id);
    self->request(pool, std::chrono::seconds(30), sign_atom::value, order)
        .receive(
            [&](const signed_message& message) {
              auto decoded = choria::decode_request(message.payload);
              ASSERT_TRUE(decoded.value.has_value());
              EXPECT_EQ(decoded.value->env.request_id, message.request_id);
              signed_ids.insert(message.request_id);
            },
            [&](const caf::error& error) {
              ADD_FAILURE() << system.render(error);
            });
  }
  EXPECT_EQ(signed_ids, sent);
  EXPECT_EQ(config.backlog->load(), 0);
  self->send_exit(pool, caf::exit_reason::user_shutdown);
}

}  // namespace
}  // namespace gateway
