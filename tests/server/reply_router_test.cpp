#include "actors/reply_router.hpp"

#include <chrono>

#include <gtest/gtest.h>
#include <caf/all.hpp>

#include "gateway/choria/protocol.hpp"
#include "gateway/common/encoding.hpp"

namespace gateway {
namespace {

constexpr auto receive_timeout = std::chrono::seconds(30);

class ReplyRouter : public testing::Test {
 protected:
  std::string reply_payload(const std::string& reply_request_id) const {
    return choria::encode_reply(reply_request_id, "web1.example.net", "rpcutil",
                                1796400000,
                                R"({"statuscode":0,"statusmsg":"OK",)"
                                R"("data":{"pong":1796400000}})");
  }

  // Returns the next reply_result that the scoped actor receives.
  choria::reply_result next_result() {
    choria::reply_result received;
    self->receive(
        [&](incoming_atom, choria::reply_result& result) {
          received = std::move(result);
        },
        caf::after(receive_timeout) >>
            [] { ADD_FAILURE() << "no reply arrived"; });
    return received;
  }

  caf::actor_system_config config;
  caf::actor_system system{config};
  caf::scoped_actor self{system};
  reply_router router{metrics::registry::unserved()};
  std::string request_id = make_request_id();
  std::string subject = "mcollective.reply.0123abcd." + request_id;
};

TEST_F(ReplyRouter, SendsDecodedReplyToRoute) {
  router.add(request_id, caf::actor_cast<reply_sink_actor>(self));
  router.deliver(subject, reply_payload(request_id));

  auto result = next_result();
  ASSERT_TRUE(result.value.has_value());
  EXPECT_EQ(result.value->request_id, request_id);
  EXPECT_EQ(result.value->sender_id, "web1.example.net");
  EXPECT_EQ(result.value->body["statuscode"], 0);
  EXPECT_EQ(router.unknown_requests(), 0u);
}

TEST_F(ReplyRouter, SendsBadHashWithItsError) {
  router.add(request_id, caf::actor_cast<reply_sink_actor>(self));
  auto payload = reply_payload(request_id);
  auto transport = nlohmann::json::parse(payload);
  auto secure = nlohmann::json::parse(
      *base64_decode(transport["data"].get<std::string>()));
  secure["hash"] = base64_encode(sha256("another message"));
  transport["data"] = base64_encode(secure.dump());
  router.deliver(subject, transport.dump());

  auto result = next_result();
  EXPECT_FALSE(result.value.has_value());
  EXPECT_EQ(result.error, choria::decode_error::bad_hash);
}

TEST_F(ReplyRouter, SendsMalformedPayloadWithItsError) {
  router.add(request_id, caf::actor_cast<reply_sink_actor>(self));
  router.deliver(subject, "not json");

  auto result = next_result();
  EXPECT_FALSE(result.value.has_value());
  EXPECT_EQ(result.error, choria::decode_error::malformed_transport);
}

TEST_F(ReplyRouter, CountsAndDropsUnknownRequest) {
  auto other_id = make_request_id();
  router.add(request_id, caf::actor_cast<reply_sink_actor>(self));
  router.deliver("mcollective.reply.0123abcd." + other_id,
                 reply_payload(other_id));
  router.deliver(subject, reply_payload(request_id));

  // Messages from one sender arrive in order, so the first one received
  // shows that the unknown request's reply was not sent.
  auto result = next_result();
  ASSERT_TRUE(result.value.has_value());
  EXPECT_EQ(result.value->request_id, request_id);
  EXPECT_EQ(router.unknown_requests(), 1u);
}

TEST_F(ReplyRouter, DropsRepliesAfterRemove) {
  router.add(request_id, caf::actor_cast<reply_sink_actor>(self));
  router.remove(request_id);
  router.deliver(subject, reply_payload(request_id));
  EXPECT_EQ(router.unknown_requests(), 1u);

  router.add(request_id, caf::actor_cast<reply_sink_actor>(self));
  router.clear();
  router.deliver(subject, reply_payload(request_id));
  EXPECT_EQ(router.unknown_requests(), 2u);
}

}  // namespace
}  // namespace gateway
