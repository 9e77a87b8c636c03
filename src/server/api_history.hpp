// The history, audit and replay routes of the REST API, which
// add_history_routes adds to the route table. Internal to src/server;
// README.md documents the parameters.
#pragma once

#include <string>

#include "src/server/api_support.hpp"

namespace gateway {

// GET /v1/requests?agent=&action=&caller=&state=&since=&until=&limit=&cursor=
void handle_history(const context_ptr& context, const http::request& request,
                    const http::responder& respond);

// GET /v1/audit?caller=&kind=&since=&until=&limit=&cursor=; needs a role
// with "read": ["audit"].
void handle_audit(const context_ptr& context, const http::request& request,
                  const http::responder& respond);

// POST /v1/requests/{id}/replay with {"targets": "all" | "failed" |
// "no_response"}.
void handle_replay(const context_ptr& context, const http::request& request,
                   const std::string& request_id,
                   const http::responder& respond);

// Parses a since or until parameter: an RFC 3339 time or Unix seconds
// with up to three decimals. Returns Unix milliseconds, or nullopt.
std::optional<std::int64_t> parse_time_parameter(const std::string& text);

}  // namespace gateway
