#include "gateway/storage/event.hpp"

#include <gtest/gtest.h>

namespace gateway::storage {
namespace {

using json = nlohmann::json;

const event_kind all_kinds[] = {
    event_kind::request_accepted,    event_kind::request_denied,
    event_kind::discovery_completed, event_kind::request_published,
    event_kind::reply_received,      event_kind::request_completed,
    event_kind::request_expired,     event_kind::request_failed,
    event_kind::login_succeeded,     event_kind::login_failed,
    event_kind::token_revoked,
};

TEST(EventKind, NamesRoundTrip) {
  for (event_kind kind : all_kinds) {
    auto name = to_string(kind);
    EXPECT_EQ(event_kind_from_string(name), kind) << name;
  }
  EXPECT_EQ(to_string(event_kind::reply_received), "reply_received");
  EXPECT_FALSE(event_kind_from_string("reply").has_value());
  EXPECT_FALSE(event_kind_from_string("").has_value());
}

TEST(EventEncoding, RoundTripsEveryField) {
  event e;
  e.sequence = 42;
  e.kind = event_kind::reply_received;
  e.time_ms = 1796396400123;
  e.request_id = "0123456789abcdef0123456789abcdef";
  e.caller = "choria=alice";
  e.data = {{"sender", "web1"}, {"statuscode", 0}, {"data", {{"x", 1}}}};

  std::string error;
  auto decoded = decode_event(encode_event(e), &error);
  ASSERT_TRUE(decoded.has_value()) << error;
  EXPECT_EQ(decoded->sequence, 42u);
  EXPECT_EQ(decoded->kind, event_kind::reply_received);
  EXPECT_EQ(decoded->time_ms, 1796396400123);
  EXPECT_EQ(decoded->request_id, e.request_id);
  EXPECT_EQ(decoded->caller, "choria=alice");
  EXPECT_EQ(decoded->data, e.data);
}

TEST(EventEncoding, WritesVersionedLayout) {
  event e;
  e.sequence = 7;
  e.kind = event_kind::login_failed;
  e.time_ms = 5;
  json encoded = json::parse(encode_event(e));
  EXPECT_EQ(encoded["v"], 1);
  EXPECT_EQ(encoded["seq"], 7);
  EXPECT_EQ(encoded["kind"], "login_failed");
  EXPECT_EQ(encoded["time_ms"], 5);
  EXPECT_EQ(encoded["request_id"], "");
  EXPECT_EQ(encoded["caller"], "");
  EXPECT_TRUE(encoded["data"].is_object());
}

// encode_event writes the same text as a dump of a json object, whose keys
// are sorted, so events stored by earlier versions look alike.
TEST(EventEncoding, MatchesSortedObjectDump) {
  event e;
  e.sequence = 18446744073709551615u;
  e.kind = event_kind::reply_received;
  e.time_ms = -1250;
  e.request_id = "0123456789abcdef0123456789abcdef";
  e.caller = "choria=\"quoted\" \\ user";
  e.data = {{"sender", "web1"}, {"statuscode", 0}, {"data", {{"x", 1.5}}}};
  json object = {{"v", event_encoding_version}, {"seq", e.sequence},
                 {"kind", to_string(e.kind)},   {"time_ms", e.time_ms},
                 {"request_id", e.request_id},  {"caller", e.caller},
                 {"data", e.data}};

  EXPECT_EQ(encode_event(e), object.dump());
}

TEST(EventEncoding, ReplacesInvalidUtf8) {
  event e;
  e.caller = "bad \xff byte";
  std::string error;
  auto decoded = decode_event(encode_event(e), &error);
  ASSERT_TRUE(decoded.has_value()) << error;
  EXPECT_NE(decoded->caller.find("bad"), std::string::npos);
}

TEST(EventEncoding, ToleratesUnknownFields) {
  std::string text =
      R"({"v":1,"seq":3,"kind":"token_revoked","time_ms":9,)"
      R"("request_id":"","caller":"bob","data":{},"shard":"b","extra":[1]})";
  std::string error;
  auto decoded = decode_event(text, &error);
  ASSERT_TRUE(decoded.has_value()) << error;
  EXPECT_EQ(decoded->kind, event_kind::token_revoked);
  EXPECT_EQ(decoded->caller, "bob");
}

TEST(EventEncoding, RejectsOtherVersions) {
  std::string error;
  EXPECT_FALSE(decode_event(
      R"({"v":2,"seq":1,"kind":"login_failed","time_ms":1})", &error));
  EXPECT_NE(error.find("version 2"), std::string::npos) << error;

  error.clear();
  EXPECT_FALSE(
      decode_event(R"({"seq":1,"kind":"login_failed","time_ms":1})", &error));
  EXPECT_NE(error.find("version"), std::string::npos) << error;

  error.clear();
  EXPECT_FALSE(decode_event(
      R"({"v":"1","seq":1,"kind":"login_failed","time_ms":1})", &error));
  EXPECT_NE(error.find("version"), std::string::npos) << error;
}

TEST(EventEncoding, RejectsMalformedEvents) {
  const char* cases[] = {
      "",
      "not json",
      "[1,2]",
      R"({"v":1,"kind":"login_failed","time_ms":1})",
      R"({"v":1,"seq":-1,"kind":"login_failed","time_ms":1})",
      R"({"v":1,"seq":1,"kind":"login_exploded","time_ms":1})",
      R"({"v":1,"seq":1,"kind":"login_failed"})",
      R"({"v":1,"seq":1,"kind":"login_failed","time_ms":1,"caller":5})",
  };
  for (const char* text : cases) {
    std::string error;
    EXPECT_FALSE(decode_event(text, &error).has_value()) << text;
    EXPECT_FALSE(error.empty()) << text;
  }
  EXPECT_FALSE(decode_event("{}", nullptr).has_value());
}

}  // namespace
}  // namespace gateway::storage
