// Retry policy of the gateway's broker connection: the backoff between
// rounds of attempts, and failure messages that name what to fix. Pure
// functions, thread safe.
#pragma once

#include <string>

#include "gateway/server/nats_client.hpp"

namespace gateway {

// The wait before reconnect round `round` (1-based): reconnect_wait_ms
// doubled round - 1 times, at most max_reconnect_wait_ms.
[[nodiscard]] int reconnect_delay_ms(const nats_options& options, int round);

// Turns a nats.c 3.4 or OpenSSL failure text into a message that names
// what to fix. That is the broker URL when the broker's certificate names
// another host, and the CA file when that certificate did not verify. It is
// the client certificate when the broker closed the connection after the
// TLS handshake, which is how nats-server rejects a client certificate.
// Other texts are returned unchanged.
[[nodiscard]] std::string explain_connect_failure(const nats_options& options,
                                                  const std::string& detail);

}  // namespace gateway
