// A simulated fleet on a NATS connection: the subscriptions, the worker pool
// that checks requests and publishes replies, and the stats and ready files.
//
// Subscriptions, per collective: <collective>.broadcast.agent.<agent> for
// each agent the nodes run, and one wildcard <collective>.node.> whose
// messages are routed by the identity after the prefix; only simulated
// identities reply. The NATS delivery threads only copy each message into
// the worker pool.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "gateway/sim/fleet_options.hpp"
#include "gateway/sim/fleet_stats.hpp"

namespace gateway::sim {

class fleet {
 public:
  // Builds the nodes and loads the CA, without touching the network.
  // Returns nullptr and sets *error on invalid options.
  [[nodiscard]] static std::unique_ptr<fleet> create(fleet_options options,
                                                     std::string* error);
  // Calls stop().
  ~fleet();

  // Connects, subscribes, waits until the server has confirmed every
  // subscription (a flush), and writes the ready file. Returns false and
  // sets *error when any step fails; call stop() afterwards either way.
  [[nodiscard]] bool start(std::string* error);

  // Unsubscribes, lets running tasks finish, drops delayed replies, and
  // closes the connection. Idempotent.
  void stop();

  // Writes the stats file when one is configured. Thread safe.
  [[nodiscard]] bool write_stats(std::string* error) const;

  [[nodiscard]] const fleet_stats& stats() const;
  // Every subject subscribed to, for logs and tests.
  [[nodiscard]] std::vector<std::string> subjects() const;

  fleet(const fleet&) = delete;
  fleet& operator=(const fleet&) = delete;

 private:
  struct impl;
  explicit fleet(std::unique_ptr<impl> state);
  std::unique_ptr<impl> impl_;
};

}  // namespace gateway::sim
