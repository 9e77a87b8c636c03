#include "gateway/server/metrics_endpoint.hpp"

#include <chrono>


namespace gateway {

http::response metrics_response(metrics::registry& metrics,
                                const std::string& method) {
  if (method != "GET" && method != "HEAD") {
    auto out = http::error_response(405, "method_not_allowed",
                                    method + " is not allowed on /metrics");
    out.headers.emplace_back("Allow", "GET, HEAD");
    return out;
  }
  http::response out;
  out.status = 200;
  out.content_type = std::string(metrics::content_type);
  out.body = metrics.scrape();
  return out;
}

void observe_http(const metrics::registry_ptr& metrics, std::string route,
                  const std::string& method, const http::responder& respond) {
  auto start = std::chrono::steady_clock::now();
  respond.observe(
      [metrics, route = std::move(route), method, start](unsigned status) {
        std::chrono::duration<double> elapsed =
            std::chrono::steady_clock::now() - start;
        metrics->http.observe(route, method, status, elapsed.count());
      });
}

http::handler make_metrics_handler(metrics::registry_ptr metrics) {
  return [metrics](http::request request, http::responder respond) {
    bool known = request.path == "/metrics" || request.path == "/healthz";
    auto route = known ? request.path : std::string("other");
    observe_http(metrics, route, request.method, respond);
    if (route == "/metrics")
      return respond(metrics_response(*metrics, request.method));
    if (route == "/healthz")
      return respond(http::json_response(200, R"({"status":"ok"})"));
    respond(http::error_response(
        404, "not_found",
        "no route for " + request.path +
            ": the monitoring listener serves /metrics and /healthz"));
  };
}

}  // namespace gateway
