// POST /v1/login: trades a username and password for a token.
#include <chrono>

#include "gateway/common/json_body.hpp"
#include "src/server/api_limits.hpp"
#include "src/server/api_support.hpp"

namespace gateway {
namespace {

using json = nlohmann::json;

void handle_login(const context_ptr& context, const http::request& request,
                  const http::responder& respond) {
  std::string error;
  auto document = parse_json_body(request.body, &error);
  if (!document) {
    respond(http::error_response(400, "invalid_request", error));
    return;
  }
  const json& body = *document;
  if (!body.is_object()) {
    respond(http::error_response(400, "invalid_request",
                                 "the body must be a JSON object"));
    return;
  }
  for (const char* field : {"username", "password"}) {
    auto found = body.find(field);
    if (found == body.end() || !found->is_string() ||
        found->get<std::string>().empty()) {
      respond(http::error_response(
          400, "invalid_request",
          std::string(field) + " is required and must be a non-empty string"));
      return;
    }
  }
  auto username = body["username"].get<std::string>();
  auto password = body["password"].get<std::string>();
  if (username.size() > 256) {
    respond(http::error_response(400, "invalid_request",
                                 "username must be at most 256 bytes"));
    return;
  }
  bridge(context, [context, username, password,
                   address = request.remote_address,
                   respond](caf::event_based_actor* self) {
    self->request(context->tokens, std::chrono::seconds(30), login_atom::value,
                  username, password, address)
        .then(
            [respond](const login_grant& grant) {
              if (grant.retry_after > 0) {
                respond(login_throttled(grant.retry_after));
                return;
              }
              respond(json_response(200, {{"token", grant.token},
                                          {"expires_at", grant.expires_at}}));
            },
            [context, respond](const caf::error& error) {
              respond(from_error(*context->system, error));
            });
  });
}

}  // namespace

void add_session_routes(route_table& table) {
  table.add("POST", "/v1/login",
            [](const context_ptr& context, const http::request& request,
               const route_params&, const http::responder& respond) {
              handle_login(context, request, respond);
            });
}

}  // namespace gateway
