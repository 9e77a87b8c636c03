#include "src/server/api_history.hpp"

#include <algorithm>
#include <chrono>

#include "gateway/storage/request_status.hpp"

namespace gateway {
namespace {

using json = nlohmann::json;

constexpr std::size_t max_filter_size = 256;

json cursor_or_null(const std::string& cursor) {
  return cursor.empty() ? json(nullptr) : json(cursor);
}

// Reads since and until into the bounds; false and *error naming the
// parameter when one is invalid.
bool read_time_bounds(const http::request& request,
                      std::optional<std::int64_t>& since,
                      std::optional<std::int64_t>& until, std::string* error) {
  for (const char* name : {"since", "until"}) {
    auto found = request.query.find(name);
    if (found == request.query.end()) continue;
    auto value = parse_time_parameter(found->second);
    if (!value) {
      *error = std::string(name) +
               " must be an RFC 3339 time such as 2026-12-04T15:00:00Z or "
               "Unix seconds, got \"" + found->second + "\"";
      return false;
    }
    (std::string(name) == "since" ? since : until) = value;
  }
  return true;
}

// Rejects a query parameter outside known and one given more than once,
// setting *error to name it. known lists the names for the message.
bool check_parameter_names(const http::request& request,
                           std::initializer_list<const char*> known,
                           std::string* error) {
  std::string names;
  for (const char* name : known)
    names += (names.empty() ? "" : ", ") + std::string(name);
  for (const auto& [name, value] : request.query) {
    if (std::find_if(known.begin(), known.end(), [&](const char* item) {
          return name == item;
        }) != known.end())
      continue;
    *error = "unknown parameter " + name + "; the parameters are " + names;
    return false;
  }
  if (!request.repeated_query.empty()) {
    *error = *request.repeated_query.begin() +
             " is given more than once; give each parameter once";
    return false;
  }
  return true;
}

// Rejects since later than until, which would select nothing.
bool check_time_order(const http::request& request,
                      const std::optional<std::int64_t>& since,
                      const std::optional<std::int64_t>& until,
                      std::string* error) {
  if (!since || !until || *since <= *until) return true;
  *error = "since (" + query_value(request, "since") +
           ") is later than until (" + query_value(request, "until") +
           "); since must be at or before until";
  return false;
}

// Reads the text filters names into values; false and *error naming the
// first one that is too long.
bool read_filters(const http::request& request,
                  std::initializer_list<std::pair<const char*, std::string*>>
                      filters,
                  std::string* error) {
  for (const auto& [name, value] : filters) {
    *value = query_value(request, name);
    if (value->size() > max_filter_size) {
      *error = std::string(name) + " must be at most 256 bytes";
      return false;
    }
  }
  return true;
}

bool valid_state(const std::string& state) {
  using namespace storage;
  return state.empty() || state == state_discovering ||
         state == state_running || state == state_complete ||
         state == state_expired || state == state_failed;
}

// Parses the history parameters; false and *error naming the parameter
// when one is invalid.
bool read_history_query(const http::request& request, std::size_t max_limit,
                        storage::history_query& query, std::string* error) {
  if (!check_parameter_names(request,
                             {"agent", "action", "caller", "state", "since",
                              "until", "limit", "cursor"},
                             error))
    return false;
  auto limit = parse_limit(request, max_limit, error);
  if (!limit) return false;
  query.limit = *limit;
  query.cursor = query_value(request, "cursor");
  if (!read_filters(request,
                    {{"agent", &query.agent},
                     {"action", &query.action},
                     {"caller", &query.caller},
                     {"state", &query.state}},
                    error))
    return false;
  if (!valid_state(query.state)) {
    *error = "state must be discovering, running, complete, expired or "
             "failed, got \"" + query.state + "\"";
    return false;
  }
  return read_time_bounds(request, query.since_ms, query.until_ms, error) &&
         check_time_order(request, query.since_ms, query.until_ms, error);
}

bool read_audit_query(const http::request& request, std::size_t max_limit,
                      storage::audit_query& query, std::string* error) {
  auto limit = parse_limit(request, max_limit, error);
  if (!limit) return false;
  query.limit = *limit;
  query.cursor = query_value(request, "cursor");
  if (!read_filters(request, {{"caller", &query.caller}, {"kind", &query.kind}},
                    error))
    return false;
  if (!query.kind.empty() && !storage::is_audit_kind(query.kind)) {
    *error = "kind must be login, login_failed, denied, submitted, replayed "
             "or logout, got \"" + query.kind + "\"";
    return false;
  }
  return read_time_bounds(request, query.since_ms, query.until_ms, error);
}

}  // namespace

std::optional<std::int64_t> parse_time_parameter(const std::string& text) {
  if (auto parsed = storage::parse_utc_timestamp(text)) return parsed;

  // Unix seconds: up to 12 digits, then up to three decimals.
  auto point = text.find('.');
  std::string whole = text.substr(0, point);
  std::string fraction = point == std::string::npos ? "" : text.substr(point + 1);
  auto digits = [](const std::string& part) {
    return part.find_first_not_of("0123456789") == std::string::npos;
  };
  if (whole.empty() || whole.size() > 12 || !digits(whole) ||
      fraction.size() > 3 || !digits(fraction) ||
      (point != std::string::npos && fraction.empty()))
    return std::nullopt;
  while (fraction.size() < 3) fraction += '0';
  return std::stoll(whole) * 1000 + std::stoll(fraction);
}

void handle_history(const context_ptr& context, const http::request& request,
                    const http::responder& respond) {
  storage::history_query query;
  std::string error;
  if (!read_history_query(request, context->config.max_page_size, query,
                          &error)) {
    respond(http::error_response(400, "invalid_request", error));
    return;
  }
  authenticated(context, request, respond,
                [context, query, respond](caf::event_based_actor* self,
                                          const identity& caller) {
    // Without read access to all requests the history is the caller's own.
    storage::history_query scoped = query;
    bool read_all =
        context->rules && context->rules->access_of(caller.roles).all;
    if (!read_all) {
      if (!scoped.caller.empty() && scoped.caller != caller.username) {
        respond(json_response(200, {{"requests", json::array()},
                                    {"next_cursor", nullptr}}));
        return;
      }
      scoped.caller = caller.username;
    }
    self->request(context->history, std::chrono::seconds(30),
                  history_atom::value, scoped)
        .then(
            [respond](const history_result& page) {
              respond(json_response(
                  200, {{"requests", page.requests},
                        {"next_cursor", cursor_or_null(page.next_cursor)}}));
            },
            respond_error(context, respond));
  });
}

void handle_audit(const context_ptr& context, const http::request& request,
                  const http::responder& respond) {
  storage::audit_query query;
  std::string error;
  if (!read_audit_query(request, context->config.max_page_size, query,
                        &error)) {
    respond(http::error_response(400, "invalid_request", error));
    return;
  }
  authenticated(context, request, respond,
                [context, query, respond](caf::event_based_actor* self,
                                          const identity& caller) {
    if (!context->rules || !context->rules->access_of(caller.roles).audit) {
      respond(http::error_response(
          403, "forbidden",
          "user " + caller.username +
              " may not read the audit trail: no role of theirs has "
              "\"read\": [\"audit\"] in the policy file"));
      return;
    }
    self->request(context->history, std::chrono::seconds(30),
                  audit_atom::value, query)
        .then(
            [respond](const audit_result& page) {
              respond(json_response(
                  200, {{"entries", page.entries},
                        {"next_cursor", cursor_or_null(page.next_cursor)}}));
            },
            respond_error(context, respond));
  });
}

void add_history_routes(route_table& table) {
  table.add("GET", "/v1/requests",
            [](const context_ptr& context, const http::request& request,
               const route_params&, const http::responder& respond) {
              handle_history(context, request, respond);
            });
  table.add("GET", "/v1/audit",
            [](const context_ptr& context, const http::request& request,
               const route_params&, const http::responder& respond) {
              handle_audit(context, request, respond);
            });
  table.add("POST", "/v1/requests/{id}/replay",
            [](const context_ptr& context, const http::request& request,
               const route_params& params, const http::responder& respond) {
              handle_replay(context, request, params.at(0), respond);
            });
}

}  // namespace gateway
