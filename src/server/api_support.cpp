#include "src/server/api_support.hpp"

#include <strings.h>

#include <cerrno>
#include <cstdlib>

#include "gateway/common/logging.hpp"

namespace gateway {
namespace {

unsigned status_for(gateway_errc code) {
  switch (code) {
    case gateway_errc::unauthorized:
      return 401;
    case gateway_errc::forbidden:
      return 403;
    case gateway_errc::not_found:
      return 404;
    case gateway_errc::invalid:
      return 400;
    case gateway_errc::unavailable:
      return 503;
    default:
      return 500;
  }
}

const char* code_name(gateway_errc code) {
  switch (code) {
    case gateway_errc::unauthorized:
      return "unauthorized";
    case gateway_errc::forbidden:
      return "forbidden";
    case gateway_errc::not_found:
      return "not_found";
    case gateway_errc::invalid:
      return "invalid_request";
    case gateway_errc::unavailable:
      return "unavailable";
    case gateway_errc::storage_failed:
      return "storage_failed";
    default:
      return "internal_error";
  }
}

}  // namespace

http::response json_response(unsigned status, const nlohmann::json& body) {
  http::response out;
  out.status = status;
  out.body =
      body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return out;
}

http::response from_error(caf::actor_system& system, const caf::error& error) {
  auto code = error_code(error);
  auto status = status_for(code);
  auto message = code == gateway_errc::internal ? std::string("internal error")
                                                : error_message(system, error);
  if (code == gateway_errc::internal)
    logger("api")->error("internal error: {}", system.render(error));
  auto out = http::error_response(status, code_name(code), message);
  if (status == 401) out.headers.emplace_back("WWW-Authenticate", "Bearer");
  return out;
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

http::response missing_token_response(const http::request& request) {
  // The field's value is never echoed: a client may have sent a token or
  // a password without the scheme.
  bool has_field = request.headers.count("authorization") != 0;
  std::string message =
      std::string(has_field ? "the Authorization field holds no bearer token"
                            : "missing bearer token") +
      ": log in with POST /v1/login and send Authorization: Bearer <token>";
  auto out = http::error_response(401, "unauthorized", message);
  out.headers.emplace_back("WWW-Authenticate", "Bearer");
  return out;
}

bool valid_request_id(const std::string& id) {
  return id.size() == 32 &&
         id.find_first_not_of("0123456789abcdef") == std::string::npos;
}

http::response request_not_found(const std::string& id) {
  return http::error_response(404, "not_found", "request " + id + " not found");
}

bool visible_to(const api_context& context, const nlohmann::json& status,
                const identity& caller) {
  if (context.rules && context.rules->access_of(caller.roles).all) return true;
  auto owner = status.find("caller");
  return owner != status.end() && owner->is_string() &&
         owner->get<std::string>() == caller.username;
}

std::optional<std::uint64_t> parse_limit(const http::request& request,
                                         std::size_t max_limit,
                                         std::string* error) {
  auto found = request.query.find("limit");
  if (found == request.query.end())
    return std::min<std::size_t>(100, max_limit);
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

std::string query_value(const http::request& request, const std::string& name) {
  auto found = request.query.find(name);
  return found == request.query.end() ? std::string() : found->second;
}

}  // namespace gateway
