#include "gateway/server/monitoring_settings.hpp"

#include <cstdlib>

#include <spdlog/common.h>

namespace gateway {
namespace {

constexpr std::string_view level_prefix = "gateway.log.level.";

bool valid_level(const std::string& level) {
  return level == "off" || spdlog::level::from_str(level) != spdlog::level::off;
}

bool valid_component(std::string_view name) {
  return !name.empty() &&
         name.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") ==
             std::string_view::npos;
}

bool read_metrics_listen(const std::string& text, monitoring_settings& out,
                         std::string* error) {
  auto colon = text.rfind(':');
  auto port_text = colon == std::string::npos ? "" : text.substr(colon + 1);
  char* end = nullptr;
  long port = std::strtol(port_text.c_str(), &end, 10);
  if (colon == 0 || colon == std::string::npos || port_text.empty() ||
      *end != '\0' || port < 0 || port > 65535) {
    *error = "gateway.metrics.listen must be ADDRESS:PORT, got `" + text + "`";
    return false;
  }
  auto address = text.substr(0, colon);
  if (address.size() > 2 && address.front() == '[' && address.back() == ']')
    address = address.substr(1, address.size() - 2);
  out.metrics_address = address;
  out.metrics_port = static_cast<unsigned short>(port);
  return true;
}

bool read_levels(const config_file& config, monitoring_settings& out,
                 std::string* error) {
  for (const auto& [key, value] : config.entries()) {
    if (!key.starts_with(level_prefix)) continue;
    auto component = key.substr(level_prefix.size());
    if (!valid_component(component)) {
      *error = key +
               " names no component: use lowercase letters and _, "
               "such as gateway.log.level.broker";
      return false;
    }
    if (!valid_level(value)) {
      *error = key +
               " must be trace, debug, info, warn, error, critical or "
               "off, got `" +
               value + "`";
      return false;
    }
    out.component_levels[component] = value;
  }
  return true;
}

}  // namespace

bool monitoring_settings::is_monitoring_key(std::string_view key) {
  return key == "gateway.metrics.listen" ||
         key == "gateway.metrics.main_listener" ||
         key == "gateway.log.format" || key.starts_with(level_prefix);
}

bool monitoring_settings::read(const config_file& config,
                               monitoring_settings& out, std::string* error) {
  if (config.contains("gateway.metrics.listen") &&
      !read_metrics_listen(config.get("gateway.metrics.listen"), out, error))
    return false;
  auto main_listener =
      config.get_bool("gateway.metrics.main_listener", true, error);
  if (!main_listener) return false;
  out.metrics_on_main_listener = *main_listener;

  out.log_format = config.get("gateway.log.format", out.log_format);
  if (out.log_format != "text" && out.log_format != "json") {
    *error =
        "gateway.log.format must be text or json, got `" + out.log_format + "`";
    return false;
  }
  return read_levels(config, out, error);
}

}  // namespace gateway
