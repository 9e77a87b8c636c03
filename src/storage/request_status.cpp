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
      {"replay_of", text_or_null(data, "replay_of")},
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

namespace {

// Reads exactly count digits at text[at] into value.
bool read_digits(std::string_view text, std::size_t at, std::size_t count,
                 int& value) {
  if (at + count > text.size()) return false;
  value = 0;
  for (std::size_t i = at; i < at + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  return true;
}

// Reads the zone designator at text[at], Z or +HH:MM or -HH:MM, as an
// offset east of UTC in seconds.
std::optional<std::int64_t> read_zone(std::string_view text, std::size_t at) {
  if (at >= text.size()) return std::nullopt;
  if ((text[at] == 'Z' || text[at] == 'z') && at + 1 == text.size()) return 0;
  if (text[at] != '+' && text[at] != '-') return std::nullopt;
  int hours = 0;
  int minutes = 0;
  if (text.size() != at + 6 || text[at + 3] != ':' ||
      !read_digits(text, at + 1, 2, hours) ||
      !read_digits(text, at + 4, 2, minutes) || hours > 23 || minutes > 59)
    return std::nullopt;
  std::int64_t offset = hours * 3600 + minutes * 60;
  return text[at] == '-' ? -offset : offset;
}

}  // namespace

std::optional<std::int64_t> parse_utc_timestamp(std::string_view text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  bool valid = read_digits(text, 0, 4, year) && text.size() > 19 &&
               text[4] == '-' && read_digits(text, 5, 2, month) &&
               text[7] == '-' && read_digits(text, 8, 2, day) &&
               (text[10] == 'T' || text[10] == 't') &&
               read_digits(text, 11, 2, hour) && text[13] == ':' &&
               read_digits(text, 14, 2, minute) && text[16] == ':' &&
               read_digits(text, 17, 2, second);
  if (!valid || month < 1 || month > 12 || day < 1 || day > 31 ||
      hour > 23 || minute > 59 || second > 60)
    return std::nullopt;

  // An optional fraction; digits past the third are dropped.
  std::size_t at = 19;
  int millis = 0;
  if (text[at] == '.') {
    std::size_t digits = 0;
    for (++at; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at)
      if (digits++ < 3) millis = millis * 10 + (text[at] - '0');
    if (digits == 0) return std::nullopt;
    for (; digits < 3; ++digits) millis *= 10;
  }
  auto zone = read_zone(text, at);
  if (!zone) return std::nullopt;

  std::tm parts{};
  parts.tm_year = year - 1900;
  parts.tm_mon = month - 1;
  parts.tm_mday = day;
  parts.tm_hour = hour;
  parts.tm_min = minute;
  parts.tm_sec = second;
  std::int64_t seconds = timegm(&parts);
  if (parts.tm_mday != day) return std::nullopt;  // such as February 30
  return (seconds - *zone) * 1000 + millis;
}

}  // namespace gateway::storage
