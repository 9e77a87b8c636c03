// Counters of the fleet simulator, shared by every thread. Counts per
// request are added once per NATS message; counts per node (filtered,
// silenced, replies) are added once per node and request.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "gateway/choria/security.hpp"

namespace gateway::sim {

class fleet_stats {
 public:
  using counter = std::atomic<std::uint64_t>;

  counter messages{0};              // NATS messages received
  counter accepted{0};              // requests that passed every security check
  counter unsupported_compound{0};  // accepted requests with a compound filter
  counter unknown_collective{0};    // envelope collective not served here
  counter unknown_node{0};    // direct request for an identity not simulated
  counter unknown_agent{0};   // request for an agent the nodes lack
  counter filtered{0};        // nodes that did not match a filter
  counter silenced{0};        // matching nodes listed in --silent
  counter no_reply{0};        // nodes whose agent chose not to reply
  counter replies{0};         // replies published
  counter publish_errors{0};  // natsConnection_Publish failures

  // Counts a request dropped for reason; rejection::none is ignored.
  void count_rejection(choria::rejection reason);
  [[nodiscard]] std::uint64_t rejections(choria::rejection reason) const;

  // Every counter, with rejections as an object keyed by reason name:
  // {"messages":..,"accepted":..,"rejected":{"untrusted_cert":0,..},..}.
  [[nodiscard]] nlohmann::json to_json() const;

  // Writes to_json() to path atomically (a temporary file renamed over it).
  // Returns false and sets *error on failure.
  [[nodiscard]] bool write_file(const std::string& path,
                                std::string* error) const;

 private:
  static constexpr std::size_t reason_count = 16;
  std::array<counter, reason_count> rejected_{};
};

}  // namespace gateway::sim
