// A pool of worker threads running tasks at or after a due time. The fleet
// simulator uses it to keep decoding, signature checks and publishing off
// the NATS delivery thread, and to delay replies without sleeping.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace gateway::sim {

// NOTE: the queue is unbounded. The fleet copies every NATS message into it
// at once, so a request flood faster than the workers grows memory instead
// of tripping the subscriptions' pending limits.
class task_queue {
 public:
  using clock = std::chrono::steady_clock;
  using task = std::function<void()>;

  // Starts workers threads (at least one).
  explicit task_queue(std::size_t workers);
  // Calls stop().
  ~task_queue();

  task_queue(const task_queue&) = delete;
  task_queue& operator=(const task_queue&) = delete;

  // Queues work to run as soon as a worker is free. Tasks due at the same
  // time run in the order they were posted when there is one worker. Ignored
  // after stop(). Thread safe.
  void post(task work);
  // Queues work to run once due has passed.
  void post_at(clock::time_point due, task work);

  // Waits for running tasks to finish, drops the queued ones, and joins the
  // workers. Idempotent; must not be called from a worker.
  void stop();

  // Tasks queued and not yet started.
  [[nodiscard]] std::size_t pending() const;

 private:
  void run_worker();

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  // Ordered by due time, then by posting order.
  std::map<std::pair<clock::time_point, std::uint64_t>, task> tasks_;
  std::uint64_t sequence_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace gateway::sim
