// Limits on untrusted JSON before it is parsed.
#pragma once

#include <cstddef>
#include <string_view>

namespace gateway {

// The deepest nesting of arrays and objects accepted in a request body.
// Deeper documents are rejected before parsing, because copying and
// printing nlohmann::json values recurses once per level and a body of a
// few hundred kilobytes could otherwise exhaust a thread's stack.
inline constexpr std::size_t max_json_depth = 64;

// Returns whether text nests arrays and objects deeper than max_depth,
// counting only brackets outside JSON strings. Linear in the text length.
bool json_nesting_exceeds(std::string_view text, std::size_t max_depth);

}  // namespace gateway
