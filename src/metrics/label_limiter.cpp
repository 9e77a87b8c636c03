#include "gateway/metrics/label_limiter.hpp"

namespace gateway::metrics {

label_limiter::label_limiter(std::size_t max_unknown_pairs)
    : max_unknown_pairs_(max_unknown_pairs) {}

void label_limiter::set_known(known_predicate known) {
  known_ = std::move(known);
}

std::pair<std::string, std::string> label_limiter::label(
    std::string_view agent, std::string_view action) {
  std::pair<std::string, std::string> named{std::string(agent),
                                            std::string(action)};
  if (known_ && known_(agent, action)) return named;

  std::lock_guard<std::mutex> lock(mutex_);
  if (unknown_seen_.count(named)) return named;
  if (unknown_seen_.size() < max_unknown_pairs_) {
    unknown_seen_.insert(named);
    return named;
  }
  return {std::string(other_label), std::string(other_label)};
}

}  // namespace gateway::metrics
