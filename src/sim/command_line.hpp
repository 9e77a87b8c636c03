// The choria-fleet-sim command line.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "gateway/sim/fleet_options.hpp"

namespace gateway::sim {

struct command_line {
  fleet_options fleet;
  std::string log_level = "info";
  std::int64_t test_delay_ms = 0;  // copied into fleet.agents.test_delay
};

// Parses argv into *parsed. Returns nullopt to go on, or the exit code when
// the program must stop now: 0 after --help, non-zero after printing an
// invalid option to standard error.
[[nodiscard]] std::optional<int> parse_command_line(int argc, char** argv,
                                                    command_line* parsed);

}  // namespace gateway::sim
