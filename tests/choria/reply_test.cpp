#include <gtest/gtest.h>

#include "gateway/choria/protocol.hpp"
#include "gateway/common/encoding.hpp"

namespace gateway::choria {
namespace {

constexpr std::string_view request_id = "0123456789abcdef0123456789abcdef";

// A transport around a secure reply whose hash is given explicitly.
std::string reply_payload(const std::string& reply_text,
                          const std::string& hash) {
  nlohmann::json secure = {{"protocol", "choria:secure:reply:1"},
                           {"message", reply_text},
                           {"hash", hash}};
  return encode_transport(secure.dump(), {"", "web1"});
}

std::string hashed_reply_payload(const std::string& reply_text) {
  return reply_payload(reply_text, base64_encode(sha256(reply_text)));
}

nlohmann::json valid_reply() {
  return {{"protocol", "choria:reply:1"},
          {"message", R"({"statuscode":0})"},
          {"envelope",
           {{"requestid", request_id},
            {"senderid", "web1"},
            {"agent", "rpcutil"},
            {"time", 1733300000}}}};
}

TEST(Reply, RoundTripsJsonBody) {
  std::string body =
      R"({"statuscode":0,"statusmsg":"OK","data":{"pong":1733300000}})";
  auto result = decode_reply(encode_reply(request_id, "web1.example.net",
                                          "rpcutil", 1733300001, body));
  ASSERT_TRUE(result.value.has_value()) << to_string(result.error);
  const auto& decoded = *result.value;
  EXPECT_EQ(decoded.request_id, request_id);
  EXPECT_EQ(decoded.sender_id, "web1.example.net");
  EXPECT_EQ(decoded.agent, "rpcutil");
  EXPECT_EQ(decoded.time, 1733300001);
  EXPECT_TRUE(decoded.body_is_json);
  EXPECT_EQ(decoded.body["data"]["pong"], 1733300000);
  EXPECT_EQ(decoded.body["statusmsg"], "OK");
}

TEST(Reply, RoundTripsBarePong) {
  auto result =
      decode_reply(encode_reply(request_id, "web1", "discovery", 1, "pong"));
  ASSERT_TRUE(result.value.has_value()) << to_string(result.error);
  EXPECT_FALSE(result.value->body_is_json);
  EXPECT_EQ(result.value->body, "pong");
}

TEST(Reply, DecodesBase64Message) {
  auto reply = valid_reply();
  reply["message"] = base64_encode(R"({"statuscode":1})");
  auto result = decode_reply(hashed_reply_payload(reply.dump()));
  ASSERT_TRUE(result.value.has_value()) << to_string(result.error);
  EXPECT_EQ(result.value->body["statuscode"], 1);
}

TEST(Reply, TransportCarriesSender) {
  auto transport = nlohmann::json::parse(
      encode_reply(request_id, "web1", "rpcutil", 1, "{}"));
  EXPECT_EQ(transport["headers"]["mc_sender"], "web1");
  EXPECT_FALSE(transport["headers"].contains("reply-to"));
}

TEST(Reply, TamperedHashIsBadHash) {
  std::string text = valid_reply().dump();
  std::string wrong_hash = base64_encode(sha256(text + " "));
  EXPECT_EQ(decode_reply(reply_payload(text, wrong_hash)).error,
            decode_error::bad_hash);
  EXPECT_FALSE(decode_reply(reply_payload(text, wrong_hash)).value);
}

TEST(Reply, TamperedMessageIsBadHash) {
  auto transport = nlohmann::json::parse(
      encode_reply(request_id, "web1", "rpcutil", 1, R"({"statuscode":0})"));
  auto secure = nlohmann::json::parse(
      *base64_decode(transport["data"].get<std::string>()));
  std::string message = secure["message"];
  message.replace(message.find("statuscode\\\":0"), 14, "statuscode\\\":1");
  secure["message"] = message;
  transport["data"] = base64_encode(secure.dump());
  auto result = decode_reply(transport.dump());
  EXPECT_FALSE(result.value.has_value());
  EXPECT_EQ(result.error, decode_error::bad_hash);
}

TEST(Reply, HashThatIsNotBase64IsBadHash) {
  EXPECT_EQ(decode_reply(reply_payload(valid_reply().dump(), "***")).error,
            decode_error::bad_hash);
}

TEST(Reply, AcceptsWrappedHash) {
  std::string text = valid_reply().dump();
  std::string hash = base64_encode(sha256(text));
  hash.insert(20, "\n");
  EXPECT_TRUE(decode_reply(reply_payload(text, hash)).value.has_value());
}

TEST(Reply, MalformedTransport) {
  for (std::string payload :
       {std::string(), std::string("{"), std::string("null"),
        std::string(R"({"protocol":"choria:transport:1","data":"%%",)"
                    R"("headers":{}})")}) {
    auto result = decode_reply(payload);
    EXPECT_FALSE(result.value.has_value()) << payload;
    EXPECT_EQ(result.error, decode_error::malformed_transport) << payload;
  }
}

TEST(Reply, MalformedSecure) {
  nlohmann::json secure = {{"protocol", "choria:secure:reply:1"},
                           {"message", "x"},
                           {"hash", base64_encode(sha256("x"))}};
  std::vector<std::string> texts = {"not json", "[]"};
  for (const char* key : {"protocol", "message", "hash"}) {
    auto missing = secure;
    missing.erase(key);
    texts.push_back(missing.dump());
  }
  auto request_protocol = secure;
  request_protocol["protocol"] = "choria:secure:request:1";
  texts.push_back(request_protocol.dump());

  for (const auto& text : texts) {
    auto result = decode_reply(encode_transport(text, {}));
    EXPECT_FALSE(result.value.has_value()) << text;
    EXPECT_EQ(result.error, decode_error::malformed_secure) << text;
  }
}

TEST(Reply, MalformedMessage) {
  std::vector<std::string> texts = {"not json"};
  auto add = [&](auto change) {
    auto reply = valid_reply();
    change(reply);
    texts.push_back(reply.dump());
  };
  add([](auto& r) { r["protocol"] = "choria:request:1"; });
  add([](auto& r) { r.erase("message"); });
  add([](auto& r) { r.erase("envelope"); });
  for (const char* key : {"requestid", "senderid", "agent", "time"})
    add([key](auto& r) { r["envelope"].erase(key); });
  add([](auto& r) { r["envelope"]["requestid"] = "short"; });
  add([](auto& r) { r["envelope"]["time"] = "1733300000"; });

  for (const auto& text : texts) {
    auto result = decode_reply(hashed_reply_payload(text));
    EXPECT_FALSE(result.value.has_value()) << text;
    EXPECT_EQ(result.error, decode_error::malformed_message) << text;
  }
}

TEST(Reply, NeverThrowsOnTruncatedPayload) {
  std::string payload = encode_reply(request_id, "web1", "rpcutil", 1,
                                     R"({"statuscode":0,"data":{}})");
  for (std::size_t length = 0; length < payload.size(); ++length)
    EXPECT_FALSE(decode_reply(payload.substr(0, length)).value) << length;
}

TEST(Reply, InvalidUtf8BodyStillHashes) {
  auto result = decode_reply(
      encode_reply(request_id, "web1", "rpcutil", 1, "bad \xff byte"));
  ASSERT_TRUE(result.value.has_value()) << to_string(result.error);
  EXPECT_FALSE(result.value->body_is_json);
}

}  // namespace
}  // namespace gateway::choria
