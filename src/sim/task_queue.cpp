#include "gateway/sim/task_queue.hpp"

#include <algorithm>

namespace gateway::sim {

task_queue::task_queue(std::size_t workers) {
  workers = std::max<std::size_t>(workers, 1);
  workers_.reserve(workers);
  for (std::size_t i = 0; i < workers; ++i) {
    workers_.emplace_back([this] { run_worker(); });
  }
}

task_queue::~task_queue() { stop(); }

void task_queue::post(task work) { post_at(clock::now(), std::move(work)); }

void task_queue::post_at(clock::time_point due, task work) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return;
    tasks_.emplace(std::make_pair(due, sequence_++), std::move(work));
  }
  wake_.notify_one();
}

void task_queue::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
    tasks_.clear();
  }
  wake_.notify_all();
  for (auto& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
}

std::size_t task_queue::pending() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return tasks_.size();
}

void task_queue::run_worker() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    if (tasks_.empty()) {
      wake_.wait(lock);
      continue;
    }
    auto first = tasks_.begin();
    auto due = first->first.first;
    if (clock::now() < due) {
      wake_.wait_until(lock, due);
      continue;
    }

    task work = std::move(first->second);
    tasks_.erase(first);
    lock.unlock();
    work();
    lock.lock();
  }
}

}  // namespace gateway::sim
