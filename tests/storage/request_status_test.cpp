#include "gateway/storage/request_status.hpp"

#include <gtest/gtest.h>

#include "tests/storage/sample_events.hpp"

namespace gateway::storage {
namespace {

using json = nlohmann::json;
using namespace test_support;

const std::string id = request_id_for(1);

json project(const std::vector<event>& events) {
  json status;
  for (const event& e : events) apply_event(status, e);
  return status;
}

TEST(RequestStatus, FullLifecycle) {
  event accept = accepted(id, false);
  accept.sequence = 11;
  json status = project({
      accept,
      published(id, {"n1", "n2", "n3", "n4"}),
      reply(id, "n1", 0),
      reply(id, "n2", 1),
      reply(id, "stranger", 0, false),
      reply(id, "n3", 0),
      finished(event_kind::request_completed, id, {"n4"}),
  });

  EXPECT_EQ(status["request_id"], id);
  EXPECT_EQ(status["state"], "complete");
  EXPECT_EQ(status["agent"], "rpcutil");
  EXPECT_EQ(status["action"], "ping");
  EXPECT_EQ(status["caller"], "choria=alice");
  EXPECT_EQ(status["collective"], "mcollective");
  EXPECT_EQ(status["created_at"], "2026-12-04T15:00:00.000Z");
  EXPECT_EQ(status["published_at"], "2026-12-04T15:00:02.000Z");
  EXPECT_EQ(status["deadline"], "2026-12-04T15:00:22.000Z");
  EXPECT_EQ(status["completed_at"], "2026-12-04T15:00:09.000Z");
  EXPECT_EQ(status["accepted_sequence"], 11);
  EXPECT_EQ(status["discovered"], nullptr);
  EXPECT_EQ(status["expected"], 4);
  EXPECT_EQ(status["received"], 3);
  EXPECT_EQ(status["ok"], 2);
  EXPECT_EQ(status["failed"], 1);
  EXPECT_EQ(status["unexpected"], 1);
  EXPECT_EQ(status["no_response"], json::array({"n4"}));
  EXPECT_EQ(status["reason"], nullptr);
  EXPECT_FALSE(status.contains("expected_nodes"));
}

TEST(RequestStatus, DiscoveryThenRunning) {
  json status = project({accepted(id, true)});
  EXPECT_EQ(status["state"], "discovering");
  EXPECT_TRUE(is_unfinished(status));

  EXPECT_TRUE(apply_event(status, discovered(id, {"a", "b"})));
  EXPECT_EQ(status["state"], "discovering");
  EXPECT_EQ(status["discovered"], 2);

  EXPECT_TRUE(apply_event(status, published(id, {"a", "b"})));
  EXPECT_EQ(status["state"], "running");
  EXPECT_EQ(status["expected"], 2);
  EXPECT_TRUE(is_unfinished(status));
}

TEST(RequestStatus, ExpiredListsSilentNodes) {
  json status =
      project({accepted(id, false), published(id, {"a", "b"}), reply(id, "a"),
               finished(event_kind::request_expired, id, {"b"})});
  EXPECT_EQ(status["state"], "expired");
  EXPECT_EQ(status["no_response"], json::array({"b"}));
  EXPECT_FALSE(is_unfinished(status));
}

TEST(RequestStatus, FailedKeepsReason) {
  json status =
      project({accepted(id, false),
               make_event(event_kind::request_failed, id, base_time_ms + 5,
                          {{"reason", "broker unavailable"}})});
  EXPECT_EQ(status["state"], "failed");
  EXPECT_EQ(status["reason"], "broker unavailable");
  EXPECT_EQ(status["completed_at"], "2026-12-04T15:00:00.005Z");
}

TEST(RequestStatus, DeniedAndLoginsMakeNoRecord) {
  json status;
  EXPECT_FALSE(
      apply_event(status, make_event(event_kind::request_denied, id,
                                     base_time_ms, {{"reason", "policy"}})));
  EXPECT_FALSE(apply_event(
      status, make_event(event_kind::login_succeeded, "", base_time_ms, {})));
  EXPECT_TRUE(status.is_null());
}

TEST(RequestStatus, IgnoresEventsWithoutRecord) {
  json status;
  EXPECT_FALSE(apply_event(status, reply(id, "a")));
  EXPECT_FALSE(apply_event(status, published(id, {"a"})));
  EXPECT_TRUE(status.is_null());
}

TEST(RequestStatus, TerminalStateIsFinal) {
  json status = project({accepted(id, false), published(id, {"a", "b"}),
                         finished(event_kind::request_expired, id, {"a"})});
  json before = status;
  EXPECT_FALSE(
      apply_event(status, finished(event_kind::request_completed, id, {})));
  EXPECT_FALSE(apply_event(status, published(id, {"c"})));
  EXPECT_FALSE(apply_event(status, accepted(id, false)));
  EXPECT_EQ(status, before);

  // A late reply is still counted.
  EXPECT_TRUE(apply_event(status, reply(id, "a")));
  EXPECT_EQ(status["received"], 1);
  EXPECT_EQ(status["state"], "expired");
}

TEST(RequestStatus, ToleratesWrongFieldTypes) {
  json status = project(
      {make_event(event_kind::request_accepted, id, base_time_ms,
                  {{"agent", 5}, {"discovering", "yes"}}),
       make_event(event_kind::request_published, id, base_time_ms,
                  {{"expected_nodes", {"a", 7, "b"}}, {"deadline", "soon"}}),
       make_event(event_kind::reply_received, id, base_time_ms,
                  {{"statuscode", "zero"}, {"expected", "maybe"}})});
  EXPECT_EQ(status["agent"], nullptr);
  EXPECT_EQ(status["state"], "running");
  EXPECT_EQ(status["expected"], 2);
  EXPECT_EQ(status["deadline"], nullptr);
  EXPECT_EQ(status["received"], 1);
  EXPECT_EQ(status["ok"], 1);
}

TEST(ReplyRecord, HasServedFields) {
  event e = reply(id, "web1.example.net", 0, true, base_time_ms + 123);
  json record = make_reply(e);
  EXPECT_EQ(record["sender"], "web1.example.net");
  EXPECT_EQ(record["statuscode"], 0);
  EXPECT_EQ(record["statusmsg"], "OK");
  EXPECT_EQ(record["data"], json({{"pong", 1796396400}}));
  EXPECT_EQ(record["received_at"], "2026-12-04T15:00:00.123Z");
  EXPECT_EQ(record.size(), 5u);
}

TEST(ReplyRecord, ReceivedAtFromData) {
  event e = reply(id, "a");
  e.data["received_at"] = base_time_ms + 7;
  EXPECT_EQ(make_reply(e)["received_at"], "2026-12-04T15:00:00.007Z");
  e.data["received_at"] = "2026-01-01T00:00:00.000Z";
  EXPECT_EQ(make_reply(e)["received_at"], "2026-01-01T00:00:00.000Z");
}

TEST(ExpectedNodes, SkipsNonStrings) {
  event e = make_event(event_kind::request_published, id, 0,
                       {{"expected_nodes", {"a", 1, "b"}}});
  EXPECT_EQ(expected_nodes_of(e), (std::vector<std::string>{"a", "b"}));
}

TEST(UtcTimestamp, FormatsMilliseconds) {
  EXPECT_EQ(format_utc_timestamp(1796396400123), "2026-12-04T15:00:00.123Z");
  EXPECT_EQ(format_utc_timestamp(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_utc_timestamp(-1), "1969-12-31T23:59:59.999Z");
}

}  // namespace
}  // namespace gateway::storage
