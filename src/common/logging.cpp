#include "gateway/common/logging.hpp"

#include <mutex>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include "gateway/common/json_log_formatter.hpp"

namespace gateway {
namespace {

// Guards the settings below and the creation of loggers.
std::mutex registry_mutex;
std::map<std::string, spdlog::level::level_enum> component_levels;
bool json_format = false;

std::optional<spdlog::level::level_enum> parse_level(const std::string& name) {
  auto parsed = spdlog::level::from_str(name);
  if (parsed == spdlog::level::off && name != "off") return std::nullopt;
  return parsed;
}

spdlog::level::level_enum level_of(const std::string& component) {
  auto found = component_levels.find(component);
  return found == component_levels.end() ? spdlog::get_level() : found->second;
}

std::unique_ptr<spdlog::formatter> make_formatter() {
  if (json_format) return std::make_unique<json_log_formatter>();
  return std::make_unique<spdlog::pattern_formatter>();
}

}  // namespace

std::shared_ptr<spdlog::logger> logger(const std::string& component) {
  std::lock_guard<std::mutex> lock(registry_mutex);
  if (auto existing = spdlog::get(component)) return existing;
  auto created = spdlog::stderr_color_mt(component);
  created->set_level(level_of(component));
  created->set_formatter(make_formatter());
  return created;
}

bool set_log_level(const std::string& level) {
  auto parsed = parse_level(level);
  if (!parsed) return false;
  std::lock_guard<std::mutex> lock(registry_mutex);
  spdlog::set_level(*parsed);
  spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& each) {
    each->set_level(level_of(each->name()));
  });
  return true;
}

std::optional<std::string> configure_logging(const log_options& options) {
  auto level = parse_level(options.level);
  if (!level) return "unknown log level `" + options.level + "`";
  std::map<std::string, spdlog::level::level_enum> levels;
  for (const auto& [component, name] : options.component_levels) {
    auto parsed = parse_level(name);
    if (!parsed)
      return "unknown log level `" + name + "` for component " + component;
    levels[component] = *parsed;
  }

  std::lock_guard<std::mutex> lock(registry_mutex);
  component_levels = std::move(levels);
  json_format = options.json;
  spdlog::set_level(*level);
  spdlog::apply_all([](const std::shared_ptr<spdlog::logger>& each) {
    each->set_level(level_of(each->name()));
    each->set_formatter(make_formatter());
  });
  return std::nullopt;
}

}  // namespace gateway
