// Metrics of the gateway's NATS connection.
#pragma once

#include <atomic>

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

namespace gateway::metrics {

// Safe to use from any thread.
class broker_metrics {
 public:
  explicit broker_metrics(prometheus::Registry& registry);

  // Records the connection state. A change to connected after the first
  // connection counts as a reconnect, a change to disconnected as a
  // disconnect; repeating the current state counts nothing.
  void set_connected(bool connected);

  void count_publish(bool succeeded);

 private:
  prometheus::Gauge* connected_;
  prometheus::Counter* reconnects_;
  prometheus::Counter* disconnects_;
  prometheus::Counter* published_;
  prometheus::Counter* publish_errors_;
  // -1 before the first connection, then 0 or 1.
  std::atomic<int> state_{-1};
};

}  // namespace gateway::metrics
