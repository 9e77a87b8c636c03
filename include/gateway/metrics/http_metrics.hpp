// Metrics of the REST API's HTTP requests.
#pragma once

#include <string_view>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

namespace gateway::metrics {

// choria_gateway_http_requests_total{route,method,code} and
// choria_gateway_http_request_duration_seconds{route}. Thread safe.
class http_metrics {
 public:
  explicit http_metrics(prometheus::Registry& registry);

  // Counts one response and observes its duration. route must be a route
  // template such as /v1/requests/{id}, never a raw path. A method outside
  // the standard HTTP methods is counted as "other".
  void observe(std::string_view route, std::string_view method, unsigned status,
               double seconds);

  // Counts one response that the HTTP server sent without routing the
  // request (a malformed request, a size limit, too many connections),
  // with route "rejected" and method "other". It has no duration.
  void count_rejected(unsigned status);

 private:
  prometheus::Family<prometheus::Counter>* requests_;
  prometheus::Family<prometheus::Histogram>* durations_;
};

}  // namespace gateway::metrics
