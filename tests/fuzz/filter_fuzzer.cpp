// Fuzzes the Choria filter parser and checks that a parsed filter survives
// a round trip through its envelope encoding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "gateway/choria/protocol.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto document = nlohmann::json::parse(text, nullptr, false);
  if (document.is_discarded()) return 0;

  std::string error;
  const auto parsed = gateway::choria::filter_from_json(document, &error);
  if (!parsed) {
    if (error.empty()) __builtin_trap();  // a rejection names the field
    return 0;
  }
  const auto encoded = gateway::choria::filter_to_json(*parsed);
  const auto again = gateway::choria::filter_from_json(encoded, &error);
  if (!again || gateway::choria::filter_to_json(*again) != encoded)
    __builtin_trap();
  return 0;
}
