#include "gateway/common/json_log_formatter.hpp"

#include <ctime>
#include <string>

#include <nlohmann/json.hpp>

namespace gateway {
namespace {

void append(spdlog::memory_buf_t& dest, std::string_view text) {
  dest.append(text.data(), text.data() + text.size());
}

void append_quoted(spdlog::memory_buf_t& dest, std::string_view text) {
  append(dest,
         nlohmann::json(std::string(text))
             .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::string utc_timestamp(spdlog::log_clock::time_point time) {
  auto since_epoch = time.time_since_epoch();
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
  auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(
      since_epoch - seconds);
  std::time_t whole = static_cast<std::time_t>(seconds.count());
  std::tm parts{};
  gmtime_r(&whole, &parts);
  char text[64];
  std::snprintf(text, sizeof(text), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                parts.tm_hour, parts.tm_min, parts.tm_sec,
                static_cast<int>(millis.count()));
  return text;
}

bool is_request_id(std::string_view text) {
  return text.size() == 32 &&
         text.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

}  // namespace

std::string_view find_request_id(std::string_view text) {
  static constexpr std::string_view marker = "request ";
  for (auto at = text.find(marker); at != std::string_view::npos;
       at = text.find(marker, at + 1)) {
    auto candidate = text.substr(at + marker.size(), 32);
    auto after = at + marker.size() + 32;
    bool ends_word = after >= text.size() || text[after] == ' ' ||
                     text[after] == ':' || text[after] == ',' ||
                     text[after] == '.';
    if (is_request_id(candidate) && ends_word) return candidate;
  }
  return {};
}

void json_log_formatter::format(const spdlog::details::log_msg& message,
                                spdlog::memory_buf_t& dest) {
  std::string_view text(message.payload.data(), message.payload.size());
  auto level = spdlog::level::to_string_view(message.level);

  append(dest, "{\"time\":\"");
  append(dest, utc_timestamp(message.time));
  append(dest, "\",\"level\":");
  append_quoted(dest, std::string_view(level.data(), level.size()));
  append(dest, ",\"component\":");
  append_quoted(dest, std::string_view(message.logger_name.data(),
                                       message.logger_name.size()));
  if (auto request_id = find_request_id(text); !request_id.empty()) {
    append(dest, ",\"request_id\":\"");
    append(dest, request_id);
    append(dest, "\"");
  }
  append(dest, ",\"message\":");
  append_quoted(dest, text);
  append(dest, "}\n");
}

std::unique_ptr<spdlog::formatter> json_log_formatter::clone() const {
  return std::make_unique<json_log_formatter>();
}

}  // namespace gateway
