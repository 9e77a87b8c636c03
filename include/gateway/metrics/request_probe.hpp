// The metrics of one RPC request, kept by the actor that runs it.
#pragma once

#include <chrono>
#include <cstddef>

#include "gateway/metrics/registry.hpp"

namespace gateway::metrics {

// Times a request's phases from its creation and counts its outcome. A
// default-constructed probe records nothing. Not thread safe: one actor
// owns it. Counts in flight from accepted() until ended() or destruction.
class request_probe {
 public:
  request_probe() = default;
  request_probe(registry_ptr metrics, std::string_view agent,
                std::string_view action);
  ~request_probe();
  request_probe(request_probe&& other) noexcept;
  request_probe& operator=(request_probe&& other) noexcept;
  request_probe(const request_probe&) = delete;
  request_probe& operator=(const request_probe&) = delete;

  // The request is in the log and a 202 is on its way: counts it as
  // submitted and in flight.
  void accepted();
  void discovery_started();
  void discovery_ended(std::size_t nodes);
  // The request was published; observes the time from creation once.
  void published();
  // A reply was stored; the first one observes the time to first reply.
  void reply(int statuscode, bool expected);
  void dropped(drop_reason reason);
  // Counts the outcome once and leaves the in-flight count. A completed
  // request observes the time to completion.
  void ended(request_end end);

 private:
  [[nodiscard]] double seconds_since(
      std::chrono::steady_clock::time_point start) const;
  void leave_in_flight();

  registry_ptr metrics_;
  action_counters counters_;
  std::chrono::steady_clock::time_point created_ =
      std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point discovery_started_;
  bool in_flight_ = false;
  bool published_ = false;
  bool replied_ = false;
  bool ended_ = false;
};

}  // namespace gateway::metrics
