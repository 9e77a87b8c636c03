// One spdlog logger per component, all writing to standard error, as text
// or as one JSON object per line.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include <spdlog/spdlog.h>

namespace gateway {

// Returns the logger of a component ("http", "broker", ...), creating it
// with the component's configured level (else the default level) and the
// configured format on first use. Thread safe.
std::shared_ptr<spdlog::logger> logger(const std::string& component);

// Sets the level of every logger, present and future: trace, debug, info,
// warn, error, critical or off. Returns false on an unknown level name.
bool set_log_level(const std::string& level);

struct log_options {
  std::string level = "info";  // every component without its own level
  std::map<std::string, std::string> component_levels;
  bool json = false;
};

// Applies the format and the levels to every logger, present and future.
// In JSON format each line is an object with time (UTC, milliseconds),
// level, component, message and, when the message names a request as
// "request <32 hex digits>", request_id. Returns an error naming the bad
// level, or nullopt.
[[nodiscard]] std::optional<std::string> configure_logging(
    const log_options& options);

}  // namespace gateway
