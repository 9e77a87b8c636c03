#include "actors/broker_link.hpp"

#include <mutex>
#include <unordered_map>

#include "gateway/choria/protocol.hpp"
#include "gateway/common/encoding.hpp"
#include "gateway/common/logging.hpp"

namespace gateway {
namespace {

// Lets nats.c threads reach the actor, which exists only after the
// connection does. Messages that arrive before it exists are dropped;
// nothing was published yet, so none can be a reply, and the connection
// state is sent again once the actor exists.
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
  std::unordered_map<std::string, reply_sink_actor> routes;
  broker_link_counters counters;
  metrics::registry_ptr metrics;
  bool connected = false;
  std::uint64_t connections = 0;  // connections made so far
  static inline const char* name = "broker_link";
};

using broker_link_pointer =
    broker_link_actor::stateful_pointer<broker_link_state>;

void route_reply(broker_link_pointer self, const std::string& request_id,
                 std::string& payload) {
  auto route = self->state.routes.find(request_id);
  if (route == self->state.routes.end()) {
    // NOTE: a late reply after its request ended lands here too.
    ++self->state.counters.unknown_request;
    self->state.metrics->rpc.count_drop(metrics::drop_reason::unknown_request);
    return;
  }
  self->send(route->second, incoming_atom::value, std::move(payload));
}

broker_link_actor::behavior_type broker_link(
    broker_link_pointer self, std::shared_ptr<nats_client> client,
    std::shared_ptr<actor_slot> slot, metrics::registry_ptr metrics) {
  self->state.client = std::move(client);
  self->state.slot = slot;
  self->state.connected = self->state.client->connected();
  self->state.connections = self->state.connected ? 1 : 0;
  self->state.metrics = std::move(metrics);
  self->state.metrics->broker.set_connected(self->state.connected);
  self->attach_functor([slot] {
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
        self->state.routes[request_id] = sink;
      },
      [=](forget_atom, const std::string& request_id) {
        self->state.routes.erase(request_id);
      },
      [=](incoming_atom, const std::string& request_id, std::string& payload) {
        route_reply(self, request_id, payload);
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

broker_link_actor spawn_broker_link(caf::actor_system& system,
                                    const broker_link_config& config,
                                    std::string* error) {
  auto slot = std::make_shared<actor_slot>();
  auto client = nats_client::connect(
      config.connection,
      [slot](bool connected) { slot->send(connected_atom::value, connected); },
      error);
  if (!client) return {};

  auto digest = hex_encode(md5(config.certname));
  for (const auto& collective : config.collectives) {
    auto subject = collective + ".reply." + digest + ".*";
    bool subscribed = client->subscribe(
        subject,
        [slot](std::string_view subject_name, std::string_view data) {
          auto dot = subject_name.rfind('.');
          std::string request_id(subject_name.substr(dot + 1));
          slot->send(incoming_atom::value, std::move(request_id),
                     std::string(data));
        },
        error);
    if (!subscribed) return {};
  }

  std::shared_ptr<nats_client> shared_client(std::move(client));
  auto actor = system.spawn(broker_link, shared_client, slot,
                            config.metrics);
  // The first connection may come up on another thread while the actor
  // starts, when the slot still drops state changes. Sending the current
  // state under the slot's lock orders it before any later change.
  std::lock_guard<std::mutex> lock(slot->mutex);
  slot->target = actor;
  caf::anon_send(actor, connected_atom::value, shared_client->connected());
  return actor;
}

}  // namespace gateway
