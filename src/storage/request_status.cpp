#include "gateway/storage/request_status.hpp"

#include <cstdio>
#include <ctime>

namespace gateway::storage {
namespace {

using json = nlohmann::json;

// The string at key, or null when it is missing or not a string.
json text_or_null(const json& data, const char* key) {
  auto it = data.find(key);
  if (it == data.end() || !it->is_string()) return nullptr;
  return *it;
}

std::int64_t integer_or(const json& data, const char* key,
                        std::int64_t fallback) {
  auto it = data.find(key);
  if (it == data.end() || !it->is_number_integer()) return fallback;
  return it->get<std::int64_t>();
}

bool bool_or(const json& data, const char* key, bool fallback) {
  auto it = data.find(key);
  if (it == data.end() || !it->is_boolean()) return fallback;
  return it->get<bool>();
}

json string_list(const json& data, const char* key) {
  json list = json::array();
  auto it = data.find(key);
  if (it == data.end() || !it->is_array()) return list;
  for (const auto& item : *it)
    if (item.is_string()) list.push_back(item);
  return list;
}

// Adds one to the integer at key, which the projection itself created.
void increment(json& status, const char* key) {
  status[key] = integer_or(status, key, 0) + 1;
}

json make_status(const event& e) {
  const json& data = e.data;
  bool discovering = bool_or(data, "discovering", false);
  return {
      {"request_id", e.request_id},
      {"state", discovering ? state_discovering : state_running},
      {"agent", text_or_null(data, "agent")},
      {"action", text_or_null(data, "action")},
      {"caller", e.caller},
      {"collective", text_or_null(data, "collective")},
      {"created_at", format_utc_timestamp(e.time_ms)},
      {"published_at", nullptr},
      {"completed_at", nullptr},
      {"deadline", nullptr},
      {"accepted_sequence", e.sequence},
      {"discovered", nullptr},
      {"expected", 0},
      {"received", 0},
      {"ok", 0},
      {"failed", 0},
      {"unexpected", 0},
      {"no_response", json::array()},
      {"reason", nullptr},
  };
}

void apply_published(json& status, const event& e) {
  status["state"] = state_running;
  status["published_at"] = format_utc_timestamp(e.time_ms);
  status["expected"] = string_list(e.data, "expected_nodes").size();
  auto deadline = e.data.find("deadline");
  if (deadline != e.data.end() && deadline->is_number_integer())
    status["deadline"] = format_utc_timestamp(deadline->get<std::int64_t>());
}

void apply_reply(json& status, const event& e) {
  if (!bool_or(e.data, "expected", true)) {
    increment(status, "unexpected");
    return;
  }
  increment(status, "received");
  increment(status, integer_or(e.data, "statuscode", 0) == 0 ? "ok" : "failed");
}

void apply_finished(json& status, const event& e, std::string_view state) {
  status["state"] = state;
  status["completed_at"] = format_utc_timestamp(e.time_ms);
  if (e.kind == event_kind::request_failed)
    status["reason"] = text_or_null(e.data, "reason");
  else
    status["no_response"] = string_list(e.data, "no_response");
}

}  // namespace

bool is_unfinished_state(std::string_view state) {
  return state == state_discovering || state == state_running;
}

bool is_unfinished(const json& status) {
  if (!status.is_object()) return false;
  auto state = status.find("state");
  return state != status.end() && state->is_string() &&
         is_unfinished_state(state->get_ref<const std::string&>());
}

bool apply_event(json& status, const event& e) {
  if (!updates_request_status(e.kind)) return false;
  if (e.kind == event_kind::request_accepted) {
    if (!status.is_null()) return false;
    status = make_status(e);
    return true;
  }
  if (!status.is_object()) return false;
  if (e.kind == event_kind::reply_received) {
    apply_reply(status, e);
    return true;
  }
  if (!is_unfinished(status)) return false;

  switch (e.kind) {
    case event_kind::discovery_completed:
      status["discovered"] = string_list(e.data, "nodes").size();
      return true;
    case event_kind::request_published:
      apply_published(status, e);
      return true;
    case event_kind::request_completed:
      apply_finished(status, e, state_complete);
      return true;
    case event_kind::request_expired:
      apply_finished(status, e, state_expired);
      return true;
    case event_kind::request_failed:
      apply_finished(status, e, state_failed);
      return true;
    default:
      return false;
  }
}

json make_reply(const event& e) {
  const json& data = e.data;
  json received_at = text_or_null(data, "received_at");
  if (received_at.is_null())
    received_at =
        format_utc_timestamp(integer_or(data, "received_at", e.time_ms));
  auto reply_data = data.find("data");
  return {
      {"sender", text_or_null(data, "sender")},
      {"statuscode", integer_or(data, "statuscode", 0)},
      {"statusmsg", text_or_null(data, "statusmsg")},
      {"data", reply_data == data.end() ? json(nullptr) : *reply_data},
      {"received_at", received_at},
  };
}

std::vector<std::string> expected_nodes_of(const event& e) {
  std::vector<std::string> names;
  for (const auto& name : string_list(e.data, "expected_nodes"))
    names.push_back(name.get<std::string>());
  return names;
}

std::string format_utc_timestamp(std::int64_t unix_ms) {
  // Floor division, so that times before 1970 keep a positive millisecond.
  std::int64_t seconds = unix_ms / 1000;
  std::int64_t millis = unix_ms % 1000;
  if (millis < 0) {
    millis += 1000;
    seconds -= 1;
  }

  std::time_t time = static_cast<std::time_t>(seconds);
  std::tm parts{};
  if (gmtime_r(&time, &parts) == nullptr) return "";
  char text[40];
  std::size_t length =
      std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &parts);
  std::snprintf(text + length, sizeof text - length, ".%03dZ",
                static_cast<int>(millis));
  return text;
}

}  // namespace gateway::storage
