// A plain nats.c client for the integration tests: it connects to a stack's
// broker over mutual TLS, publishes, and records every message on the
// subjects it subscribes to.
#pragma once

#include <nats/nats.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "gateway_stack.hpp"

namespace gateway::integration {

// The broker port that init wrote into nats-server.conf as `port: N`, or 0.
[[nodiscard]] int broker_port_of(const gateway_stack& stack);

struct captured_message {
  std::string subject;
  std::string data;
};

// One NATS connection and the messages its subscriptions received.
// Messages are recorded on nats.c's delivery threads. The readers below
// take a copy under a mutex, so the test thread may call them at any time.
class nats_capture {
 public:
  // Connects to url with the client certificate and key, verifying the
  // server against ca_file. Returns null and sets *error on failure.
  [[nodiscard]] static std::unique_ptr<nats_capture> connect(
      const std::string& url, const std::string& ca_file,
      const std::string& certificate_file, const std::string& key_file,
      std::string* error);
  // Connects to the stack's broker with the simulator's certificate.
  [[nodiscard]] static std::unique_ptr<nats_capture> connect_to(
      const gateway_stack& stack, std::string* error);

  ~nats_capture();
  nats_capture(const nats_capture&) = delete;
  nats_capture& operator=(const nats_capture&) = delete;

  // Subscribes subject (wildcards allowed) and waits until the server
  // confirmed it, so that later messages are recorded.
  [[nodiscard]] bool subscribe(const std::string& subject, std::string* error);
  [[nodiscard]] bool publish(const std::string& subject,
                             const std::string& data, std::string* error);

  // A copy of every message received so far, in arrival order.
  [[nodiscard]] std::vector<captured_message> messages() const;
  // Waits until at least count messages arrived or timeout passed; returns
  // whether they arrived.
  [[nodiscard]] bool await_count(std::size_t count,
                                 std::chrono::milliseconds timeout) const;

 private:
  nats_capture() = default;
  static void on_message(natsConnection*, natsSubscription*, natsMsg* message,
                         void* closure);

  natsConnection* connection_ = nullptr;
  std::vector<natsSubscription*> subscriptions_;
  mutable std::mutex mutex_;  // guards messages_
  std::vector<captured_message> messages_;
};

}  // namespace gateway::integration
