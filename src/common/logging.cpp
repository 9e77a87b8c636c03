#include "gateway/common/logging.hpp"

#include <mutex>

#include <spdlog/sinks/stdout_color_sinks.h>

namespace gateway {
namespace {

std::mutex registry_mutex;

}  // namespace

std::shared_ptr<spdlog::logger> logger(const std::string& component) {
  std::lock_guard<std::mutex> lock(registry_mutex);
  if (auto existing = spdlog::get(component)) return existing;
  auto created = spdlog::stderr_color_mt(component);
  created->set_level(spdlog::get_level());
  return created;
}

bool set_log_level(const std::string& level) {
  auto parsed = spdlog::level::from_str(level);
  if (parsed == spdlog::level::off && level != "off") return false;
  std::lock_guard<std::mutex> lock(registry_mutex);
  spdlog::set_level(parsed);
  return true;
}

}  // namespace gateway
