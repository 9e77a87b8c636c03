#include "actors/stream_hub.hpp"

#include <unordered_map>
#include <vector>

namespace gateway {
namespace {

struct stream_hub_state {
  std::unordered_map<std::string, std::vector<stream_subscriber_actor>>
      subscribers;  // by request id
  std::unordered_map<caf::actor_addr, std::string> request_of;
  static inline const char* name = "stream_hub";
};

using hub_pointer = stream_hub_actor::stateful_pointer<stream_hub_state>;

// The news of one batch for one request.
struct request_news {
  std::uint64_t last_reply = 0;
  bool ended = false;
};

bool ends_request(storage::event_kind kind) {
  return kind == storage::event_kind::request_completed ||
         kind == storage::event_kind::request_expired ||
         kind == storage::event_kind::request_failed;
}

void on_written(hub_pointer self, const event_batch& batch) {
  auto& subscribers = self->state.subscribers;
  if (subscribers.empty() || !batch) return;

  std::unordered_map<std::string, request_news> news;
  for (const auto& event : *batch) {
    bool reply = event.kind == storage::event_kind::reply_received;
    bool ended = ends_request(event.kind);
    if ((!reply && !ended) || !subscribers.contains(event.request_id)) continue;
    auto& entry = news[event.request_id];
    if (reply) entry.last_reply = event.sequence;
    entry.ended |= ended;
  }
  for (const auto& [request_id, entry] : news)
    for (const auto& subscriber : subscribers[request_id])
      self->send(subscriber, news_atom::value, entry.last_reply, entry.ended);
}

void forget(hub_pointer self, const caf::actor_addr& address) {
  auto& state = self->state;
  auto found = state.request_of.find(address);
  if (found == state.request_of.end()) return;
  auto list = state.subscribers.find(found->second);
  if (list != state.subscribers.end()) {
    std::erase_if(list->second, [&](const stream_subscriber_actor& entry) {
      return entry.address() == address;
    });
    if (list->second.empty()) state.subscribers.erase(list);
  }
  state.request_of.erase(found);
}

stream_hub_actor::behavior_type stream_hub(hub_pointer self) {
  self->set_down_handler(
      [self](const caf::down_msg& down) { forget(self, down.source); });
  return {
      [self](written_atom, const event_batch& batch) {
        on_written(self, batch);
      },
      [self](subscribe_atom, const std::string& request_id,
             const stream_subscriber_actor& subscriber) {
        self->monitor(subscriber);
        self->state.subscribers[request_id].push_back(subscriber);
        self->state.request_of[subscriber.address()] = request_id;
        return true;
      },
  };
}

}  // namespace

stream_hub_actor spawn_stream_hub(caf::actor_system& system) {
  return system.spawn(stream_hub);
}

}  // namespace gateway
