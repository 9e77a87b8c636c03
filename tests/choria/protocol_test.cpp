#include "gateway/choria/protocol.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "gateway/common/encoding.hpp"

#include "fixtures.hpp"

namespace gateway::choria {
namespace {

using testing::go_choria_identity;

TEST(RpcBody, HasAgentActionCallerData) {
  auto body = nlohmann::json::parse(
      encode_rpc_body("rpcutil", "ping", "choria=alice", {{"key", "value"}}));
  ASSERT_TRUE(body.is_object());
  EXPECT_EQ(body.size(), 4u);
  EXPECT_EQ(body["agent"], "rpcutil");
  EXPECT_EQ(body["action"], "ping");
  EXPECT_EQ(body["caller"], "choria=alice");
  EXPECT_EQ(body["data"], nlohmann::json({{"key", "value"}}));
}

TEST(RpcBody, NullDataBecomesObject) {
  auto body = nlohmann::json::parse(
      encode_rpc_body("rpcutil", "ping", "choria=alice", nullptr));
  EXPECT_TRUE(body["data"].is_object());
}

TEST(Request, EnvelopeHasExactlyEightKeys) {
  auto env = testing::envelope_for({});
  auto request = nlohmann::json::parse(encode_request(env, "{}"));
  const auto& envelope_json = request["envelope"];
  EXPECT_EQ(envelope_json.size(), 8u);
  for (const char* key : {"requestid", "senderid", "callerid", "collective",
                          "agent", "ttl", "time", "filter"})
    EXPECT_TRUE(envelope_json.contains(key)) << key;
  EXPECT_EQ(request["protocol"], "choria:request:1");
  EXPECT_EQ(request["message"], "{}");
}

TEST(Request, RoundTripsThroughEveryLayer) {
  auto identity = go_choria_identity("1.privileged.mcollective");
  auto env = testing::envelope_for({});
  env.target.identity = {"web1", "/^db\\d+/"};
  env.target.fact = {{"country", "==", "mt"}};
  std::string body =
      encode_rpc_body("rpcutil", "ping", env.caller_id, {{"n", 1}});
  std::string request_text = encode_request(env, body);
  std::string payload = encode_transport(
      encode_secure_request(request_text, identity), {"reply.subject", "gw"});

  auto result = decode_request(payload);
  ASSERT_TRUE(result.value.has_value()) << to_string(result.error);
  const auto& decoded = *result.value;
  EXPECT_EQ(decoded.headers.reply_to, "reply.subject");
  EXPECT_EQ(decoded.headers.mc_sender, "gw");
  EXPECT_EQ(decoded.secure_message, request_text);
  EXPECT_EQ(decoded.signature, identity.sign(request_text));
  EXPECT_EQ(decoded.pubcert, identity.certificate_pem());
  EXPECT_EQ(decoded.rpc_body, body);
  EXPECT_EQ(decoded.env.request_id, env.request_id);
  EXPECT_EQ(decoded.env.sender_id, env.sender_id);
  EXPECT_EQ(decoded.env.caller_id, env.caller_id);
  EXPECT_EQ(decoded.env.collective, env.collective);
  EXPECT_EQ(decoded.env.agent, env.agent);
  EXPECT_EQ(decoded.env.ttl, env.ttl);
  EXPECT_EQ(decoded.env.time, env.time);
  EXPECT_EQ(decoded.env.target.identity, env.target.identity);
  ASSERT_EQ(decoded.env.target.fact.size(), 1u);
  EXPECT_EQ(decoded.env.target.fact[0].op, "==");
}

TEST(Request, DiscoveryBodyDecodesToPing) {
  EXPECT_EQ(discovery_rpc_body(), "cGluZw==");
  auto identity = go_choria_identity("1.privileged.mcollective");
  std::string request =
      encode_request(testing::envelope_for({}), discovery_rpc_body());
  auto result = decode_request(
      encode_transport(encode_secure_request(request, identity), {"r", "s"}));
  ASSERT_TRUE(result.value.has_value()) << to_string(result.error);
  EXPECT_EQ(result.value->rpc_body, "ping");
}

TEST(Request, RawPingBodyIsKept) {
  auto identity = go_choria_identity("1.privileged.mcollective");
  std::string request = encode_request(testing::envelope_for({}), "ping");
  auto result = decode_request(
      encode_transport(encode_secure_request(request, identity), {"r", "s"}));
  ASSERT_TRUE(result.value.has_value()) << to_string(result.error);
  EXPECT_EQ(result.value->rpc_body, "ping");
}

TEST(RpcMessage, DecodesBase64Text) {
  std::string json = R"({"agent":"rpcutil"})";
  EXPECT_EQ(decode_rpc_message(base64_encode(json)), json);
  EXPECT_EQ(decode_rpc_message("cGluZw=="), "ping");
}

TEST(RpcMessage, KeepsTextThatIsNotBase64) {
  EXPECT_EQ(decode_rpc_message(R"({"agent":"rpcutil"})"),
            R"({"agent":"rpcutil"})");
  EXPECT_EQ(decode_rpc_message("ping"), "ping");
  EXPECT_EQ(decode_rpc_message("pong"), "pong");
  EXPECT_EQ(decode_rpc_message(""), "");
}

TEST(RpcMessage, KeepsBase64OfBinary) {
  std::string binary_as_base64 = base64_encode(std::string("\x01\x02\xff", 3));
  EXPECT_EQ(decode_rpc_message(binary_as_base64), binary_as_base64);
}

TEST(Transport, LeavesOutEmptyHeaders) {
  auto transport = nlohmann::json::parse(encode_transport("x", {}));
  EXPECT_TRUE(transport["headers"].is_object());
  EXPECT_TRUE(transport["headers"].empty());
  EXPECT_EQ(transport["data"], "eA==");
}

TEST(Transport, UsesSchemaHeaderNames) {
  auto transport = nlohmann::json::parse(encode_transport("x", {"a.b", "me"}));
  EXPECT_EQ(transport["protocol"], "choria:transport:1");
  EXPECT_EQ(transport["headers"]["reply-to"], "a.b");
  EXPECT_EQ(transport["headers"]["mc_sender"], "me");
}

TEST(Subjects, FollowChoriaLayout) {
  EXPECT_EQ(reply_subject("mcollective", "choria=alice",
                          "0123456789abcdef0123456789abcdef"),
            "mcollective.reply." + hex_encode(md5("choria=alice")) +
                ".0123456789abcdef0123456789abcdef");
  EXPECT_EQ(broadcast_subject("mcollective", "rpcutil"),
            "mcollective.broadcast.agent.rpcutil");
  EXPECT_EQ(node_subject("mcollective", "web1.example.net"),
            "mcollective.node.web1.example.net");
}

TEST(SigningIdentity, LoadsPkcs8Key) {
  std::string error;
  auto identity = signing_identity::load(
      testing::go_choria_file("certs/rip.mcollective.pem"),
      testing::go_choria_file("private_keys/rip.mcollective.p8"), &error);
  ASSERT_TRUE(identity.has_value()) << error;
  EXPECT_EQ(identity->certname(), "rip.mcollective");
  std::string signature = identity->sign("message");
  EXPECT_FALSE(signature.empty());
  // PKCS#1 v1.5 signatures are deterministic, so both key files agree.
  auto pkcs1 = go_choria_identity("rip.mcollective");
  EXPECT_EQ(signature, pkcs1.sign("message"));
}

TEST(SigningIdentity, RejectsKeyOfAnotherCertificate) {
  std::string error;
  auto identity = signing_identity::load(
      testing::go_choria_file("certs/1.mcollective.pem"),
      testing::go_choria_file("private_keys/rip.mcollective.pem"), &error);
  EXPECT_FALSE(identity.has_value());
  EXPECT_NE(error.find("does not belong"), std::string::npos) << error;
}

TEST(SigningIdentity, ReportsMissingFile) {
  std::string error;
  auto identity = signing_identity::load(
      "/nonexistent/cert.pem",
      testing::go_choria_file("private_keys/rip.mcollective.pem"), &error);
  EXPECT_FALSE(identity.has_value());
  EXPECT_NE(error.find("/nonexistent/cert.pem"), std::string::npos) << error;
}

TEST(SigningIdentity, RejectsFileWithoutCertificate) {
  std::string error;
  auto identity = signing_identity::load(
      testing::go_choria_file("private_keys/rip.mcollective.pem"),
      testing::go_choria_file("private_keys/rip.mcollective.pem"), &error);
  EXPECT_FALSE(identity.has_value());
  EXPECT_NE(error.find("no PEM certificate"), std::string::npos) << error;
}

TEST(SigningIdentity, SendsOnlyPemBlocks) {
  testing::temp_dir dir;
  std::string pem_text;
  {
    std::ifstream in(testing::go_choria_file("certs/1.mcollective.pem"));
    std::stringstream text;
    text << in.rdbuf();
    pem_text = text.str();
  }
  std::string cert_path =
      dir.write("cert.pem", "Bag Attributes\n    friendlyName: x\n" + pem_text);
  std::string error;
  auto identity = signing_identity::load(
      cert_path, testing::go_choria_file("private_keys/1.mcollective.pem"),
      &error);
  ASSERT_TRUE(identity.has_value()) << error;
  EXPECT_EQ(identity->certificate_pem().rfind("-----BEGIN CERTIFICATE-----", 0),
            0u);
  EXPECT_EQ(identity->certificate_pem().find("Bag Attributes"),
            std::string::npos);
}

}  // namespace
}  // namespace gateway::choria
