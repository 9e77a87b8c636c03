// Bounds the values of the agent and action labels, so that a client
// cannot create unlimited time series by naming new agents or actions.
#pragma once

#include <cstddef>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <utility>

namespace gateway::metrics {

// The label value that stands for every agent or action beyond the bound.
inline constexpr std::string_view other_label = "other";

// Maps (agent, action) to label values. A pair the known predicate accepts,
// such as an action of a loaded DDL, keeps its names. The first
// max_unknown_pairs distinct other pairs keep theirs too, and later ones
// become ("other", "other"). label() is thread safe, but set_known() must
// be called before the first label() call.
class label_limiter {
 public:
  using known_predicate =
      std::function<bool(std::string_view agent, std::string_view action)>;

  explicit label_limiter(std::size_t max_unknown_pairs = 50);

  void set_known(known_predicate known);

  [[nodiscard]] std::pair<std::string, std::string> label(
      std::string_view agent, std::string_view action);

 private:
  known_predicate known_;
  const std::size_t max_unknown_pairs_;
  std::mutex mutex_;
  std::set<std::pair<std::string, std::string>, std::less<>> unknown_seen_;
};

}  // namespace gateway::metrics
