// The settings of metrics and logging, read from the gateway.metrics.* and
// gateway.log.* keys (except gateway.log.sync, which belongs to the event
// log).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "gateway/common/config_file.hpp"

namespace gateway {

struct monitoring_settings {
  // gateway.metrics.listen = ADDRESS:PORT: a second listener that serves
  // only /metrics and /healthz, over plain HTTP. Unset: none.
  std::optional<std::string> metrics_address;
  unsigned short metrics_port = 0;
  // gateway.metrics.main_listener: serve /metrics on gateway.listen too.
  bool metrics_on_main_listener = true;

  // gateway.log.format: "text" or "json" (one JSON object per line).
  std::string log_format = "text";
  // gateway.log.level.COMPONENT = LEVEL: a component's level, overriding
  // loglevel.
  std::map<std::string, std::string> component_levels;

  // True for the keys this struct reads, so that the unknown-key check
  // accepts them.
  [[nodiscard]] static bool is_monitoring_key(std::string_view key);

  // Parses and checks the keys. Returns false and sets *error, naming the
  // key and the valid values, on an invalid value.
  [[nodiscard]] static bool read(const config_file& config,
                                 monitoring_settings& out, std::string* error);
};

}  // namespace gateway
