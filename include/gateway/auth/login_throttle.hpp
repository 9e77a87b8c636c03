// Throttling of failed logins per username and per client address, so that
// passwords cannot be guessed at the speed of the password checkers.
//
// Every attempt counts as a failure when it is admitted, and a success
// takes it back. So attempts still waiting for their bcrypt check count
// too, and a burst of parallel guesses cannot pass the limit. Each key (a
// username or an address) has a window that opens at its first failure and
// lasts `window_seconds`. Once the key has its maximum of failures in the
// window, further attempts are rejected without a password check until the
// window closes.
//
// Usernames are throttled whether or not they exist, so the throttle does
// not reveal which ones do. An attacker can lock a user out for a window
// by failing logins under that name. The address limit does not prevent
// that, but it stops one client from trying many usernames.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace gateway::auth {

struct throttle_settings {
  std::size_t max_user_failures = 5;      // per username within the window
  std::size_t max_address_failures = 20;  // per client address
  std::int64_t window_seconds = 300;
  // The maximum of keys remembered per kind, which bounds memory under a
  // flood of random usernames. Beyond it, keys whose window closed are
  // dropped first, then the oldest.
  std::size_t max_tracked_keys = 100000;
};

// Not thread safe: the token authority actor owns one.
class login_throttle {
 public:
  explicit login_throttle(throttle_settings settings);

  // Returns 0 and counts the attempt when it may go ahead, or the seconds
  // (at least 1) until the username or address may try again.
  [[nodiscard]] std::int64_t admit(std::string_view username,
                                   std::string_view address,
                                   std::int64_t now);

  // Takes back the attempt admitted for this username and address after
  // the password matched, and clears the username's failures.
  void succeeded(std::string_view username, std::string_view address);

  [[nodiscard]] std::size_t tracked_keys() const;

 private:
  struct counter {
    std::size_t failures = 0;
    std::int64_t window_start = 0;
  };
  using counter_map = std::map<std::string, counter, std::less<>>;

  std::int64_t wait_for(const counter_map& counters, std::string_view key,
                        std::size_t limit, std::int64_t now) const;
  void count(counter_map& counters, std::string_view key, std::int64_t now);
  void bound_size(counter_map& counters, std::int64_t now);

  throttle_settings settings_;
  counter_map users_;
  counter_map addresses_;
};

}  // namespace gateway::auth
