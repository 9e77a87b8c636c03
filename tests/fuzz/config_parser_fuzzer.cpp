// Fuzzes the Choria-style configuration parser and the gateway's settings
// checks on top of it.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "gateway/common/config_file.hpp"
#include "gateway/server/settings.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string error;
  const auto config = gateway::config_file::parse(text, &error);
  if (!config) {
    if (error.empty()) __builtin_trap();  // a rejection names the line
    return 0;
  }
  error.clear();
  const auto parsed =
      gateway::settings::from_config(*config, "/etc/gateway", &error);
  if (!parsed && error.empty()) __builtin_trap();
  if (parsed && !parsed->collectives.empty() &&
      parsed->callerid_format.find("{user}") == std::string::npos)
    __builtin_trap();
  return 0;
}
