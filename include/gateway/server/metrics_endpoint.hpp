// The /metrics endpoint: Prometheus text exposition of the gateway's
// registry, served without authentication on the main listener and, when
// gateway.metrics.listen is set, on a listener of its own.
#pragma once

#include "gateway/http/message.hpp"
#include "gateway/http/server.hpp"
#include "gateway/metrics/registry.hpp"

namespace gateway {

// A GET or HEAD gets 200 with the scrape. Any other method gets 405 with
// Allow.
[[nodiscard]] http::response metrics_response(metrics::registry& metrics,
                                              const std::string& method);

// The handler of the monitoring listener: /metrics as above, /healthz
// with 200, and 404 for every other path. It also counts its requests in
// the HTTP metrics.
[[nodiscard]] http::handler make_metrics_handler(metrics::registry_ptr metrics);

// Counts the response given through respond under route, with its
// duration from now.
void observe_http(const metrics::registry_ptr& metrics, std::string route,
                  const std::string& method, const http::responder& respond);

}  // namespace gateway
