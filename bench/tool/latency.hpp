// Latency samples and their summary.
#pragma once

#include <chrono>
#include <vector>

#include <nlohmann/json.hpp>

namespace gateway::bench {

// Unix time in seconds with sub-microsecond resolution, from the system
// clock, so that timestamps of several processes can be compared.
[[nodiscard]] double unix_seconds();

// {"count","p50_us","p99_us","max_us","mean_us"} of samples in
// nanoseconds, by the nearest-rank method. Sorts samples.
[[nodiscard]] nlohmann::json summarize(std::vector<double>& samples_ns);

}  // namespace gateway::bench
