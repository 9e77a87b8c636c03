// Metrics and logs of a running gateway: exact counts after a known
// workload, a scrape that promtool accepts, every metric the dashboard
// and the alert rules use, the monitoring listener, and JSON log lines.
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "monitoring_support.hpp"
#include "scrape_text.hpp"

namespace gateway::integration {
namespace {

using json = nlohmann::json;
using metrics::testing::sample_names;
using metrics::testing::sample_sum;
using metrics::testing::sample_value;
using namespace std::chrono_literals;

constexpr int fleet_size = 10;
const std::string ping_labels = "{action=\"ping\",agent=\"rpcutil\"}";

class Monitoring : public ::testing::Test {
 protected:
  void SetUp() override {
    int port = free_loopback_port();
    ASSERT_GT(port, 0);
    metrics_port_ = static_cast<unsigned short>(port);
    stack_options options;
    options.fleet_size = fleet_size;
    options.users = {{"viewer", "viewer-password", {"rpcutil.ping"}, {}}};
    options.extra_config = {
        "gateway.metrics.listen = 127.0.0.1:" + std::to_string(port),
        "gateway.log.format = json", "gateway.log.level.collector = debug"};
    stack_ = std::make_unique<gateway_stack>(options);
    std::string error;
    ASSERT_TRUE(stack_->start(&error)) << error;
    token_ = stack_->login_admin();
    ASSERT_FALSE(token_.empty());
  }

