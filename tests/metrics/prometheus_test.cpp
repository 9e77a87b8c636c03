// A real Prometheus server scrapes a gateway under a short load, loads the
// alert rules, and returns non-zero values for the gateway's metrics
// through its HTTP API.
#include <fstream>

#include <gtest/gtest.h>

#include "monitoring_support.hpp"

namespace gateway::integration {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

std::string percent_encode(const std::string& text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// The value of an instant query with one result, or nullopt while the
// result is empty or the query fails.
std::optional<double> query_value(unsigned short port,
                                  const std::string& promql) {
  http_call call;
  call.target = "/api/v1/query?query=" + percent_encode(promql);
  auto result = send_http(port, call);
  auto body = result.json();
  if (result.status != 200 || !body.is_object()) return std::nullopt;
  const auto& series = body["data"]["result"];
  if (!series.is_array() || series.size() != 1) return std::nullopt;
  return std::stod(series[0]["value"][1].get<std::string>());
}

void write_config(const std::string& path, unsigned short gateway_port) {
  std::ofstream file(path);
  file << "global:\n"
          "  scrape_interval: 1s\n"
          "  evaluation_interval: 1s\n"
          "rule_files:\n"
          "  - " MONITORING_DIR
          "/alerts.yml\n"
          "scrape_configs:\n"
          "  - job_name: choria-rest-gateway\n"
          "    static_configs:\n"
          "      - targets: ['127.0.0.1:"
       << gateway_port << "']\n";
}

TEST(Prometheus, ScrapesGatewayUnderLoad) {
  stack_options options;
  options.fleet_size = 10;
  gateway_stack stack(options);
  std::string error;
  ASSERT_TRUE(stack.start(&error)) << error;

  temp_dir folder;
  int port = free_loopback_port();
  ASSERT_GT(port, 0);
  auto prometheus_port = static_cast<unsigned short>(port);
  write_config(folder.file("prometheus.yml"), stack.http_port());
  child_process prometheus(
      PROMETHEUS_PATH,
      {"--config.file=" + folder.file("prometheus.yml"),
       "--storage.tsdb.path=" + folder.file("data"),
       "--web.listen-address=127.0.0.1:" + std::to_string(port)},
      folder.file("prometheus.log"));
  ASSERT_TRUE(wait_until(
      [&] {
        http_call ready;
        ready.target = "/-/ready";
        return send_http(prometheus_port, ready).status == 200;
      },
      60s))
      << tail_lines(folder.file("prometheus.log"), 30);

  auto token = stack.login_admin();
  ASSERT_FALSE(token.empty());
  auto ids = ping_nodes(stack, token, 10, first_nodes(10));
  ASSERT_EQ(ids.size(), 10u);

  // Each query must reach its value within a few scrapes.
  const std::pair<std::string, double> expected[] = {
      {"up{job=\"choria-rest-gateway\"}", 1},
      {"choria_gateway_broker_connected", 1},
      {"sum(choria_gateway_replies_received_total)", 100},
      {"sum(choria_gateway_rpc_requests_completed_total)", 10},
      {"choria_gateway_rpc_time_to_completion_seconds_count", 10},
      {"sum(choria_gateway_http_requests_total{route=\"/v1/requests\"})", 10},
  };
  for (const auto& [promql, value] : expected) {
    std::optional<double> last;
    bool reached = wait_until(
        [&] {
          last = query_value(prometheus_port, promql);
          return last && *last >= value;
        },
        30s);
    EXPECT_TRUE(reached) << promql << " = "
                         << (last ? std::to_string(*last) : "no result")
                         << ", expected at least " << value;
  }

  http_call rules;
  rules.target = "/api/v1/rules";
  auto body = send_http(prometheus_port, rules).json();
  ASSERT_TRUE(body.is_object());
  ASSERT_EQ(body["data"]["groups"].size(), 1u) << body;
  EXPECT_EQ(body["data"]["groups"][0]["rules"].size(), 10u);
  EXPECT_FALSE(query_value(prometheus_port, "ALERTS{alertstate=\"firing\"}"))
      << "an alert fires on a healthy gateway";
}

}  // namespace
}  // namespace gateway::integration
