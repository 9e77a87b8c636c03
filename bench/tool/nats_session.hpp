// A NATS connection for bench_tool, with mutual TLS when certificates are
// given, and the ready file that tells bench/run a tool has subscribed.
#pragma once

#include <memory>
#include <string>

#include <nats/nats.h>

#include "bench/tool/tool.hpp"

namespace gateway::bench {

struct connection_closer {
  void operator()(natsConnection* connection) const {
    natsConnection_Destroy(connection);
  }
};
using nats_connection = std::unique_ptr<natsConnection, connection_closer>;

// Connects to settings.url; nullptr and *error on failure.
nats_connection connect(const nats_settings& settings, std::string* error);

// Flushes pending subscriptions to the server, then writes path (when not
// empty). Returns false and sets *error on failure.
bool announce_ready(natsConnection* connection, const std::string& path,
                    std::string* error);

}  // namespace gateway::bench
