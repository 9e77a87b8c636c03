#include "actors/broker_link.hpp"

#include <algorithm>
#include <mutex>
#include <thread>

#include "actors/reply_router.hpp"
#include "gateway/common/encoding.hpp"
#include "gateway/common/logging.hpp"

namespace gateway {
namespace {

// Lets nats.c threads send connection state changes to the actor, which
// exists only after the connection does. Changes before it exists are
// dropped, and the current state is sent again once the actor exists.
struct actor_slot {
  std::mutex mutex;
  broker_link_actor target;

  void send(auto&&... args) {
    std::lock_guard<std::mutex> lock(mutex);
    if (target) caf::anon_send(target, std::forward<decltype(args)>(args)...);
  }
};

struct broker_link_state {
  std::shared_ptr<nats_client> client;
  std::shared_ptr<actor_slot> slot;
  std::shared_ptr<reply_router> routes;
  broker_link_counters counters;
  metrics::registry_ptr metrics;
  bool connected = false;
  std::uint64_t connections = 0;  // connections made so far
  static inline const char* name = "broker_link";
};

using broker_link_pointer =
    broker_link_actor::stateful_pointer<broker_link_state>;

broker_link_actor::behavior_type broker_link(
    broker_link_pointer self, std::shared_ptr<nats_client> client,
    std::shared_ptr<actor_slot> slot, std::shared_ptr<reply_router> routes,
    metrics::registry_ptr metrics) {
  self->state.client = std::move(client);
  self->state.slot = slot;
  self->state.routes = routes;
  self->state.connected = self->state.client->connected();
  self->state.connections = self->state.connected ? 1 : 0;
  self->state.metrics = std::move(metrics);
  self->state.metrics->broker.set_connected(self->state.connected);
  self->attach_functor([slot, routes] {
    routes->clear();
    std::lock_guard<std::mutex> lock(slot->mutex);
    slot->target = nullptr;
  });
  return {
      [=](publish_atom, const std::string& subject,
          const std::string& payload) -> bool {
        std::string error;
        if (self->state.client->publish(subject, payload, &error)) {
          ++self->state.counters.published;
          self->state.metrics->broker.count_publish(true);
          return true;
        }
        ++self->state.counters.publish_errors;
        self->state.metrics->broker.count_publish(false);
        logger("broker")->error("{}", error);
        return false;
      },
      [=](register_atom, const std::string& request_id,
          const reply_sink_actor& sink) {
        self->state.routes->add(request_id, sink);
      },
      [=](forget_atom, const std::string& request_id) {
        self->state.routes->remove(request_id);
      },
      [=](connected_atom, bool connected) {
        if (connected && !self->state.connected) ++self->state.connections;
        self->state.connected = connected;
        self->state.metrics->broker.set_connected(connected);
      },
      [=](ready_atom) -> bool { return self->state.connected; },
      [=](connection_atom) -> std::uint64_t {
        return self->state.connected ? self->state.connections : 0;
      },
  };
}

}  // namespace

std::size_t default_reply_threads() {
  return std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 4);
}

broker_link_actor spawn_broker_link(caf::actor_system& system,
                                    const broker_link_config& config,
                                    std::string* error) {
  auto slot = std::make_shared<actor_slot>();
  auto client = nats_client::connect(
      config.connection,
      [slot](bool connected) { slot->send(connected_atom::value, connected); },
      error);
  if (!client) return {};

  // Each member of the queue group gets its own nats.c delivery thread,
  // so replies are decoded on that many threads at once. The group name
  // is unique to this connection, so another gateway with the same
  // certificate still receives every reply.
  auto routes = std::make_shared<reply_router>(config.metrics);
  auto digest = hex_encode(md5(config.certname));
  auto queue_group = "gateway-replies-" + hex_encode(random_bytes(8));
  for (const auto& collective : config.collectives) {
    auto subject = collective + ".reply." + digest + ".*";
    for (std::size_t i = 0; i < std::max<std::size_t>(1, config.reply_threads);
         ++i) {
      bool subscribed = client->subscribe(
          subject, queue_group,
          [routes](std::string_view subject_name, std::string_view data) {
            routes->deliver(subject_name, data);
          },
          error);
      if (!subscribed) return {};
    }
  }

  std::shared_ptr<nats_client> shared_client(std::move(client));
  auto actor =
      system.spawn(broker_link, shared_client, slot, routes, config.metrics);
  // The first connection may come up on another thread while the actor
  // starts, when the slot still drops state changes. Sending the current
  // state under the slot's lock orders it before any later change.
  std::lock_guard<std::mutex> lock(slot->mutex);
  slot->target = actor;
  caf::anon_send(actor, connected_atom::value, shared_client->connected());
  return actor;
}

}  // namespace gateway
