// Helpers shared by the route groups of the REST API: JSON responses,
// error mapping, the bridge from HTTP threads into actors, bearer-token
// authentication and query parameters.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "src/server/api_routes.hpp"

namespace gateway {

// A response with status and the JSON body; invalid UTF-8 is replaced.
[[nodiscard]] http::response json_response(unsigned status,
                                           const nlohmann::json& body);

// The response for an error from an actor: its status, code name and
// message. Internal errors are logged, and the client gets no details.
[[nodiscard]] http::response from_error(caf::actor_system& system,
                                        const caf::error& error);

// Runs f(self) in a new event-based actor that lives until its last
// response handler ran, so that no HTTP thread waits on an actor.
template <class F>
void bridge(const context_ptr& context, F f) {
  context->system->spawn([f](caf::event_based_actor* self) { f(self); });
}

// The token of an "Authorization: Bearer <token>" field, if present.
[[nodiscard]] std::optional<std::string> bearer_token(
    const http::request& request);

// The 401 response for a request without a bearer token.
[[nodiscard]] http::response missing_token_response(
    const http::request& request);

// Verifies the bearer token, then calls next(self, caller) in a bridge
// actor. Responds 401 itself when the token is missing or invalid.
template <class F>
void authenticated(const context_ptr& context, const http::request& request,
                   const http::responder& respond, F next) {
  auto token = bearer_token(request);
  if (!token) {
    respond(missing_token_response(request));
    return;
  }
  bridge(context, [context, token = *token, respond,
                   next](caf::event_based_actor* self) {
    self->request(context->tokens, std::chrono::seconds(30), verify_atom::value,
                  token)
        .then([self, next](const identity& caller) { next(self, caller); },
              [context, respond](const caf::error& error) {
                respond(from_error(*context->system, error));
              });
  });
}

// Request ids are 32 lowercase hex characters.
[[nodiscard]] bool valid_request_id(const std::string& id);

// The 404 response for a request id that is unknown or not visible.
[[nodiscard]] http::response request_not_found(const std::string& id);

// The caller may read their own requests, and every request when one of
// their roles has "read": ["all"]. Another user's request otherwise gets
// 404, so that ids of other users cannot be probed.
[[nodiscard]] bool visible_to(const api_context& context,
                              const nlohmann::json& status,
                              const identity& caller);

// Calls respond with from_error; the error handler of most bridges.
inline auto respond_error(const context_ptr& context,
                          const http::responder& respond) {
  return [context, respond](const caf::error& error) {
    respond(from_error(*context->system, error));
  };
}

// The "limit" query parameter: 1 to max_limit, 100 (or max_limit if
// smaller) when absent. On a bad value, sets *error and returns nullopt.
[[nodiscard]] std::optional<std::uint64_t> parse_limit(
    const http::request& request, std::size_t max_limit, std::string* error);

// The value of a query parameter, or "" when absent.
[[nodiscard]] std::string query_value(const http::request& request,
                                      const std::string& name);

}  // namespace gateway
