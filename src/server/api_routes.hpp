// The route table of the REST API. Each group of routes lives in its own
// file and adds itself to the table with an add_*_routes function. The
// table is built once and dispatches every request.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "gateway/http/message.hpp"
#include "gateway/http/responder.hpp"
#include "gateway/server/api.hpp"

namespace gateway {

using context_ptr = std::shared_ptr<const api_context>;

// The values of a route's {name} segments, in the order they appear.
using route_params = std::vector<std::string>;

using route_handler =
    std::function<void(const context_ptr&, const http::request&,
                       const route_params&, const http::responder&)>;

// One method on one path template. A template is a path whose segments
// are literals or {name} placeholders; a placeholder matches one
// non-empty segment.
struct api_route {
  std::string method;
  std::string path_template;
  route_handler handler;
};

// The result of looking up a request. It has the route when both path and
// method match. Otherwise it lists the methods allowed on the path, which
// is empty when no template matches the path.
struct route_match {
  const api_route* route = nullptr;
  route_params params;
  std::vector<std::string> allowed_methods;
};

class route_table {
 public:
  void add(std::string method, std::string path_template,
           route_handler handler);

  [[nodiscard]] route_match find(const std::string& method,
                                 const std::string& path) const;

  // Every route, in the order added.
  [[nodiscard]] const std::vector<api_route>& routes() const { return routes_; }

 private:
  std::vector<api_route> routes_;
};

// The route groups. Each adds its routes to the table.
void add_health_routes(route_table& table);
void add_session_routes(route_table& table);
void add_auth_routes(route_table& table);
void add_request_routes(route_table& table);
void add_history_routes(route_table& table);
// GET /v1/requests/{id}/events, live results as server-sent events.
void add_event_routes(route_table& table);
void add_openapi_routes(route_table& table);

}  // namespace gateway
