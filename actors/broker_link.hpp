// The broker link: the single owner of the gateway's NATS connection. It
// subscribes once per collective to the gateway's reply subjects
// (<collective>.reply.<md5 of certname>.*) and routes each reply to the
// collector registered for its request id.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "actors/messages.hpp"
#include "gateway/metrics/registry.hpp"
#include "gateway/server/nats_client.hpp"

namespace gateway {

struct broker_link_config {
  nats_options connection;
  std::vector<std::string> collectives;
  std::string certname;  // the gateway certificate's CN
  metrics::registry_ptr metrics = metrics::registry::unserved();
};

// Counters of replies the broker link dropped, for logs and metrics.
struct broker_link_counters {
  std::uint64_t unknown_request = 0;
  std::uint64_t published = 0;
  std::uint64_t publish_errors = 0;
};

// Connects, subscribes and returns the actor, or an invalid handle with
// *error set when the connection options are unusable. The connection
// lives as long as the actor.
broker_link_actor spawn_broker_link(caf::actor_system& system,
                                    const broker_link_config& config,
                                    std::string* error);

}  // namespace gateway
