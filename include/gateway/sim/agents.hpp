// The agents every simulated node runs: rpcutil, discovery and a test agent
// with a configurable delay and failure rate.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gateway/sim/node_profile.hpp"

namespace gateway::sim {

inline constexpr std::string_view rpcutil_agent = "rpcutil";
inline constexpr std::string_view discovery_agent = "discovery";
inline constexpr std::string_view default_test_agent = "sim_test";

struct agent_settings {
  std::string test_agent{default_test_agent};
  std::chrono::milliseconds test_delay{0};
  double test_failure_rate = 0;          // 0..1
  std::vector<std::string> collectives;  // the first is the main collective
  std::string version;                   // reported by rpcutil#inventory
};

// The agent names a node reports, sorted: discovery, rpcutil and the test
// agent.
[[nodiscard]] std::vector<std::string> node_agents(
    const agent_settings& settings);

// How long a node waits before it replies for agent: the test delay for the
// test agent, zero for the others.
[[nodiscard]] std::chrono::milliseconds reply_delay(
    const agent_settings& settings, std::string_view agent);

// Runs a request on node and returns the RPC reply text, or nullopt when the
// node sends no reply (a discovery body other than "ping", or an agent the
// node lacks). rpc_body is the request message after base64 decoding.
//   rpcutil ping       {"pong": now}
//   rpcutil inventory  {agents, facts, classes, collectives, version,
//                       data_plugins: [], main_collective}
//   rpcutil get_fact   {fact, value}; value is null for an absent fact
//   rpcutil other      statuscode 2 "Unknown action"
//   discovery "ping"   the bare text "pong"
//   test agent         {"message": "done"}, or statuscode 1 "Aborted" with
//                      probability test_failure_rate (random in 0..1)
// A body that is not a JSON object gets statuscode 4 "Invalid data".
[[nodiscard]] std::optional<std::string> run_agent(
    const node_profile& node, const agent_settings& settings,
    std::string_view agent, std::string_view rpc_body, std::int64_t now,
    double random);

}  // namespace gateway::sim
