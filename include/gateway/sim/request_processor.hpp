// The checks a Choria node applies to each request, done once per NATS
// message for the whole fleet: decode, verify the security once, then let
// each node apply the filter. Thread safe: many workers may call accept at
// once.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/choria/protocol.hpp"
#include "gateway/choria/security.hpp"
#include "gateway/sim/fleet_stats.hpp"
#include "gateway/sim/node_set.hpp"

namespace gateway::sim {

// A verified request and the nodes that reply to it.
struct accepted_request {
  choria::received_request request;
  std::vector<std::size_t> targets;  // positions in node_set::nodes()
};

class request_processor {
 public:
  // Keeps references to nodes, verifier and stats, which must outlive it.
  // collectives and agents are the ones every node serves.
  request_processor(const node_set& nodes,
                    const choria::node_verifier& verifier,
                    std::vector<std::string> collectives,
                    std::vector<std::string> agents, fleet_stats& stats);

  // Handles one NATS message on subject. A subject <collective>.node.<id>
  // addresses one node, any other subject reaches every node. Returns
  // nullopt when no node replies: the request was rejected (counted by
  // reason in stats), is for a collective, identity or agent not simulated
  // here, has a compound filter, or matched no node that may reply.
  [[nodiscard]] std::optional<accepted_request> accept(std::string_view subject,
                                                       std::string_view payload,
                                                       std::int64_t now);

 private:
  [[nodiscard]] bool routable(const choria::envelope& env);
  [[nodiscard]] std::vector<std::size_t> select_targets(
      const choria::filter& target, std::optional<std::size_t> direct);
  void log_rejection(choria::rejection reason, std::string_view request_id,
                     std::string_view caller_id);

  const node_set& nodes_;
  const choria::node_verifier& verifier_;
  std::vector<std::string> collectives_;
  std::vector<std::string> agents_;
  fleet_stats& stats_;
  // Steady-clock milliseconds of the last debug log per rejection reason,
  // so that a flood of bad requests logs about once a second per reason.
  std::array<std::atomic<std::int64_t>, 16> last_logged_{};
};

}  // namespace gateway::sim
