// Reply page latency through event_store directly, without HTTP. The HTTP
// route reads the request's status record before each page, to check who
// owns the request, so that read is timed as well.
#include <time.h>

#include <chrono>
#include <cstdio>
#include <functional>

#include <nlohmann/json.hpp>

#include "bench/tool/latency.hpp"
#include "bench/tool/tool.hpp"
#include "gateway/storage/event_store.hpp"

namespace gateway::bench {
namespace {

double thread_cpu_ns() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e9 +
         static_cast<double>(now.tv_nsec);
}

// Wall-clock and thread CPU samples in nanoseconds. CPU time leaves out
// the time the thread waited for a core, which dominates the wall-clock
// tail on a loaded machine.
struct samples {
  std::vector<double> wall;
  std::vector<double> cpu;

  nlohmann::json summary() {
    nlohmann::json out = summarize(wall);
    out["cpu"] = summarize(cpu);
    return out;
  }
};

// Runs read iterations times after 100 warm-up calls. Returns nullopt if
// read reports a failure.
std::optional<samples> time_calls(std::size_t iterations,
                                  const std::function<bool()>& read) {
  samples out;
  for (std::size_t round = 0; round < iterations + 100; ++round) {
    double cpu_started = thread_cpu_ns();
    auto started = std::chrono::steady_clock::now();
    if (!read()) return std::nullopt;
    auto elapsed = std::chrono::steady_clock::now() - started;
    double cpu = thread_cpu_ns() - cpu_started;
    if (round < 100) continue;
    out.wall.push_back(
        std::chrono::duration<double, std::nano>(elapsed).count());
    out.cpu.push_back(cpu);
  }
  return out;
}

}  // namespace

int run_page_latency(const page_latency_options& options) {
  if (options.names.size() != options.cursors.size()) {
    std::fprintf(stderr, "page-latency: give one --name per --cursor\n");
    return 1;
  }
  storage::event_store_options store_options;
  store_options.create_if_missing = false;
  std::string error;
  auto store = storage::event_store::open(options.dir, store_options, &error);
  if (!store) {
    std::fprintf(stderr, "page-latency: %s\n", error.c_str());
    return 1;
  }

  nlohmann::json positions = nlohmann::json::object();
  for (std::size_t i = 0; i < options.cursors.size(); ++i) {
    auto timed = time_calls(options.iterations, [&] {
      auto page = store->replies(options.request_id, options.cursors[i],
                                 options.page_size, &error);
      return page && page->replies.size() == options.page_size;
    });
    if (!timed) {
      std::fprintf(stderr, "page-latency: page %s is not a full page\n",
                   options.names[i].c_str());
      return 1;
    }
    positions[options.names[i]] = timed->summary();
  }
  auto status = time_calls(options.iterations, [&] {
    return store->request_status(options.request_id).has_value();
  });
  if (!status) {
    std::fprintf(stderr, "page-latency: the request has no status\n");
    return 1;
  }

  nlohmann::json out = {{"page_size", options.page_size},
                        {"positions", positions},
                        {"status_read", status->summary()}};
  std::printf("%s\n", out.dump().c_str());
  return 0;
}

}  // namespace gateway::bench
