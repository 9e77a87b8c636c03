// A NATS connection from the nats.c client with the options a Choria
// broker needs: several servers with failover, TLS with a client
// certificate, endless reconnects, and start-up while no server is up.
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
  std::string ca_file;           // verifies the server certificate
  std::string name = "choria-rest-gateway";
  int reconnect_wait_ms = 500;
};

// Owns one natsConnection and its subscriptions. Callbacks run on nats.c's
// threads; they must be thread safe and must not block.
class nats_client {
 public:
  using message_handler =
      std::function<void(std::string_view subject, std::string_view data)>;
  using state_handler = std::function<void(bool connected)>;

  // Connects, or keeps trying in the background while no server is reachable.
  // Returns nullptr with *error for invalid options such as unreadable
  // certificate files.
  static std::unique_ptr<nats_client> connect(const nats_options& options,
                                              state_handler on_state,
                                              std::string* error);

  // Subscribes subject (wildcards allowed); nats.c resubscribes after a
  // reconnect by itself.
  [[nodiscard]] bool subscribe(const std::string& subject,
                               message_handler on_message,
                               std::string* error);

  // Queues data for subject; false when the connection is closed or
  // reconnecting with a full buffer.
  [[nodiscard]] bool publish(const std::string& subject,
                             std::string_view data, std::string* error);

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
