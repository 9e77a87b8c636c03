// Credential routes. POST /v1/logout revokes the presented token, and
// POST /v1/admin/users/{user}/revoke revokes every token and API key of a
// user; both respond once the revocation is durable. POST, GET and DELETE
// on /v1/apikeys create, list and revoke API keys. Everything but logout
// needs the admin role.
#include <algorithm>
#include <chrono>

#include "gateway/common/json_body.hpp"
#include "src/server/api_support.hpp"

namespace gateway {
namespace {

bool is_admin(const identity& caller) {
  return std::find(caller.roles.begin(), caller.roles.end(), "admin") !=
         caller.roles.end();
}

http::response no_content() {
  http::response out;
  out.status = 204;
  return out;
}

bool is_api_key(const identity& caller) {
  return !caller.scope.empty() || caller.token_id.rfind("apikey:", 0) == 0;
}

// The 403 for a caller that may not manage credentials, with the reason.
http::response admin_required(const identity& caller) {
  if (is_api_key(caller))
    return http::error_response(
        403, "forbidden",
        "an API key cannot manage credentials, even one owned by an admin; "
        "log in with a password as a user with the admin role");
  return http::error_response(403, "forbidden",
                              "user " + caller.username +
                                  " may not manage credentials: it needs "
                                  "the admin role");
}

// Calls next(self, admin) for a caller with the admin role that logged in
// with a password, and responds 403 to anyone else, API keys included.
template <class F>
void as_admin(const context_ptr& context, const http::request& request,
              const http::responder& respond, F next) {
  authenticated(context, request, respond,
                [respond, next](caf::event_based_actor* self,
                                const identity& caller) {
                  if (!is_admin(caller) || is_api_key(caller)) {
                    respond(admin_required(caller));
                    return;
                  }
                  next(self, caller);
                });
}

void handle_logout(const context_ptr& context, const http::request& request,
                   const http::responder& respond) {
  authenticated(context, request, respond,
                [context, respond](caf::event_based_actor* self,
                                   const identity& caller) {
                  self->request(context->tokens, std::chrono::seconds(30),
                                logout_atom::value, caller)
                      .then([respond](std::uint64_t) { respond(no_content()); },
                            [context, respond](const caf::error& error) {
                              respond(from_error(*context->system, error));
                            });
                });
}

void handle_revoke_user(const context_ptr& context,
                        const http::request& request,
                        const std::string& username,
                        const http::responder& respond) {
  as_admin(
      context, request, respond,
      [context, username, respond](caf::event_based_actor* self,
                                   const identity& caller) {
        self->request(context->tokens, std::chrono::seconds(30),
                      revoke_atom::value, caller, username)
            .then([respond](std::uint64_t) { respond(no_content()); },
                  [context, respond](const caf::error& error) {
                    respond(from_error(*context->system, error));
                  });
      });
}

// The maximum lifetime of an API key: 366 days, in seconds.
constexpr std::int64_t max_key_lifetime_seconds = 366 * 24 * 3600;

// Reads the optional "expires_in" into *seconds, or sets *error.
bool read_expires_in(const nlohmann::json& document, std::int64_t* seconds,
                     std::string* error) {
  auto found = document.find("expires_in");
  if (found == document.end()) return true;
  if (!found->is_number_integer() || found->get<std::int64_t>() < 1 ||
      found->get<std::int64_t>() > max_key_lifetime_seconds) {
    *error = "expires_in must be an integer number of seconds from 1 to " +
             std::to_string(max_key_lifetime_seconds) +
             " (366 days); leave it out for a key that does not expire";
    return false;
  }
  *seconds = found->get<std::int64_t>();
  return true;
}

// Reads {"owner", "name", "scope", "expires_in"} or sets *error naming the
// field.
std::optional<api_key_order> parse_key_order(const std::string& body,
                                             std::string* error) {
  auto parsed = parse_json_body(body, error);
  if (!parsed) return std::nullopt;
  const nlohmann::json& document = *parsed;
  if (!document.is_object()) {
    *error = "the body must be a JSON object";
    return std::nullopt;
  }
  for (const auto& [key, value] : document.items()) {
    if (key != "owner" && key != "name" && key != "scope" &&
        key != "expires_in") {
      *error = "unknown field " + key +
               "; expected owner, name, scope and expires_in";
      return std::nullopt;
    }
  }
  api_key_order order;
  for (auto [field, target] : {std::pair{"owner", &order.owner},
                               std::pair{"name", &order.name}}) {
    auto found = document.find(field);
    if (found == document.end() || !found->is_string() ||
        found->get<std::string>().empty() ||
        found->get<std::string>().size() > 256) {
      *error = std::string(field) +
               " is required and must be a string of 1 to 256 bytes";
      return std::nullopt;
    }
    *target = found->get<std::string>();
  }
  auto scope = document.find("scope");
  if (scope == document.end() || !scope->is_array() || scope->empty() ||
      scope->size() > 100 ||
      !std::all_of(scope->begin(), scope->end(),
                   [](const auto& item) { return item.is_string(); })) {
    *error = "scope is required and must be an array of 1 to 100 "
             "agent.action patterns";
    return std::nullopt;
  }
  order.scope = scope->get<std::vector<std::string>>();
  if (!read_expires_in(document, &order.expires_in, error)) return std::nullopt;
  return order;
}

void create_key(caf::event_based_actor* self, const context_ptr& context,
                const identity& admin, const api_key_order& order,
                const http::responder& respond) {
  self->request(context->tokens, std::chrono::seconds(30),
                key_create_atom::value, admin, order)
      .then(
          [respond](const status_record& created) {
            respond(json_response(201, created.value));
          },
          [context, respond](const caf::error& error) {
            respond(from_error(*context->system, error));
          });
}

void handle_create_key(const context_ptr& context,
                       const http::request& request,
                       const http::responder& respond) {
  std::string error;
  auto order = parse_key_order(request.body, &error);
  if (!order) {
    respond(http::error_response(400, "invalid_request", error));
    return;
  }
  as_admin(context, request, respond,
           [context, order = *order, respond](caf::event_based_actor* self,
                                              const identity& admin) {
             self->request(context->rbac, std::chrono::seconds(30),
                           authorize_atom::value, order.owner, order.scope)
                 .then(
                     [self, context, admin, order,
                      respond](const decision& verdict) {
                       if (!verdict.allowed) {
                         respond(http::error_response(400, "invalid_request",
                                                      verdict.reason));
                         return;
                       }
                       create_key(self, context, admin, order, respond);
                     },
                     [context, respond](const caf::error& error) {
                       respond(from_error(*context->system, error));
                     });
           });
}

void handle_list_keys(const context_ptr& context, const http::request& request,
                      const http::responder& respond) {
  as_admin(context, request, respond,
           [context, respond](caf::event_based_actor* self, const identity&) {
             self->request(context->tokens, std::chrono::seconds(30),
                           key_list_atom::value)
                 .then(
                     [respond](const status_record& keys) {
                       respond(json_response(200, keys.value));
                     },
                     [context, respond](const caf::error& error) {
                       respond(from_error(*context->system, error));
                     });
           });
}

void handle_revoke_key(const context_ptr& context,
                       const http::request& request, const std::string& id,
                       const http::responder& respond) {
  as_admin(context, request, respond,
           [context, id, respond](caf::event_based_actor* self,
                                  const identity& admin) {
             self->request(context->tokens, std::chrono::seconds(30),
                           key_revoke_atom::value, admin, id)
                 .then([respond](bool) { respond(no_content()); },
                       [context, respond](const caf::error& error) {
                         respond(from_error(*context->system, error));
                       });
           });
}

}  // namespace

void add_auth_routes(route_table& table) {
  table.add("POST", "/v1/apikeys",
            [](const context_ptr& context, const http::request& request,
               const route_params&, const http::responder& respond) {
              handle_create_key(context, request, respond);
            });
  table.add("GET", "/v1/apikeys",
            [](const context_ptr& context, const http::request& request,
               const route_params&, const http::responder& respond) {
              handle_list_keys(context, request, respond);
            });
  table.add("DELETE", "/v1/apikeys/{id}",
            [](const context_ptr& context, const http::request& request,
               const route_params& params, const http::responder& respond) {
              handle_revoke_key(context, request, params[0], respond);
            });
  table.add("POST", "/v1/logout",
            [](const context_ptr& context, const http::request& request,
               const route_params&, const http::responder& respond) {
              handle_logout(context, request, respond);
            });
  table.add("POST", "/v1/admin/users/{user}/revoke",
            [](const context_ptr& context, const http::request& request,
               const route_params& params, const http::responder& respond) {
              handle_revoke_user(context, request, params[0], respond);
            });
}

}  // namespace gateway
