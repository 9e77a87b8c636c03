#include "gateway/server/api.hpp"

#include "gateway/server/metrics_endpoint.hpp"
#include "src/server/api_routes.hpp"
#include "src/server/api_support.hpp"

namespace gateway {
namespace {

std::shared_ptr<const route_table> make_routes() {
  auto table = std::make_shared<route_table>();
  add_health_routes(*table);
  add_session_routes(*table);
  add_auth_routes(*table);
  add_request_routes(*table);
  add_history_routes(*table);
  add_event_routes(*table);
  add_openapi_routes(*table);
  return table;
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

void dispatch(const route_table& routes, const context_ptr& context,
              const http::request& request, const http::responder& respond) {
  auto match = routes.find(request.method, request.path);
  // HEAD runs the GET route, and the HTTP server leaves out the body.
  if (!match.route && request.method == "HEAD")
    match = routes.find("GET", request.path);
  observe_http(context->metrics,
               match.route ? match.route->path_template : "other",
               request.method, respond);
  if (match.route) {
    match.route->handler(context, request, match.params, respond);
    return;
  }
  if (match.allowed_methods.empty()) {
    respond(
        http::error_response(404, "not_found", "no route for " + request.path));
    return;
  }
  auto out = http::error_response(
      405, "method_not_allowed",
      request.method + " is not allowed on " + request.path);
  out.headers.emplace_back("Allow", join(match.allowed_methods));
  respond(std::move(out));
}

}  // namespace

http::handler make_api_handler(std::shared_ptr<const api_context> context) {
  auto routes = make_routes();
  return [context, routes](http::request request, http::responder respond) {
    dispatch(*routes, context, request, respond);
  };
}

}  // namespace gateway
