// Settings of a simulated fleet, as given on the choria-fleet-sim command
// line.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "gateway/sim/agents.hpp"

namespace gateway::sim {

struct fleet_options {
  std::vector<std::string> servers;  // NATS URLs
  std::size_t count = 10;
  std::string name_format = "node-{index}.example.net";
  std::vector<std::string> collectives{"mcollective"};
  std::string ca_path;  // CA bundle that request certificates chain to
  // Privileged-user and allow-list patterns; empty means go-choria's
  // defaults.
  std::vector<std::string> privileged;
  std::vector<std::string> allowed;
  std::string facts_path;           // empty: generated facts
  std::vector<std::string> silent;  // names or /regex/ of mute nodes
  agent_settings agents;
  // NATS TLS: client certificate and key, and the CA that verifies the
  // server. TLS is on when tls_ca or tls_cert is set.
  std::string tls_cert;
  std::string tls_key;
  std::string tls_ca;
  std::string stats_path;  // empty: no stats file
  std::string ready_path;  // empty: no ready file
  std::size_t workers = 2;
};

}  // namespace gateway::sim
