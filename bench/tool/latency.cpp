#include "bench/tool/latency.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace gateway::bench {

double unix_seconds() {
  auto now = std::chrono::system_clock::now().time_since_epoch();
  return std::chrono::duration<double>(now).count();
}

namespace {

double nearest_rank(const std::vector<double>& sorted, double percent) {
  auto rank = static_cast<std::size_t>(
      std::ceil(percent / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

}  // namespace

nlohmann::json summarize(std::vector<double>& samples_ns) {
  if (samples_ns.empty()) return {{"count", 0}};
  std::sort(samples_ns.begin(), samples_ns.end());
  double total = std::accumulate(samples_ns.begin(), samples_ns.end(), 0.0);
  return {{"count", samples_ns.size()},
          {"p50_us", nearest_rank(samples_ns, 50) / 1000},
          {"p99_us", nearest_rank(samples_ns, 99) / 1000},
          {"max_us", samples_ns.back() / 1000},
          {"mean_us", total / static_cast<double>(samples_ns.size()) / 1000}};
}

}  // namespace gateway::bench
