// The gateway's Prometheus registry and every metric family in it. Actors
// and the HTTP code share one registry through a shared_ptr and update the
// metrics directly: prometheus-cpp's counters, gauges and histograms are
// thread safe. No label takes a user name, request id or node name.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <prometheus/registry.h>

#include "gateway/metrics/broker_metrics.hpp"
#include "gateway/metrics/event_log_metrics.hpp"
#include "gateway/metrics/http_metrics.hpp"
#include "gateway/metrics/login_metrics.hpp"
#include "gateway/metrics/rpc_metrics.hpp"

namespace gateway::metrics {

// The Content-Type of scrape(): Prometheus text exposition format 0.0.4.
inline constexpr std::string_view content_type =
    "text/plain; version=0.0.4; charset=utf-8";

class registry {
 private:
  // Declared first, so that it exists before the members that register
  // their families in it.
  std::shared_ptr<prometheus::Registry> prometheus_;

 public:
  // Registers every family, choria_gateway_build_info{version,compiler}
  // and choria_gateway_start_time_seconds.
  registry();
  registry(const registry&) = delete;
  registry& operator=(const registry&) = delete;

  [[nodiscard]] static std::shared_ptr<registry> create();

  // A process-wide registry that nothing serves: the default for actors
  // and handlers started without one, as in unit tests.
  [[nodiscard]] static const std::shared_ptr<registry>& unserved();

  // Refreshes the gauges computed at scrape time and returns every metric
  // in the text exposition format. Thread safe.
  [[nodiscard]] std::string scrape();

  http_metrics http;
  rpc_metrics rpc;
  broker_metrics broker;
  event_log_metrics event_log;
  login_metrics logins;
};

using registry_ptr = std::shared_ptr<registry>;

}  // namespace gateway::metrics
