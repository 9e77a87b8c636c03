// A per-user cap on RPC requests in flight: accepted and not yet complete,
// expired or failed. One user's flood of long requests then cannot take
// every collector and broker subscription from the others.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace gateway::auth {

// Thread safe: every member function takes an internal mutex.
class in_flight_limit {
 public:
  // max_per_user 0 means no cap; counts are still kept.
  explicit in_flight_limit(std::size_t max_per_user);
  in_flight_limit(const in_flight_limit&) = delete;
  in_flight_limit& operator=(const in_flight_limit&) = delete;

  // Takes a slot for `username` and returns true, or returns false without
  // one when the user already has the maximum in flight.
  [[nodiscard]] bool try_acquire(std::string_view username);

  // Gives back a slot taken by try_acquire. Releasing a user without slots
  // does nothing.
  void release(std::string_view username);

  [[nodiscard]] std::size_t in_flight(std::string_view username) const;
  [[nodiscard]] std::size_t max_per_user() const { return max_per_user_; }

 private:
  const std::size_t max_per_user_;
  mutable std::mutex mutex_;
  std::map<std::string, std::size_t, std::less<>> counts_;
};

}  // namespace gateway::auth
