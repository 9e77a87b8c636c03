// The gateway.retention.* keys of the settings.
#include <cstdlib>

#include "gateway/server/settings.hpp"

namespace gateway {
namespace {

// Parses a duration such as 30d, 12h, 90m, 45s, 2w or plain seconds into
// seconds. Returns nullopt for anything else or a value past ten years.
std::optional<std::int64_t> parse_duration(const std::string& text) {
  if (text.empty()) return std::nullopt;
  std::int64_t unit = 1;
  std::string number = text;
  switch (text.back()) {
    case 's': unit = 1; break;
    case 'm': unit = 60; break;
    case 'h': unit = 3600; break;
    case 'd': unit = 86400; break;
    case 'w': unit = 7 * 86400; break;
    default: unit = 0;
  }
  if (unit != 0) number.pop_back();
  if (unit == 0) unit = 1;
  if (number.empty() || number.size() > 10 ||
      number.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  std::int64_t seconds = std::strtoll(number.c_str(), nullptr, 10) * unit;
  if (seconds > 10LL * 366 * 86400) return std::nullopt;
  return seconds;
}

bool read_duration(const config_file& config, const char* key,
                   std::int64_t minimum, std::int64_t& out,
                   std::string* error) {
  if (!config.contains(key)) return true;
  auto seconds = parse_duration(config.get(key));
  if (!seconds || *seconds < minimum) {
    *error = std::string(key) + " must be a duration of at least " +
             std::to_string(minimum) +
             " seconds such as 30d, 12h, 90m or 45s, got `" + config.get(key) +
             "`";
    return false;
  }
  out = *seconds;
  return true;
}

}  // namespace

bool settings::read_retention(const config_file& config, settings& out,
                              std::string* error) {
  if (!read_duration(config, "gateway.retention.max_age", 1,
                     out.retention_max_age_seconds, error) ||
      !read_duration(config, "gateway.retention.interval", 1,
                     out.retention_interval_seconds, error))
    return false;
  auto count = config.get_integer("gateway.retention.max_requests", 0, error);
  if (!count) return false;
  if (*count < 0) {
    *error = "gateway.retention.max_requests must be 0 (no limit) or more";
    return false;
  }
  out.retention_max_requests = static_cast<std::uint64_t>(*count);
  return true;
}

}  // namespace gateway
