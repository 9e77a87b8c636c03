#include "gateway/auth/in_flight_limit.hpp"

namespace gateway::auth {

in_flight_limit::in_flight_limit(std::size_t max_per_user)
    : max_per_user_(max_per_user) {}

bool in_flight_limit::try_acquire(std::string_view username) {
  std::lock_guard lock(mutex_);
  auto [entry, inserted] = counts_.try_emplace(std::string(username), 0);
  if (max_per_user_ != 0 && entry->second >= max_per_user_) return false;
  ++entry->second;
  return true;
}

void in_flight_limit::release(std::string_view username) {
  std::lock_guard lock(mutex_);
  auto found = counts_.find(username);
  if (found == counts_.end()) return;
  if (--found->second == 0) counts_.erase(found);
}

std::size_t in_flight_limit::in_flight(std::string_view username) const {
  std::lock_guard lock(mutex_);
  auto found = counts_.find(username);
  return found == counts_.end() ? 0 : found->second;
}

}  // namespace gateway::auth
