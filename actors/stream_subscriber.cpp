#include "actors/stream_subscriber.hpp"

#include "gateway/common/logging.hpp"
#include "gateway/storage/request_status.hpp"

namespace gateway {
namespace {

using json = nlohmann::json;
using clock_type = std::chrono::steady_clock;

struct stream_subscriber_state {
  // Declared, so that the state is no aggregate that CAF 0.17 would try to
  // build from the actor pointer.
  stream_subscriber_state() = default;

  stream_hub_actor hub;
  std::shared_ptr<const storage::event_store> store;
  stream_order order;
  stream_options options;
  bool subscribed = false;
  bool request_ended = false;  // the request's final event is stored
  bool pump_pending = false;
  bool finished = false;
  std::uint64_t announced = 0;  // highest reply sequence the hub announced
  std::optional<clock_type::time_point> paused_since;
  static inline const char* name = "stream_subscriber";
};

using subscriber_pointer =
    stream_subscriber_actor::stateful_pointer<stream_subscriber_state>;

std::string dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

void finish(subscriber_pointer self) {
  auto& state = self->state;
  if (state.finished) return;
  state.finished = true;
  state.order.writer.close();
  self->quit();
}

void send_error(subscriber_pointer self, const std::string& code,
                const std::string& message) {
  json body = {{"error", {{"code", code}, {"message", message}}}};
  self->state.order.writer.send(http::format_event("error", dump(body)));
  finish(self);
}

void send_end(subscriber_pointer self) {
  auto& state = self->state;
  std::string error;
  auto status = state.store->request_status(state.order.request_id, &error);
  if (!status) {
    logger("stream")->error("request {}: cannot read the status: {}",
                            state.order.request_id, error);
    return send_error(self, "storage_failed", "cannot read the status");
  }
  state.order.writer.send(http::format_event("end", dump(*status)));
  finish(self);
}

void schedule_pump(subscriber_pointer self) {
  auto& state = self->state;
  if (state.pump_pending || state.finished) return;
  state.pump_pending = true;
  self->send(self, pump_atom::value);
}

// True when the writer has room for another page. Drops the stream when
// the client has read nothing for max_stall.
bool writer_has_room(subscriber_pointer self) {
  auto& state = self->state;
  if (state.order.writer.queued_bytes() < state.options.pause_bytes) {
    state.paused_since.reset();
    return true;
  }
  auto now = clock_type::now();
  if (!state.paused_since) state.paused_since = now;
  if (now - *state.paused_since >= state.options.max_stall) {
    logger("stream")->info(
        "request {}: dropping a stream whose client reads "
        "too slowly, at sequence {}",
        state.order.request_id, state.order.last_sequence);
    send_error(self, "slow_consumer",
               "the client read too slowly; reconnect with Last-Event-ID "
               "to resume");
    return false;
  }
  state.pump_pending = true;
  self->delayed_send(self, state.options.poll, pump_atom::value);
  return false;
}

// Sends the next page of stored replies, then schedules itself again
// until the client has every stored reply; ends the stream when the
// request ended and nothing is left.
void pump(subscriber_pointer self) {
  auto& state = self->state;
  state.pump_pending = false;
  if (state.finished || !state.subscribed) return;
  if (!state.order.writer.is_open()) return finish(self);
  if (!writer_has_room(self)) return;

  // Read the ended flag before the page, so that a request that ends
  // between the two reads still has its last replies sent first.
  bool ended_before_read = state.request_ended;
  std::string error;
  auto page = state.store->replies_after(state.order.request_id,
                                         state.order.last_sequence,
                                         state.options.page_size, &error);
  if (!page) {
    logger("stream")->error("request {}: cannot read replies: {}",
                            state.order.request_id, error);
    return send_error(self, "storage_failed", "cannot read the replies");
  }
  for (auto& entry : *page) {
    auto id = std::to_string(entry.sequence);
    if (!state.order.writer.send(
            http::format_event("reply", dump(entry.reply), id)))
      return finish(self);
    state.order.last_sequence = entry.sequence;
    if (state.order.writer.queued_bytes() >= state.options.pause_bytes)
      return schedule_pump(self);
  }
  if (page->size() == state.options.page_size) return schedule_pump(self);
  if (ended_before_read) send_end(self);
}

// Reads whether the request already ended, so that a stream opened after
// the end still gets its end event.
void load_ended(subscriber_pointer self) {
  auto& state = self->state;
  auto status = state.store->request_status(state.order.request_id);
  if (status && !storage::is_unfinished(*status)) state.request_ended = true;
}

void on_subscribed(subscriber_pointer self) {
  auto& state = self->state;
  state.subscribed = true;
  load_ended(self);
  self->delayed_send(self, state.options.heartbeat, heartbeat_atom::value);
  schedule_pump(self);
}

stream_subscriber_actor::behavior_type stream_subscriber(
    subscriber_pointer self, stream_hub_actor hub,
    std::shared_ptr<const storage::event_store> store, stream_order order,
    stream_options options) {
  auto& state = self->state;
  state.hub = std::move(hub);
  state.store = std::move(store);
  state.order = std::move(order);
  state.options = options;

  self->request(state.hub, caf::infinite, subscribe_atom::value,
                state.order.request_id,
                caf::actor_cast<stream_subscriber_actor>(self))
      .then([self](bool) { on_subscribed(self); },
            [self](const caf::error&) {
              send_error(self, "unavailable", "the stream hub is gone");
            });
  return {
      [self](news_atom, std::uint64_t last_reply, bool ended) {
        auto& state = self->state;
        if (ended) state.request_ended = true;
        if (last_reply > state.announced) state.announced = last_reply;
        if (ended || state.announced > state.order.last_sequence)
          schedule_pump(self);
      },
      [self](pump_atom) { pump(self); },
      [self](heartbeat_atom) {
        auto& state = self->state;
        if (state.finished) return;
        if (!state.order.writer.send(": heartbeat\n\n")) return finish(self);
        self->delayed_send(self, state.options.heartbeat,
                           heartbeat_atom::value);
      },
      [self](closed_atom) { finish(self); },
  };
}

}  // namespace

stream_subscriber_actor spawn_stream_subscriber(
    caf::actor_system& system, stream_hub_actor hub,
    std::shared_ptr<const storage::event_store> store, stream_order order,
    stream_options options) {
  return system.spawn(stream_subscriber, std::move(hub), std::move(store),
                      std::move(order), options);
}

}  // namespace gateway
