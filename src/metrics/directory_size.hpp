// The disk use of a folder, for the database size gauge.
#pragma once

#include <cstdint>
#include <string>

namespace gateway::metrics {

// Sums the sizes of the regular files under path, recursively. Files that
// vanish or cannot be read while walking are skipped, and a missing folder
// gives 0.
[[nodiscard]] std::uint64_t directory_size(const std::string& path);

}  // namespace gateway::metrics
