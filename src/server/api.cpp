#include "gateway/server/api.hpp"

#include <chrono>
#include <regex>

#include "gateway/common/encoding.hpp"
#include "gateway/common/json_limits.hpp"
#include "gateway/common/logging.hpp"
#include "gateway/server/submit_parser.hpp"

namespace gateway {
namespace {

using json = nlohmann::json;
using context_ptr = std::shared_ptr<const api_context>;

http::response json_response(unsigned status, const json& body) {
  http::response out;
  out.status = status;
  out.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return out;
}

unsigned status_for(gateway_errc code) {
  switch (code) {
    case gateway_errc::unauthorized: return 401;
    case gateway_errc::forbidden: return 403;
    case gateway_errc::not_found: return 404;
    case gateway_errc::invalid: return 400;
    case gateway_errc::unavailable: return 503;
    default: return 500;
  }
}

const char* code_name(gateway_errc code) {
  switch (code) {
    case gateway_errc::unauthorized: return "unauthorized";
    case gateway_errc::forbidden: return "forbidden";
    case gateway_errc::not_found: return "not_found";
    case gateway_errc::invalid: return "invalid_request";
    case gateway_errc::unavailable: return "unavailable";
    case gateway_errc::storage_failed: return "storage_failed";
    default: return "internal_error";
  }
}

http::response from_error(caf::actor_system& system, const caf::error& error) {
  auto code = error_code(error);
  auto status = status_for(code);
  auto message = code == gateway_errc::internal
                     ? std::string("internal error")
                     : error_message(system, error);
  if (code == gateway_errc::internal)
    logger("api")->error("internal error: {}", system.render(error));
  auto out = http::error_response(status, code_name(code), message);
  if (status == 401) out.headers.emplace_back("WWW-Authenticate", "Bearer");
  return out;
}

// Runs f(self) in a new event-based actor that lives until its last
// response handler ran.
template <class F>
void bridge(const context_ptr& context, F f) {
  context->system->spawn([f](caf::event_based_actor* self) { f(self); });
}

std::optional<std::string> bearer_token(const http::request& request) {
  auto found = request.headers.find("authorization");
  if (found == request.headers.end()) return std::nullopt;
  const std::string& value = found->second;
  if (value.size() < 8 || strncasecmp(value.c_str(), "bearer ", 7) != 0)
    return std::nullopt;
  auto token = value.substr(7);
  auto first = token.find_first_not_of(' ');
  if (first == std::string::npos) return std::nullopt;
  return token.substr(first);
}

// Verifies the bearer token, then calls next(self, caller).
template <class F>
void authenticated(const context_ptr& context, const http::request& request,
                   const http::responder& respond, F next) {
  auto token = bearer_token(request);
  if (!token) {
    auto out = http::error_response(
        401, "unauthorized",
        "missing bearer token: log in with POST /v1/login and send "
        "Authorization: Bearer <token>");
    out.headers.emplace_back("WWW-Authenticate", "Bearer");
    respond(std::move(out));
    return;
  }
  bridge(context, [context, token = *token, respond,
                   next](caf::event_based_actor* self) {
    self->request(context->tokens, std::chrono::seconds(30),
                  verify_atom::value, token)
        .then([self, next](const identity& caller) { next(self, caller); },
              [context, respond](const caf::error& error) {
                respond(from_error(*context->system, error));
              });
  });
}

void handle_login(const context_ptr& context, const http::request& request,
                  const http::responder& respond) {
  json body = json_nesting_exceeds(request.body, max_json_depth)
                  ? json(nullptr)
                  : json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
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
  bridge(context, [context, username, password, address = request.remote_address,
                   respond](caf::event_based_actor* self) {
    self->request(context->tokens, std::chrono::seconds(30),
                  login_atom::value, username, password, address)
        .then(
            [respond](const login_grant& grant) {
              respond(json_response(
                  200, {{"token", grant.token},
                        {"expires_at", grant.expires_at}}));
            },
            [context, respond](const caf::error& error) {
              respond(from_error(*context->system, error));
            });
  });
}

void record_denial(const context_ptr& context, const rpc_request& rpc,
                   const std::string& reason) {
  storage::event event;
  event.kind = storage::event_kind::request_denied;
  event.time_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  event.caller = rpc.caller;
  event.data = {{"agent", rpc.agent}, {"action", rpc.action},
                {"collective", rpc.collective}, {"reason", reason}};
  caf::anon_send(context->deps.event_log, append_atom::value,
                 std::vector<storage::event>{std::move(event)});
}

void start_request(caf::event_based_actor* self, const context_ptr& context,
                   rpc_request rpc, const http::responder& respond) {
  auto request_id = make_request_id();
  auto collector = spawn_collector(*context->system, context->deps,
                                   request_id, std::move(rpc));
  self->request(collector, std::chrono::seconds(30), start_atom::value)
      .then(
          [request_id, respond](const std::string& state) {
            respond(json_response(
                202, {{"request_id", request_id},
                      {"state", state},
                      {"status_url", "/v1/requests/" + request_id},
                      {"replies_url",
                       "/v1/requests/" + request_id + "/replies"}}));
          },
          [context, respond](const caf::error& error) {
            respond(from_error(*context->system, error));
          });
}

void handle_submit(const context_ptr& context, const http::request& request,
                   const http::responder& respond) {
  authenticated(context, request, respond,
                [context, body = request.body, respond](
                    caf::event_based_actor* self, const identity& caller) {
    std::string error;
    auto rpc = parse_submit(body, context->config, context->ddls.get(),
                            &error);
    if (!rpc) {
      respond(http::error_response(400, "invalid_request", error));
      return;
    }
    rpc->caller = caller.username;
    self->request(context->rbac, std::chrono::seconds(30),
                  authorize_atom::value, caller, rpc->agent, rpc->action)
        .then(
            [self, context, rpc = *rpc, respond](const decision& verdict) {
              if (!verdict.allowed) {
                record_denial(context, rpc, verdict.reason);
                respond(http::error_response(403, "forbidden",
                                             verdict.reason));
                return;
              }
              start_request(self, context, rpc, respond);
            },
            [context, respond](const caf::error& error) {
              respond(from_error(*context->system, error));
            });
  });
}

bool valid_request_id(const std::string& id) {
  return id.size() == 32 &&
         id.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// The caller may read only their own requests. Another user's request
// gets 404, so that ids of other users cannot be probed.
bool visible_to(const json& status, const identity& caller) {
  auto owner = status.find("caller");
  return owner != status.end() && owner->is_string() &&
         owner->get<std::string>() == caller.username;
}

void handle_status(const context_ptr& context, const http::request& request,
                   const std::string& request_id,
                   const http::responder& respond) {
  authenticated(context, request, respond,
                [context, request_id, respond](caf::event_based_actor* self,
                                               const identity& caller) {
    self->request(context->reader, std::chrono::seconds(30),
                  status_atom::value, request_id)
        .then(
            [request_id, caller, respond](const status_record& status) {
              if (!visible_to(status.value, caller)) {
                respond(http::error_response(
                    404, "not_found", "request " + request_id + " not found"));
                return;
              }
              respond(json_response(200, status.value));
            },
            [context, respond](const caf::error& error) {
              respond(from_error(*context->system, error));
            });
  });
}

std::optional<std::uint64_t> parse_limit(const http::request& request,
                                         std::size_t max_limit,
                                         std::string* error) {
  auto found = request.query.find("limit");
  if (found == request.query.end()) return std::min<std::size_t>(100, max_limit);
  const std::string& text = found->second;
  char* end = nullptr;
  errno = 0;
  unsigned long long value = std::strtoull(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno != 0 || value < 1 ||
      text.front() == '-' || value > max_limit) {
    *error = "limit must be an integer from 1 to " + std::to_string(max_limit);
    return std::nullopt;
  }
  return value;
}

void handle_replies(const context_ptr& context, const http::request& request,
                    const std::string& request_id,
                    const http::responder& respond) {
  std::string error;
  auto limit = parse_limit(request, context->config.max_page_size, &error);
  if (!limit) {
    respond(http::error_response(400, "invalid_request", error));
    return;
  }
  auto cursor_entry = request.query.find("cursor");
  std::string cursor =
      cursor_entry == request.query.end() ? "" : cursor_entry->second;
  authenticated(context, request, respond,
                [context, request_id, cursor, limit = *limit, respond](
                    caf::event_based_actor* self, const identity& caller) {
    self->request(context->reader, std::chrono::seconds(30),
                  status_atom::value, request_id)
        .then(
            [self, context, request_id, cursor, limit, caller,
             respond](const status_record& status) {
              if (!visible_to(status.value, caller)) {
                respond(http::error_response(
                    404, "not_found", "request " + request_id + " not found"));
                return;
              }
              self->request(context->reader, std::chrono::seconds(30),
                            replies_atom::value, request_id, cursor, limit)
                  .then(
                      [respond](const reply_page_result& page) {
                        json next = page.next_cursor.empty()
                                        ? json(nullptr)
                                        : json(page.next_cursor);
                        respond(json_response(
                            200, {{"replies", page.replies},
                                  {"next_cursor", next}}));
                      },
                      [context, respond](const caf::error& error) {
                        respond(from_error(*context->system, error));
                      });
            },
            [context, respond](const caf::error& error) {
              respond(from_error(*context->system, error));
            });
  });
}

void handle_readyz(const context_ptr& context,
                   const http::responder& respond) {
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
                             {"broker", broker_ready ? "connected"
                                                     : "disconnected"},
                             {"database", database_ready ? "open"
                                                         : "unavailable"}}));
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

void route(const context_ptr& context, const http::request& request,
           const http::responder& respond) {
  static const std::regex request_path("^/v1/requests/([^/]+)(/replies)?$");
  const auto& path = request.path;
  const auto& method = request.method;
  auto wrong_method = [&](const char* allowed) {
    auto out = http::error_response(405, "method_not_allowed",
                                    method + " is not allowed on " + path);
    out.headers.emplace_back("Allow", allowed);
    respond(std::move(out));
  };

  if (path == "/healthz") {
    if (method != "GET") return wrong_method("GET");
    return respond(json_response(200, {{"status", "ok"}}));
  }
  if (path == "/readyz") {
    if (method != "GET") return wrong_method("GET");
    return handle_readyz(context, respond);
  }
  if (path == "/v1/login") {
    if (method != "POST") return wrong_method("POST");
    return handle_login(context, request, respond);
  }
  if (path == "/v1/requests") {
    if (method != "POST") return wrong_method("POST");
    return handle_submit(context, request, respond);
  }
  std::smatch match;
  if (std::regex_match(path, match, request_path)) {
    if (method != "GET") return wrong_method("GET");
    std::string request_id = match[1];
    if (!valid_request_id(request_id))
      return respond(http::error_response(
          404, "not_found",
          "request " + request_id +
              " not found: request ids are 32 lowercase hex characters"));
    if (match[2].matched)
      return handle_replies(context, request, request_id, respond);
    return handle_status(context, request, request_id, respond);
  }
  respond(http::error_response(404, "not_found", "no route for " + path));
}

}  // namespace

http::handler make_api_handler(std::shared_ptr<const api_context> context) {
  return [context](http::request request, http::responder respond) {
    route(context, request, respond);
  };
}

}  // namespace gateway
