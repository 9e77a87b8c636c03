// Metrics of RPC requests and their replies: counts by agent and action,
// requests in flight, replies by status code, dropped replies by reason,
// and the latencies of a request's phases.
#pragma once

#include <array>
#include <string_view>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include "gateway/metrics/label_limiter.hpp"

namespace gateway::metrics {

// Why a reply was not stored. The values index rpc_metrics::drops.
enum class drop_reason {
  invalid,          // undecodable, or its request id differs from the subject
  bad_hash,         // the hash does not match the reply message
  duplicate,        // a second reply from the same sender
  unknown_request,  // no running request has its request id
};
inline constexpr std::size_t drop_reason_count = 4;
[[nodiscard]] std::string_view to_string(drop_reason reason);

// How a request ended.
enum class request_end { completed, expired, failed };

// The counters of one (agent, action) label pair.
struct action_counters {
  prometheus::Counter* submitted = nullptr;
  prometheus::Counter* completed = nullptr;
  prometheus::Counter* expired = nullptr;
  prometheus::Counter* failed = nullptr;
};

// Every member is safe to use from any thread. The pointers are owned by
// the registry passed to the constructor and live as long as it does.
struct rpc_metrics {
  explicit rpc_metrics(prometheus::Registry& registry);

  // The counters of agent.action, with labels bounded by labels.
  [[nodiscard]] action_counters for_action(std::string_view agent,
                                           std::string_view action);
  void count_denied(std::string_view agent, std::string_view action);
  // Counts a stored reply; a status code outside 0 to 5 counts as 5.
  void count_reply(int statuscode);
  void count_drop(drop_reason reason);

  label_limiter labels;
  prometheus::Family<prometheus::Counter>* submitted_family;
  prometheus::Family<prometheus::Counter>* denied_family;
  prometheus::Family<prometheus::Counter>* completed_family;
  prometheus::Family<prometheus::Counter>* expired_family;
  prometheus::Family<prometheus::Counter>* failed_family;

  prometheus::Gauge* in_flight;
  std::array<prometheus::Counter*, 6> replies;  // by Choria status code
  prometheus::Counter* unexpected_replies;
  std::array<prometheus::Counter*, drop_reason_count> drops;

  prometheus::Histogram* time_to_publish;
  prometheus::Histogram* time_to_first_reply;
  prometheus::Histogram* time_to_completion;
  prometheus::Histogram* discovery_duration;
  prometheus::Histogram* discovered_nodes;
  prometheus::Histogram* signing_duration;
};

}  // namespace gateway::metrics
