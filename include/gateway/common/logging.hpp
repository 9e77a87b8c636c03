// One spdlog logger per component, all writing to standard error.
#pragma once

#include <memory>
#include <string>

#include <spdlog/spdlog.h>

namespace gateway {

// Returns the logger of a component ("http", "broker", ...), creating it
// with the current default level on first use. Thread safe.
std::shared_ptr<spdlog::logger> logger(const std::string& component);

// Sets the level of every logger, present and future: trace, debug, info,
// warn, error or off. Returns false on an unknown level name.
bool set_log_level(const std::string& level);

}  // namespace gateway
