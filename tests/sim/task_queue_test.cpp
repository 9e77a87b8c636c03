#include "gateway/sim/task_queue.hpp"

#include <atomic>
#include <mutex>
#include <vector>

#include <gtest/gtest.h>

#include "test_support.hpp"

namespace gateway::sim {
namespace {

using namespace std::chrono_literals;

TEST(TaskQueue, RunsPostedTasks) {
  task_queue queue(2);
  std::atomic<int> done{0};
  for (int i = 0; i < 100; ++i) queue.post([&] { ++done; });
  EXPECT_TRUE(testing::wait_until([&] { return done == 100; }, 5s));
}

TEST(TaskQueue, RunsDelayedTasksByDueTime) {
  task_queue queue(1);
  std::mutex mutex;
  std::vector<int> order;
  auto record = [&](int value) {
    return [&, value] {
      std::lock_guard<std::mutex> lock(mutex);
      order.push_back(value);
    };
  };
  auto start = task_queue::clock::now();
  queue.post_at(start + 150ms, record(3));
  queue.post_at(start + 50ms, record(2));
  queue.post(record(1));

  ASSERT_TRUE(testing::wait_until(
      [&] {
        std::lock_guard<std::mutex> lock(mutex);
        return order.size() == 3;
      },
      5s));
  EXPECT_EQ(order, (std::vector<int>{1, 2, 3}));
  EXPECT_GE(task_queue::clock::now() - start, 150ms);
}

TEST(TaskQueue, StopDropsPendingTasks) {
  std::atomic<int> done{0};
  task_queue queue(1);
  queue.post_at(task_queue::clock::now() + 1h, [&] { ++done; });
  EXPECT_EQ(queue.pending(), 1u);
  queue.stop();
  EXPECT_EQ(queue.pending(), 0u);
  queue.post([&] { ++done; });
  EXPECT_EQ(queue.pending(), 0u);
  EXPECT_EQ(done, 0);
}

}  // namespace
}  // namespace gateway::sim
