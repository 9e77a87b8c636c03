#include "gateway/metrics/registry.hpp"

#include <gtest/gtest.h>

#include "gateway/metrics/request_probe.hpp"
#include "scrape_text.hpp"

namespace gateway::metrics {
namespace {

using testing::sample_sum;
using testing::sample_value;

TEST(Registry, ScrapeHasBuildInfo) {
  registry metrics;
  auto text = metrics.scrape();
  EXPECT_NE(text.find("choria_gateway_build_info{"), std::string::npos);
  EXPECT_NE(text.find("version=\"" GATEWAY_VERSION "\""), std::string::npos);
  EXPECT_EQ(sample_value(text, "choria_gateway_rpc_requests_in_flight"), 0);
  EXPECT_EQ(sample_value(text, "choria_gateway_broker_connected"), 0);
}

TEST(Registry, EveryDropReasonStartsAtZero) {
  registry metrics;
  auto text = metrics.scrape();
  for (const char* reason :
       {"invalid", "bad_hash", "duplicate", "unknown_request"})
    EXPECT_EQ(
        sample_value(text, std::string("choria_gateway_replies_dropped_total"
                                       "{reason=\"") +
                               reason + "\"}"),
        0)
        << reason;
}

TEST(Registry, HttpObserveUsesRouteAndCode) {
  registry metrics;
  metrics.http.observe("/v1/requests/{id}", "GET", 404, 0.002);
  metrics.http.observe("/v1/requests/{id}", "GET", 404, 0.003);
  metrics.http.observe("/v1/login", "BREW", 405, 0.001);
  auto text = metrics.scrape();
  EXPECT_EQ(sample_value(text,
                         "choria_gateway_http_requests_total{code=\"404\","
                         "method=\"GET\",route=\"/v1/requests/{id}\"}"),
            2);
  EXPECT_EQ(sample_value(text,
                         "choria_gateway_http_requests_total{code=\"405\","
                         "method=\"other\",route=\"/v1/login\"}"),
            1);
  EXPECT_EQ(sample_value(text,
                         "choria_gateway_http_request_duration_seconds_count{"
                         "route=\"/v1/requests/{id}\"}"),
            2);
}

TEST(Registry, BrokerCountsReconnectsAfterFirstConnection) {
  registry metrics;
  metrics.broker.set_connected(true);
  metrics.broker.set_connected(true);
  metrics.broker.set_connected(false);
  metrics.broker.set_connected(true);
  metrics.broker.count_publish(true);
  metrics.broker.count_publish(false);
  auto text = metrics.scrape();
  EXPECT_EQ(sample_value(text, "choria_gateway_broker_connected"), 1);
  EXPECT_EQ(sample_value(text, "choria_gateway_broker_reconnects_total"), 1);
  EXPECT_EQ(sample_value(text, "choria_gateway_broker_disconnects_total"), 1);
  EXPECT_EQ(sample_value(text, "choria_gateway_broker_published_total"), 1);
  EXPECT_EQ(sample_value(text, "choria_gateway_broker_publish_errors_total"),
            1);
}

TEST(Registry, EventLogWriteObservesBatch) {
  registry metrics;
  metrics.event_log.write_started();
  metrics.event_log.write_finished(7, true);
  metrics.event_log.write_started();
  metrics.event_log.write_finished(3, false);
  auto text = metrics.scrape();
  EXPECT_EQ(
      sample_value(text, "choria_gateway_event_log_appended_events_total"), 7);
  EXPECT_EQ(sample_value(text, "choria_gateway_event_log_append_errors_total"),
            1);
  EXPECT_EQ(sample_value(text, "choria_gateway_event_log_batch_events_sum"),
            10);
  EXPECT_EQ(sample_value(
                text, "choria_gateway_event_log_append_duration_seconds_count"),
            2);
  EXPECT_EQ(
      sample_value(text, "choria_gateway_event_log_current_write_seconds"), 0);
}

TEST(Registry, LoginsByResult) {
  registry metrics;
  metrics.logins.count_login(true);
  metrics.logins.count_login(false);
  metrics.logins.count_login(false);
  auto text = metrics.scrape();
  EXPECT_EQ(
      sample_value(text, "choria_gateway_logins_total{result=\"succeeded\"}"),
      1);
  EXPECT_EQ(
      sample_value(text, "choria_gateway_logins_total{result=\"failed\"}"), 2);
}

TEST(RequestProbe, CompletedRequestLifecycle) {
  auto metrics = registry::create();
  {
    request_probe probe(metrics, "rpcutil", "ping");
    probe.accepted();
    EXPECT_EQ(metrics->rpc.in_flight->Value(), 1);
    probe.published();
    probe.published();
    probe.reply(0, true);
    probe.reply(1, true);
    probe.reply(9, false);
    probe.dropped(drop_reason::duplicate);
    probe.ended(request_end::completed);
    probe.ended(request_end::expired);
    EXPECT_EQ(metrics->rpc.in_flight->Value(), 0);
  }
  auto text = metrics->scrape();
  const std::string labels = "{action=\"ping\",agent=\"rpcutil\"}";
  EXPECT_EQ(sample_value(
                text, "choria_gateway_rpc_requests_submitted_total" + labels),
            1);
  EXPECT_EQ(sample_value(
                text, "choria_gateway_rpc_requests_completed_total" + labels),
            1);
  EXPECT_EQ(
      sample_value(text, "choria_gateway_rpc_requests_expired_total" + labels),
      0);
  EXPECT_EQ(sample_sum(text, "choria_gateway_replies_received_total"), 3);
  EXPECT_EQ(sample_value(text,
                         "choria_gateway_replies_received_total{"
                         "statuscode=\"5\"}"),
            1);
  EXPECT_EQ(sample_value(text, "choria_gateway_replies_unexpected_total"), 1);
  EXPECT_EQ(sample_value(text,
                         "choria_gateway_replies_dropped_total{reason="
                         "\"duplicate\"}"),
            1);
  EXPECT_EQ(
      sample_value(text, "choria_gateway_rpc_time_to_publish_seconds_count"),
      1);
  EXPECT_EQ(sample_value(
                text, "choria_gateway_rpc_time_to_first_reply_seconds_count"),
            1);
  EXPECT_EQ(
      sample_value(text, "choria_gateway_rpc_time_to_completion_seconds_count"),
      1);
}

TEST(RequestProbe, DestroyedProbeLeavesInFlight) {
  auto metrics = registry::create();
  {
    request_probe probe(metrics, "rpcutil", "ping");
    probe.accepted();
    request_probe moved = std::move(probe);
    EXPECT_EQ(metrics->rpc.in_flight->Value(), 1);
  }
  EXPECT_EQ(metrics->rpc.in_flight->Value(), 0);
}

TEST(RequestProbe, DiscoveryObservesNodes) {
  auto metrics = registry::create();
  request_probe probe(metrics, "rpcutil", "ping");
  probe.discovery_started();
  probe.discovery_ended(42);
  auto text = metrics->scrape();
  EXPECT_EQ(sample_value(text, "choria_gateway_discovered_nodes_sum"), 42);
  EXPECT_EQ(
      sample_value(text, "choria_gateway_discovery_duration_seconds_count"), 1);
}

TEST(RequestProbe, DefaultProbeRecordsNothing) {
  request_probe probe;
  probe.accepted();
  probe.reply(0, true);
  probe.ended(request_end::completed);
  SUCCEED();
}

}  // namespace
}  // namespace gateway::metrics
