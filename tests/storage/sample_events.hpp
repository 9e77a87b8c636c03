// Builders for the request events that the collector and the request
// service append, with the data layouts described in request_status.hpp.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gateway/storage/event.hpp"

namespace gateway::storage::test_support {

// 2026-12-04T15:00:00.000Z in Unix milliseconds.
inline constexpr std::int64_t base_time_ms = 1796396400000;

inline event make_event(event_kind kind, const std::string& request_id,
                        std::int64_t time_ms, nlohmann::json data) {
  event e;
  e.kind = kind;
  e.time_ms = time_ms;
  e.request_id = request_id;
  e.caller = "choria=alice";
  e.data = std::move(data);
  return e;
}

inline event accepted(const std::string& request_id, bool discovering,
                      std::int64_t time_ms = base_time_ms) {
  return make_event(event_kind::request_accepted, request_id, time_ms,
                    {{"agent", "rpcutil"},
                     {"action", "ping"},
                     {"collective", "mcollective"},
                     {"data", nlohmann::json::object()},
                     {"filter", nlohmann::json::object()},
                     {"nodes", nlohmann::json::array()},
                     {"timeout", 20},
                     {"discovery_timeout", 2},
                     {"ttl", 60},
                     {"discovering", discovering}});
}

inline event discovered(const std::string& request_id,
                        const std::vector<std::string>& nodes,
                        std::int64_t time_ms = base_time_ms + 1000) {
  return make_event(event_kind::discovery_completed, request_id, time_ms,
                    {{"nodes", nodes}});
}

inline event published(const std::string& request_id,
                       const std::vector<std::string>& nodes,
                       std::int64_t time_ms = base_time_ms + 2000) {
  return make_event(event_kind::request_published, request_id, time_ms,
                    {{"expected_nodes", nodes}, {"deadline", time_ms + 20000}});
}

inline event reply(const std::string& request_id, const std::string& sender,
                   int statuscode = 0, bool expected = true,
                   std::int64_t time_ms = base_time_ms + 3000) {
  return make_event(event_kind::reply_received, request_id, time_ms,
                    {{"sender", sender},
                     {"statuscode", statuscode},
                     {"statusmsg", statuscode == 0 ? "OK" : "Aborted"},
                     {"data", {{"pong", time_ms / 1000}}},
                     {"expected", expected}});
}

inline event finished(event_kind kind, const std::string& request_id,
                      const std::vector<std::string>& no_response,
                      std::int64_t time_ms = base_time_ms + 9000) {
  return make_event(kind, request_id, time_ms, {{"no_response", no_response}});
}

// A Choria-shaped request id that differs per n.
inline std::string request_id_for(int n) {
  std::string hex = "0123456789abcdef0123456789abcdef";
  std::string number = std::to_string(n);
  return hex.substr(0, hex.size() - number.size()) + number;
}

}  // namespace gateway::storage::test_support
