// GET /v1/openapi.json: the API's own description, served without a token.
#include "gateway/server/openapi.hpp"
#include "src/server/api_support.hpp"

namespace gateway {

void add_openapi_routes(route_table& table) {
  table.add(
      "GET", "/v1/openapi.json",
      [](const context_ptr&, const http::request&, const route_params&,
         const http::responder& respond) {
        respond(http::json_response(200, std::string(openapi_document())));
      });
}

}  // namespace gateway
