// GET /healthz and GET /readyz: liveness and readiness for probes. GET
// /metrics: the Prometheus scrape, unless gateway.metrics.main_listener is
// false.
#include <chrono>

#include "gateway/common/json_limits.hpp"
#include "gateway/server/metrics_endpoint.hpp"
#include "src/server/api_support.hpp"

namespace gateway {
namespace {

void handle_readyz(const context_ptr& context, const http::responder& respond) {
  bridge(context, [context, respond](caf::event_based_actor* self) {
    self->request(context->broker, std::chrono::seconds(5), ready_atom::value)
        .then(
            [self, context, respond](bool broker_ready) {
              self->request(context->reader, std::chrono::seconds(5),
                            ready_atom::value)
                  .then(
                      [broker_ready, respond](bool database_ready) {
                        bool ready = broker_ready && database_ready;
                        respond(json_response(
                            ready ? 200 : 503,
                            {{"status", ready ? "ready" : "not ready"},
                             {"broker",
                              broker_ready ? "connected" : "disconnected"},
                             {"database",
                              database_ready ? "open" : "unavailable"}}));
                      },
                      [respond](const caf::error&) {
                        respond(http::error_response(
                            503, "unavailable", "the database is not open"));
                      });
            },
            [respond](const caf::error&) {
              respond(http::error_response(503, "unavailable",
                                           "the broker link is not running"));
            });
  });
}

}  // namespace

void add_health_routes(route_table& table) {
  table.add("GET", "/healthz",
            [](const context_ptr&, const http::request&, const route_params&,
               const http::responder& respond) {
              respond(json_response(200, {{"status", "ok"}}));
            });
  table.add(
      "GET", "/readyz",
      [](const context_ptr& context, const http::request&, const route_params&,
         const http::responder& respond) { handle_readyz(context, respond); });
  table.add("GET", "/metrics",
            [](const context_ptr& context, const http::request& request,
               const route_params&, const http::responder& respond) {
              if (!context->serve_metrics)
                return respond(http::error_response(
                    404, "not_found", "no route for " + request.path));
              respond(metrics_response(*context->metrics, request.method));
            });
}

}  // namespace gateway
