// A NATS connection from the nats.c client with the options a Choria
// broker needs: several servers with failover, TLS with a client
// certificate, endless reconnects with exponential backoff, and start-up
// while no server is up. Failed connection attempts are logged with the
// reason, naming the certificate at fault when a TLS handshake fails (see
// broker_retry.hpp).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gateway {

struct nats_options {
  std::vector<std::string> servers;  // nats://, tls:// or host:port
  bool tls = false;
  std::string certificate_file;  // client certificate for mutual TLS
  std::string key_file;
  std::string ca_file;  // verifies the server certificate
  std::string name = "choria-rest-gateway";
  // The wait after the first round of failed attempts over every server;
  // it doubles after each further round up to max_reconnect_wait_ms.
  int reconnect_wait_ms = 500;
  int max_reconnect_wait_ms = 5000;
};

// Owns one natsConnection and its subscriptions. Callbacks run on nats.c's
// threads; they must be thread safe and must not block.
class nats_client {
 public:
  using message_handler =
      std::function<void(std::string_view subject, std::string_view data)>;
  using state_handler = std::function<void(bool connected)>;

  // Makes one connection attempt over every server. When it fails, logs
  // why and keeps trying on a background thread with the backoff of
  // reconnect_delay_ms until it succeeds or the client is destroyed.
  // on_state(true) runs once connected, and on_state(false) when a
  // connection drops. Returns nullptr with *error for invalid options such
  // as unreadable certificate files.
  static std::unique_ptr<nats_client> connect(const nats_options& options,
                                              state_handler on_state,
                                              std::string* error);

  // Subscribes subject (wildcards allowed). Before the first connection
  // the subject is recorded and subscribed once connected, before
  // on_state(true) runs. nats.c resubscribes after a reconnect by itself.
  [[nodiscard]] bool subscribe(const std::string& subject,
                               message_handler on_message, std::string* error);

  // Subscribes subject as a member of queue_group: the server delivers
  // each message to one member of the group only. nats.c runs each
  // subscription's handler on its own thread, so several members of one
  // group in this client handle messages in parallel, in no fixed order.
  [[nodiscard]] bool subscribe(const std::string& subject,
                               const std::string& queue_group,
                               message_handler on_message, std::string* error);

  // Queues data for subject. Returns false before the first connection,
  // and when the connection is closed or reconnecting with its 64 MiB
  // buffer full.
  [[nodiscard]] bool publish(const std::string& subject, std::string_view data,
                             std::string* error);

  // Sends buffered data and waits for the server's acknowledgement. Tests
  // and tools use it to know that a subscription is active.
  [[nodiscard]] bool flush(int timeout_ms, std::string* error);

  bool connected() const;

  ~nats_client();
  nats_client(const nats_client&) = delete;
  nats_client& operator=(const nats_client&) = delete;

  struct impl;  // opaque; public only for the nats.c callbacks

 private:
  explicit nats_client(std::unique_ptr<impl> state);
  std::unique_ptr<impl> impl_;
};

}  // namespace gateway
