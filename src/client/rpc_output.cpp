#include "gateway/client/rpc_output.hpp"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "gateway/client/session.hpp"

namespace gateway::client {
namespace {

using json = nlohmann::json;

constexpr const char* red = "\x1b[31m";
constexpr const char* green = "\x1b[32m";
constexpr const char* yellow = "\x1b[33m";
constexpr const char* reset = "\x1b[0m";

std::string paint(const std::string& text, const char* colour_code,
                  bool colour) {
  return colour ? colour_code + text + reset : text;
}

std::string value_text(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string pad_right(std::string text, std::size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

std::string pad_left(const std::string& text, std::size_t width) {
  return text.size() < width ? std::string(width - text.size(), ' ') + text
                             : text;
}

}  // namespace

std::int64_t count_field(const json& object, const char* name) {
  auto found = object.find(name);
  return found != object.end() && found->is_number_integer()
             ? found->get<std::int64_t>()
             : 0;
}

std::string text_field(const json& object, const char* name) {
  auto found = object.find(name);
  return found != object.end() && found->is_string() ? found->get<std::string>()
                                                     : "";
}

void print_reply(std::ostream& out, const json& reply, bool colour) {
  std::string sender = text_field(reply, "sender");
  auto statuscode = count_field(reply, "statuscode");
  if (statuscode == 0) {
    out << sender << "\n";
  } else {
    std::string message = text_field(reply, "statusmsg");
    out << paint(pad_right(sender, 40) + " " + message, red, colour) << "\n";
  }

  auto data = reply.find("data");
  if (data != reply.end() && data->is_object()) {
    std::size_t width = 0;
    for (const auto& [key, value] : data->items())
      width = std::max(width, key.size());
    for (const auto& [key, value] : data->items())
      out << "    " << pad_left(key, width) << ": " << value_text(value)
          << "\n";
  } else if (data != reply.end() && !data->is_null()) {
    out << "    " << value_text(*data) << "\n";
  }
  out << "\n";
}

void print_no_response(std::ostream& out, const json& status, bool colour) {
  auto silent = status.find("no_response");
  if (silent == status.end() || !silent->is_array() || silent->empty()) return;
  out << paint("No response from:", yellow, colour) << "\n\n";
  for (const auto& node : *silent) out << "    " << value_text(node) << "\n";
  out << "\n";
}

void print_summary(std::ostream& out, const json& status, bool colour) {
  std::string state = text_field(status, "state");
  if (state == "failed") {
    out << paint("The request failed: " + text_field(status, "reason"), red,
                 colour)
        << "\n";
    return;
  }
  auto expected = count_field(status, "expected");
  if (is_finished_state(state) && expected == 0) {
    out << "No request sent: no node matched the filter.\n";
    return;
  }

  auto ok = count_field(status, "ok");
  auto failed = count_field(status, "failed");
  std::int64_t silent = 0;
  if (auto list = status.find("no_response");
      list != status.end() && list->is_array())
    silent = static_cast<std::int64_t>(list->size());
  std::string time = "";
  if (auto seconds = elapsed_seconds(status)) {
    char text[32];
    std::snprintf(text, sizeof text, " in %.2f s", *seconds);
    time = text;
  }
  out << "Finished processing " << count_field(status, "received") << " / "
      << expected << " hosts" << time << ": "
      << paint(std::to_string(ok) + " ok", green, colour && ok > 0) << ", "
      << paint(std::to_string(failed) + " failed", red, colour && failed > 0)
      << ", "
      << paint(std::to_string(silent) + " silent", yellow, colour && silent > 0)
      << "\n";
}

int outcome_exit_status(const json& status) {
  std::string state = text_field(status, "state");
  if (state == "failed") return exit_error;
  auto expected = count_field(status, "expected");
  bool all_ok = expected > 0 && count_field(status, "ok") == expected &&
                count_field(status, "failed") == 0;
  if (auto silent = status.find("no_response");
      silent != status.end() && silent->is_array() && !silent->empty())
    all_ok = false;
  return all_ok ? exit_success : exit_partial;
}

std::optional<std::int64_t> parse_utc_ms(std::string_view text) {
  std::tm parts{};
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  int consumed = 0;
  std::string copy(text);
  if (std::sscanf(copy.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &year, &month,
                  &day, &hour, &minute, &second, &consumed) != 6)
    return std::nullopt;
  parts.tm_year = year - 1900;
  parts.tm_mon = month - 1;
  parts.tm_mday = day;
  parts.tm_hour = hour;
  parts.tm_min = minute;
  parts.tm_sec = second;
  std::int64_t milliseconds = 0;
  std::string_view rest = text.substr(static_cast<std::size_t>(consumed));
  if (rest.starts_with('.')) {
    int scale = 100;
    rest.remove_prefix(1);
    while (!rest.empty() && rest.front() >= '0' && rest.front() <= '9') {
      milliseconds += (rest.front() - '0') * scale;
      scale /= 10;
      rest.remove_prefix(1);
    }
  }
  if (rest != "Z") return std::nullopt;
  return static_cast<std::int64_t>(timegm(&parts)) * 1000 + milliseconds;
}

std::optional<double> elapsed_seconds(const json& status) {
  auto created = parse_utc_ms(text_field(status, "created_at"));
  auto completed = parse_utc_ms(text_field(status, "completed_at"));
  if (!created || !completed) return std::nullopt;
  return static_cast<double>(*completed - *created) / 1000.0;
}

bool is_finished_state(std::string_view state) {
  return state == "complete" || state == "expired" || state == "failed";
}

}  // namespace gateway::client
