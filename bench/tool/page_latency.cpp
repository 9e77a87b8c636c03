// Reply page latency through event_store directly, without HTTP.
#include <chrono>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "bench/tool/latency.hpp"
#include "bench/tool/tool.hpp"
#include "gateway/storage/event_store.hpp"

namespace gateway::bench {
namespace {

// Reads one page and returns its duration in nanoseconds, or a negative
// value if the page is not full.
double time_page(const storage::event_store& store,
                 const page_latency_options& options,
                 const std::string& cursor) {
  std::string error;
  auto started = std::chrono::steady_clock::now();
  auto page =
      store.replies(options.request_id, cursor, options.page_size, &error);
  auto elapsed = std::chrono::steady_clock::now() - started;
  if (!page || page->replies.size() != options.page_size) return -1;
  return std::chrono::duration<double, std::nano>(elapsed).count();
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
    std::vector<double> samples;
    for (std::size_t round = 0; round < options.iterations + 100; ++round) {
      double ns = time_page(*store, options, options.cursors[i]);
      if (ns < 0) {
        std::fprintf(stderr, "page-latency: page %s is not a full page\n",
                     options.names[i].c_str());
        return 1;
      }
      if (round >= 100) samples.push_back(ns);  // The first 100 warm up.
    }
    positions[options.names[i]] = summarize(samples);
  }
  nlohmann::json out = {{"page_size", options.page_size},
                        {"positions", positions}};
  std::printf("%s\n", out.dump().c_str());
  return 0;
}

}  // namespace gateway::bench
