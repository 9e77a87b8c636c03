#include "gateway/metrics/broker_metrics.hpp"

namespace gateway::metrics {
namespace {

prometheus::Counter* counter(prometheus::Registry& registry, const char* name,
                             const char* help) {
  return &prometheus::BuildCounter()
              .Name(name)
              .Help(help)
              .Register(registry)
              .Add({});
}

}  // namespace

broker_metrics::broker_metrics(prometheus::Registry& registry)
    : connected_(&prometheus::BuildGauge()
                      .Name("choria_gateway_broker_connected")
                      .Help("1 while the NATS connection is up, else 0")
                      .Register(registry)
                      .Add({})),
      reconnects_(counter(registry, "choria_gateway_broker_reconnects_total",
                          "Connections to a broker after the first one")),
      disconnects_(counter(registry, "choria_gateway_broker_disconnects_total",
                           "Losses of the broker connection")),
      published_(counter(registry, "choria_gateway_broker_published_total",
                         "Messages published to the broker")),
      publish_errors_(counter(registry,
                              "choria_gateway_broker_publish_errors_total",
                              "Publishes the NATS client rejected")) {}

void broker_metrics::set_connected(bool connected) {
  int next = connected ? 1 : 0;
  int previous = state_.exchange(next);
  connected_->Set(next);
  if (previous == next) return;
  if (connected && previous == 0) reconnects_->Increment();
  if (!connected && previous == 1) disconnects_->Increment();
}

void broker_metrics::count_publish(bool succeeded) {
  (succeeded ? published_ : publish_errors_)->Increment();
}

}  // namespace gateway::metrics