  std::unique_ptr<gateway_stack> stack_;
  unsigned short metrics_port_ = 0;
  std::string token_;
};

// Every choria_gateway_ metric name in the file at path.
std::set<std::string> metric_names_in(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  std::string content = text.str();
  std::set<std::string> out;
  static const std::regex name("choria_gateway_[a-z0-9_]+");
  for (std::sregex_iterator it(content.begin(), content.end(), name), end;
       it != end; ++it)
    out.insert(it->str());
  return out;
}

TEST_F(Monitoring, KnownWorkloadCountsExactly) {
  auto before = scrape(stack_->http_port());
  auto ids = ping_nodes(*stack_, token_, 20, first_nodes(fleet_size));
  ASSERT_EQ(ids.size(), 20u);
  auto text = scrape(stack_->http_port());

  auto delta = [&](const std::string& series) {
    return sample_value(text, series).value_or(0) -
           sample_value(before, series).value_or(0);
  };
  EXPECT_EQ(delta("choria_gateway_replies_received_total{statuscode=\"0\"}"),
            200);
  EXPECT_EQ(sample_sum(text, "choria_gateway_replies_received_total"), 200);
  EXPECT_EQ(sample_sum(text, "choria_gateway_replies_dropped_total"), 0);
  EXPECT_EQ(sample_value(text, "choria_gateway_replies_unexpected_total"), 0);
  EXPECT_EQ(sample_value(text, "choria_gateway_rpc_requests_submitted_total" +
                                   ping_labels),
            20);
  EXPECT_EQ(sample_value(text, "choria_gateway_rpc_requests_completed_total" +
                                   ping_labels),
            20);
  EXPECT_EQ(sample_value(text, "choria_gateway_rpc_requests_expired_total" +
                                   ping_labels),
            0);
  EXPECT_EQ(sample_value(text, "choria_gateway_rpc_requests_in_flight"), 0);
  for (const char* histogram :
       {"choria_gateway_rpc_time_to_publish_seconds_count",
        "choria_gateway_rpc_time_to_first_reply_seconds_count",
        "choria_gateway_rpc_time_to_completion_seconds_count",
        "choria_gateway_signing_duration_seconds_count"})
    EXPECT_EQ(sample_value(text, histogram), 20) << histogram;
  EXPECT_EQ(delta("choria_gateway_http_requests_total{code=\"202\","
                  "method=\"POST\",route=\"/v1/requests\"}"),
            20);
  EXPECT_EQ(delta("choria_gateway_broker_published_total"), 200);
  EXPECT_EQ(sample_value(text, "choria_gateway_broker_connected"), 1);
  EXPECT_EQ(
      sample_value(text, "choria_gateway_logins_total{result=\"succeeded\"}"),
      1);
  // Each request writes accepted, published, 10 replies and completed.
  // The login event is sent without waiting, so it may be written after
  // the first scrape and add one.
  auto events = delta("choria_gateway_event_log_appended_events_total");
  EXPECT_GE(events, 20 * 13);
  EXPECT_LE(events, 20 * 13 + 1);
  EXPECT_GT(
      sample_value(text, "choria_gateway_event_log_size_bytes").value_or(0), 0);
}

TEST_F(Monitoring, DenialsAndFailedLoginsAreCounted) {
  auto viewer = stack_->login("viewer", "viewer-password");
  ASSERT_FALSE(viewer.empty());
  auto denied = stack_->submit(viewer, {{"agent", "rpcutil"},
                                        {"action", "inventory"},
                                        {"nodes", first_nodes(1)}});
  EXPECT_EQ(denied.status, 403u) << denied.body;
  http_call wrong;
  wrong.method = "POST";
  wrong.target = "/v1/login";
  wrong.body = json{{"username", "viewer"}, {"password", "wrong"}}.dump();
  EXPECT_EQ(stack_->http(wrong).status, 401u);

  auto text = scrape(stack_->http_port());
  EXPECT_EQ(sample_value(text,
                         "choria_gateway_rpc_requests_denied_total{"
                         "action=\"inventory\",agent=\"rpcutil\"}"),
            1);
  EXPECT_EQ(
      sample_value(text, "choria_gateway_logins_total{result=\"failed\"}"), 1);
  EXPECT_EQ(
      sample_value(text, "choria_gateway_logins_total{result=\"succeeded\"}"),
      2);
  EXPECT_EQ(sample_value(text,
                         "choria_gateway_http_requests_total{code="
                         "\"403\",method=\"POST\",route=\"/v1/requests\"}"),
            1);
}

TEST_F(Monitoring, CountsRequestsRejectedBeforeRouting) {
  http_call too_long;
  too_long.target = "/v1/requests/" + std::string(9000, 'a');
  EXPECT_EQ(stack_->http(too_long).status, 414u);
  http_call too_large;
  too_large.method = "POST";
  too_large.target = "/v1/login";
  too_large.body = std::string(600 * 1024, 'x');
  EXPECT_EQ(stack_->http(too_large).status, 413u);

  auto text = scrape(stack_->http_port());
  EXPECT_EQ(sample_value(text,
                         "choria_gateway_http_requests_total{code=\"414\","
                         "method=\"other\",route=\"rejected\"}"),
            1);
  EXPECT_EQ(sample_value(text,
                         "choria_gateway_http_requests_total{code=\"413\","
                         "method=\"other\",route=\"rejected\"}"),
            1);
}

TEST_F(Monitoring, ScrapePassesPromtool) {
  ping_nodes(*stack_, token_, 2, first_nodes(fleet_size));
  temp_dir folder;
  auto path = folder.file("scrape.txt");
  std::ofstream(path) << scrape(stack_->http_port());
  auto log = folder.file("promtool.log");
  EXPECT_EQ(run_promtool({"check", "metrics"}, path, log), 0) << read_text(log);
}

TEST_F(Monitoring, DashboardAndRulesUseLiveMetrics) {
  ping_nodes(*stack_, token_, 2, first_nodes(fleet_size));
  // A denial, so that the denied counter has a series.
  auto viewer = stack_->login("viewer", "viewer-password");
  ASSERT_FALSE(viewer.empty());
  EXPECT_EQ(stack_
                ->submit(viewer, {{"agent", "rpcutil"},
                                  {"action", "inventory"},
                                  {"nodes", first_nodes(1)}})
                .status,
            403u);
  auto live = sample_names(scrape(stack_->http_port()));
  for (const char* file : {"grafana-dashboard.json", "alerts.yml"}) {
    auto used = metric_names_in(std::string(MONITORING_DIR "/") + file);
    EXPECT_GE(used.size(), 5u) << file;
    for (const auto& name : used)
      EXPECT_TRUE(live.count(name))
          << file << " uses " << name << ", which the gateway does not export";
  }
}

TEST_F(Monitoring, MetricsListenerServesOnlyMetrics) {
  auto text = scrape(metrics_port_);
  EXPECT_NE(text.find("choria_gateway_build_info{"), std::string::npos);
  http_call login;
  login.method = "POST";
  login.target = "/v1/login";
  login.body = R"({"username":"admin","password":"x"})";
  EXPECT_EQ(send_http(metrics_port_, login).status, 404u);
  http_call health;
  health.target = "/healthz";
  EXPECT_EQ(send_http(metrics_port_, health).status, 200u);
  EXPECT_GT(sample_value(text,
                         "choria_gateway_http_requests_total{code="
                         "\"200\",method=\"GET\",route=\"/readyz\"}")
                .value_or(0),
            0);
}

TEST_F(Monitoring, JsonLogLinesCarryRequestId) {
  auto ids = ping_nodes(*stack_, token_, 1, first_nodes(fleet_size));
  ASSERT_EQ(ids.size(), 1u);
  std::ifstream log(stack_->setup_file("../gateway.log"));
  std::string line;
  int lines = 0;
  int naming_request = 0;
  while (std::getline(log, line)) {
    if (line.empty()) continue;
    ++lines;
    auto record = json::parse(line, nullptr, false);
    ASSERT_TRUE(record.is_object()) << "not a JSON object: " << line;
    EXPECT_TRUE(record.contains("time")) << line;
    EXPECT_TRUE(record.contains("level")) << line;
    EXPECT_TRUE(record.contains("component")) << line;
    EXPECT_TRUE(record.contains("message")) << line;
    if (record.value("request_id", "") == ids[0]) ++naming_request;
  }
  EXPECT_GT(lines, 3);
  EXPECT_GE(naming_request, 1) << "no log line names request " << ids[0];
}

}  // namespace
}  // namespace gateway::integration
