#include "gateway/auth/login_throttle.hpp"

#include <algorithm>

namespace gateway::auth {

login_throttle::login_throttle(throttle_settings settings)
    : settings_(settings) {}

std::int64_t login_throttle::wait_for(const counter_map& counters,
                                      std::string_view key, std::size_t limit,
                                      std::int64_t now) const {
  const auto found = counters.find(key);
  if (found == counters.end() || found->second.failures < limit) return 0;
  return std::max<std::int64_t>(
      0, found->second.window_start + settings_.window_seconds - now);
}

std::int64_t login_throttle::admit(std::string_view username,
                                   std::string_view address,
                                   std::int64_t now) {
  const auto wait = std::max(
      wait_for(users_, username, settings_.max_user_failures, now),
      wait_for(addresses_, address, settings_.max_address_failures, now));
  if (wait > 0) return wait;
  count(users_, username, now);
  count(addresses_, address, now);
  return 0;
}

void login_throttle::count(counter_map& counters, std::string_view key,
                           std::int64_t now) {
  auto found = counters.find(key);
  if (found == counters.end()) {
    bound_size(counters, now);
    found = counters.emplace(std::string(key), counter{0, now}).first;
  }
  counter& entry = found->second;
  if (now >= entry.window_start + settings_.window_seconds) {
    entry.failures = 0;
    entry.window_start = now;
  }
  ++entry.failures;
}

void login_throttle::succeeded(std::string_view username,
                               std::string_view address) {
  if (auto found = users_.find(username); found != users_.end())
    users_.erase(found);
  auto found = addresses_.find(address);
  if (found == addresses_.end()) return;
  if (found->second.failures > 0) --found->second.failures;
}

void login_throttle::bound_size(counter_map& counters, std::int64_t now) {
  if (counters.size() < settings_.max_tracked_keys) return;
  std::erase_if(counters, [&](const auto& item) {
    return now >= item.second.window_start + settings_.window_seconds;
  });
  while (counters.size() >= settings_.max_tracked_keys) {
    auto oldest = std::min_element(
        counters.begin(), counters.end(), [](const auto& a, const auto& b) {
          return a.second.window_start < b.second.window_start;
        });
    counters.erase(oldest);
  }
}

std::size_t login_throttle::tracked_keys() const {
  return users_.size() + addresses_.size();
}

}  // namespace gateway::auth
