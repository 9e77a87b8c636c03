// Opens the fleet simulator's NATS connection: every URL given, endless
// reconnects, optional TLS with a client certificate, and disconnect,
// reconnect and error events logged to the "sim" logger.
#pragma once

#include <atomic>
#include <string>
#include <vector>

#include <nats/nats.h>

#include "gateway/sim/fleet_options.hpp"

namespace gateway::sim {

// Connects to options.servers. Returns nullptr and sets *error, naming the
// servers and the NATS status, when the first connection fails. The caller
// owns the connection and closes it with natsConnection_Destroy. While
// *stopping is true, disconnects are not logged; it must outlive the
// connection.
[[nodiscard]] natsConnection* connect_nats(const fleet_options& options,
                                           const std::atomic<bool>* stopping,
                                           std::string* error);

// Splits each URL value at commas, dropping empty items.
[[nodiscard]] std::vector<std::string> split_server_urls(
    const std::vector<std::string>& values);

}  // namespace gateway::sim
