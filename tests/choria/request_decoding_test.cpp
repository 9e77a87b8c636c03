// decode_request on malformed input: each layer gives its own error and
// nothing throws.
#include <gtest/gtest.h>

#include "gateway/choria/protocol.hpp"
#include "gateway/common/encoding.hpp"

#include "fixtures.hpp"

namespace gateway::choria {
namespace {

nlohmann::json valid_request() {
  return nlohmann::json::parse(
      encode_request(testing::envelope_for({}), R"({"agent":"rpcutil"})"));
}

nlohmann::json secure_around(const nlohmann::json& request) {
  return {{"protocol", "choria:secure:request:1"},
          {"message", request.dump()},
          {"signature", "c2lnbmF0dXJl"},
          {"pubcert", "-----BEGIN CERTIFICATE-----"}};
}

std::string transport_around(const nlohmann::json& secure) {
  return encode_transport(secure.dump(), {"reply.subject", "sender"});
}

decode_error error_of(std::string_view payload) {
  auto result = decode_request(payload);
  EXPECT_FALSE(result.value.has_value()) << payload;
  return result.error;
}

TEST(DecodeRequest, AcceptsHandBuiltLayers) {
  auto result =
      decode_request(transport_around(secure_around(valid_request())));
  ASSERT_TRUE(result.value.has_value()) << to_string(result.error);
  EXPECT_EQ(result.value->signature, "c2lnbmF0dXJl");
}

TEST(DecodeRequest, MalformedTransport) {
  std::string secure = base64_encode(secure_around(valid_request()).dump());
  const std::vector<std::string> payloads = {
      "",
      "not json",
      "[]",
      R"({"protocol":"choria:transport:2","data":")" + secure +
          R"(","headers":{}})",
      R"({"protocol":"choria:transport:1","headers":{}})",
      R"({"protocol":"choria:transport:1","data":")" + secure + R"("})",
      R"({"protocol":"choria:transport:1","data":"!!!!","headers":{}})",
      R"({"protocol":"choria:transport:1","data":5,"headers":{}})",
      R"({"protocol":"choria:transport:1","data":")" + secure +
          R"(","headers":{"reply-to":5}})",
      R"({"protocol":"choria:transport:1","data":")" + secure +
          R"(","headers":[]})",
  };
  for (const auto& payload : payloads)
    EXPECT_EQ(error_of(payload), decode_error::malformed_transport) << payload;
}

TEST(DecodeRequest, MissingHeadersAreEmpty) {
  std::string payload =
      nlohmann::json{
          {"protocol", "choria:transport:1"},
          {"data", base64_encode(secure_around(valid_request()).dump())},
          {"headers", nlohmann::json::object()}}
          .dump();
  auto result = decode_request(payload);
  ASSERT_TRUE(result.value.has_value()) << to_string(result.error);
  EXPECT_TRUE(result.value->headers.reply_to.empty());
  EXPECT_TRUE(result.value->headers.mc_sender.empty());
}

TEST(DecodeRequest, MalformedSecure) {
  auto secure = secure_around(valid_request());
  std::vector<std::string> payloads = {
      encode_transport("not json", {"r", "s"}),
      encode_transport("[1,2]", {"r", "s"}),
  };
  for (const char* key : {"protocol", "message", "signature", "pubcert"}) {
    auto missing = secure;
    missing.erase(key);
    payloads.push_back(transport_around(missing));
    auto wrong_type = secure;
    wrong_type[key] = 42;
    payloads.push_back(transport_around(wrong_type));
  }
  auto reply_protocol = secure;
  reply_protocol["protocol"] = "choria:secure:reply:1";
  payloads.push_back(transport_around(reply_protocol));

  for (const auto& payload : payloads)
    EXPECT_EQ(error_of(payload), decode_error::malformed_secure) << payload;
}

TEST(DecodeRequest, MalformedMessage) {
  std::vector<nlohmann::json> requests;
  auto add = [&](auto change) {
    auto request = valid_request();
    change(request);
    requests.push_back(request);
  };
  add([](auto& r) { r["protocol"] = "choria:request:2"; });
  add([](auto& r) { r.erase("message"); });
  add([](auto& r) { r["message"] = nlohmann::json::object(); });
  add([](auto& r) { r.erase("envelope"); });
  add([](auto& r) { r["envelope"] = "text"; });
  for (const char* key : {"requestid", "senderid", "callerid", "collective",
                          "agent", "ttl", "time", "filter"})
    add([key](auto& r) { r["envelope"].erase(key); });
  add([](auto& r) { r["envelope"]["requestid"] = "abc"; });
  add([](auto& r) { r["envelope"]["callerid"] = ""; });
  add([](auto& r) { r["envelope"]["ttl"] = "60"; });
  add([](auto& r) { r["envelope"]["time"] = 1.5; });
  add([](auto& r) { r["envelope"]["filter"] = 3; });
  add([](auto& r) {
    r["envelope"]["filter"]["fact"] = {
        {{"fact", "a"}, {"operator", "<>"}, {"value", "b"}}};
  });

  for (const auto& request : requests) {
    auto payload = transport_around(secure_around(request));
    EXPECT_EQ(error_of(payload), decode_error::malformed_message) << payload;
  }

  auto not_json = secure_around(valid_request());
  not_json["message"] = "{not json";
  EXPECT_EQ(error_of(transport_around(not_json)),
            decode_error::malformed_message);
}

TEST(DecodeRequest, NeverThrowsOnTruncatedPayload) {
  auto identity = testing::go_choria_identity("1.mcollective");
  std::string payload = testing::signed_request(identity, {});
  for (std::size_t length = 0; length < payload.size(); ++length) {
    auto result = decode_request(payload.substr(0, length));
    EXPECT_FALSE(result.value.has_value()) << length;
  }
}

TEST(DecodeRequest, NeverThrowsOnInvalidUtf8) {
  std::string invalid =
      "{\"protocol\":\"choria:transport:1\",\"data\":\"\xff\"}";
  EXPECT_EQ(error_of(invalid), decode_error::malformed_transport);
  std::string secure = "{\"protocol\":\"\xc3\x28\"}";
  EXPECT_EQ(error_of(encode_transport(secure, {"r", "s"})),
            decode_error::malformed_secure);
}

TEST(DecodeErrors, HaveNames) {
  EXPECT_EQ(to_string(decode_error::malformed_transport),
            "malformed_transport");
  EXPECT_EQ(to_string(decode_error::malformed_secure), "malformed_secure");
  EXPECT_EQ(to_string(decode_error::bad_hash), "bad_hash");
  EXPECT_EQ(to_string(decode_error::malformed_message), "malformed_message");
}

}  // namespace
}  // namespace gateway::choria
