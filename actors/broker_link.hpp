// The broker link: the single owner of the gateway's NATS connection. It
// subscribes to the gateway's reply subjects of each collective
// (<collective>.reply.<md5 of certname>.*) and routes each reply to the
// collector registered for its request id. Replies are decoded on the
// nats.c delivery threads and sent from there to the collector (see
// reply_router.hpp); the actor only keeps the routes and publishes.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "actors/messages.hpp"
#include "gateway/metrics/registry.hpp"
#include "gateway/server/nats_client.hpp"

namespace gateway {

// The number of processor cores, at least 1 and at most 4.
[[nodiscard]] std::size_t default_reply_threads();

struct broker_link_config {
  nats_options connection;
  std::vector<std::string> collectives;
  std::string certname;  // the gateway certificate's CN
  // Subscriptions per collective in one queue group; nats.c delivers and
  // decodes the replies of each on its own thread.
  std::size_t reply_threads = default_reply_threads();
  metrics::registry_ptr metrics = metrics::registry::unserved();
};

// Counters of the broker link's publishes.
struct broker_link_counters {
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
