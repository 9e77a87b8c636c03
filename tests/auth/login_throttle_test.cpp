#include "gateway/auth/login_throttle.hpp"

#include <gtest/gtest.h>

#include <string>

namespace gateway::auth {
namespace {

constexpr std::int64_t start = 1'800'000'000;

throttle_settings small_limits() {
  throttle_settings settings;
  settings.max_user_failures = 3;
  settings.max_address_failures = 5;
  settings.window_seconds = 60;
  return settings;
}

TEST(LoginThrottle, UserBlockedAfterMaxFailures) {
  login_throttle throttle(small_limits());
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(throttle.admit("alice", "10.0.0.1", start + i), 0) << i;
  EXPECT_EQ(throttle.admit("alice", "10.0.0.2", start + 10), 50);
  EXPECT_EQ(throttle.admit("alice", "10.0.0.3", start + 59), 1);
  EXPECT_EQ(throttle.admit("bob", "10.0.0.4", start + 10), 0);
}

TEST(LoginThrottle, WindowCloseLiftsBlock) {
  login_throttle throttle(small_limits());
  for (int i = 0; i < 3; ++i)
    ASSERT_EQ(throttle.admit("alice", "10.0.0.1", start), 0);
  EXPECT_GT(throttle.admit("alice", "10.0.0.1", start + 59), 0);
  EXPECT_EQ(throttle.admit("alice", "10.0.0.1", start + 60), 0);
}

TEST(LoginThrottle, AddressBlockedAcrossUsernames) {
  login_throttle throttle(small_limits());
  for (int i = 0; i < 5; ++i)
    ASSERT_EQ(throttle.admit("user" + std::to_string(i), "10.0.0.9", start),
              0);
  EXPECT_EQ(throttle.admit("fresh", "10.0.0.9", start + 1), 59);
  EXPECT_EQ(throttle.admit("fresh", "10.0.0.8", start + 1), 0);
}

TEST(LoginThrottle, SuccessClearsUserAndTakesBackAttempt) {
  login_throttle throttle(small_limits());
  ASSERT_EQ(throttle.admit("alice", "10.0.0.1", start), 0);
  ASSERT_EQ(throttle.admit("alice", "10.0.0.1", start), 0);
  ASSERT_EQ(throttle.admit("alice", "10.0.0.1", start), 0);
  throttle.succeeded("alice", "10.0.0.1");
  EXPECT_EQ(throttle.admit("alice", "10.0.0.1", start + 1), 0);
}

TEST(LoginThrottle, SuccessfulLoginsNeverBlockAddress) {
  login_throttle throttle(small_limits());
  for (int i = 0; i < 50; ++i) {
    ASSERT_EQ(throttle.admit("alice", "10.0.0.1", start), 0) << i;
    throttle.succeeded("alice", "10.0.0.1");
  }
}

TEST(LoginThrottle, PendingAttemptsCount) {
  // Attempts admitted but not yet checked count as failures, so parallel
  // guesses stop at the limit.
  login_throttle throttle(small_limits());
  int admitted = 0;
  for (int i = 0; i < 10; ++i)
    if (throttle.admit("alice", "10.0.0." + std::to_string(i), start) == 0)
      ++admitted;
  EXPECT_EQ(admitted, 3);
}

TEST(LoginThrottle, TrackedKeysBounded) {
  auto settings = small_limits();
  settings.max_tracked_keys = 100;
  login_throttle throttle(settings);
  for (int i = 0; i < 1000; ++i)
    (void)throttle.admit("user" + std::to_string(i),
                         "10.0." + std::to_string(i / 250) + "." +
                             std::to_string(i % 250),
                         start + i);
  EXPECT_LE(throttle.tracked_keys(), 200u);
}

}  // namespace
}  // namespace gateway::auth
