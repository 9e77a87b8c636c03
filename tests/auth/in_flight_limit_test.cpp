#include "gateway/auth/in_flight_limit.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace gateway::auth {
namespace {

TEST(InFlightLimit, CapsEachUserSeparately) {
  in_flight_limit limit(2);
  EXPECT_TRUE(limit.try_acquire("alice"));
  EXPECT_TRUE(limit.try_acquire("alice"));
  EXPECT_FALSE(limit.try_acquire("alice"));
  EXPECT_TRUE(limit.try_acquire("bob"));
  EXPECT_EQ(limit.in_flight("alice"), 2u);
  limit.release("alice");
  EXPECT_TRUE(limit.try_acquire("alice"));
}

TEST(InFlightLimit, ZeroMeansNoCap) {
  in_flight_limit limit(0);
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(limit.try_acquire("alice"));
  EXPECT_EQ(limit.in_flight("alice"), 1000u);
}

TEST(InFlightLimit, ReleaseWithoutSlotIgnored) {
  in_flight_limit limit(1);
  limit.release("alice");
  EXPECT_EQ(limit.in_flight("alice"), 0u);
  EXPECT_TRUE(limit.try_acquire("alice"));
}

TEST(InFlightLimit, ConcurrentAcquireNeverExceedsCap) {
  in_flight_limit limit(5);
  std::atomic<int> granted{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&] {
      for (int j = 0; j < 100; ++j)
        if (limit.try_acquire("alice")) ++granted;
    });
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(granted.load(), 5);
}

}  // namespace
}  // namespace gateway::auth
