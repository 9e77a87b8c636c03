#include "gateway/metrics/http_metrics.hpp"

#include <array>
#include <string>

#include "buckets.hpp"

namespace gateway::metrics {
namespace {

std::string bounded_method(std::string_view method) {
  static constexpr std::array<std::string_view, 7> known = {
      "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"};
  for (auto name : known)
    if (name == method) return std::string(name);
  return "other";
}

}  // namespace

http_metrics::http_metrics(prometheus::Registry& registry)
    : requests_(&prometheus::BuildCounter()
                     .Name("choria_gateway_http_requests_total")
                     .Help("HTTP requests answered, by route template, "
                           "method and status code")
                     .Register(registry)),
      durations_(&prometheus::BuildHistogram()
                      .Name("choria_gateway_http_request_duration_seconds")
                      .Help("Time from receiving an HTTP request to handing "
                            "its response to the connection, by route "
                            "template")
                      .Register(registry)) {}

void http_metrics::observe(std::string_view route, std::string_view method,
                           unsigned status, double seconds) {
  requests_
      ->Add({{"route", std::string(route)},
             {"method", bounded_method(method)},
             {"code", std::to_string(status)}})
      .Increment();
  durations_->Add({{"route", std::string(route)}}, buckets::http_seconds)
      .Observe(seconds);
}

void http_metrics::count_rejected(unsigned status) {
  requests_
      ->Add({{"route", "rejected"},
             {"method", "other"},
             {"code", std::to_string(status)}})
      .Increment();
}

}  // namespace gateway::metrics
