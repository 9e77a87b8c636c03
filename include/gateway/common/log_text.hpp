// Untrusted text in log lines.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace gateway {

// Returns text fit for one log line: control characters and bytes outside
// printable ASCII are written as \xNN, and text longer than max_bytes is
// cut with "..." appended, so a client cannot forge or flood log lines.
std::string log_safe(std::string_view text, std::size_t max_bytes = 64);

}  // namespace gateway
