#include "actors/event_log.hpp"

#include "gateway/common/logging.hpp"

namespace gateway {

struct event_log_state {
  std::shared_ptr<storage::event_store> store;
  event_observer_actor observer;
  metrics::registry_ptr metrics;
  std::vector<storage::event> pending;
  std::vector<std::pair<caf::typed_response_promise<std::uint64_t>,
                        std::size_t>>
      waiting;  // promise and the count of pending events it covers
  bool flush_scheduled = false;
  static inline const char* name = "event_log";
};

namespace {

void flush(event_log_actor::stateful_pointer<event_log_state> self) {
  auto& state = self->state;
  state.flush_scheduled = false;
  if (state.pending.empty()) return;

  state.metrics->event_log.write_started();
  auto failure = state.store->append(state.pending);
  state.metrics->event_log.write_finished(state.pending.size(), !failure);
  if (failure) {
    logger("event_log")->error("append of {} events failed: {}",
                                    state.pending.size(), *failure);
    for (auto& [promise, count] : state.waiting)
      promise.deliver(make_error(gateway_errc::storage_failed, *failure));
  } else {
    std::size_t offset = 0;
    for (auto& [promise, count] : state.waiting) {
      offset += count;
      promise.deliver(state.pending[offset - 1].sequence);
    }
    if (state.observer) {
      auto written = std::make_shared<const std::vector<storage::event>>(
          std::move(state.pending));
      self->send(state.observer, written_atom::value, event_batch(written));
    }
  }
  state.pending.clear();
  state.waiting.clear();
}

event_log_actor::behavior_type event_log(
    event_log_actor::stateful_pointer<event_log_state> self,
    std::shared_ptr<storage::event_store> store,
    event_observer_actor observer, metrics::registry_ptr metrics) {
  self->state.store = std::move(store);
  self->state.observer = std::move(observer);
  self->state.metrics = std::move(metrics);
  return {
      [=](append_atom, std::vector<storage::event>& events)
          -> caf::result<std::uint64_t> {
        auto& state = self->state;
        if (events.empty())
          return make_error(gateway_errc::invalid, "empty append");
        auto promise = self->make_response_promise<std::uint64_t>();
        state.waiting.emplace_back(promise, events.size());
        for (auto& event : events) state.pending.push_back(std::move(event));
        if (!state.flush_scheduled) {
          state.flush_scheduled = true;
          self->send(self, flush_atom::value);
        }
        return promise;
      },
      [=](flush_atom) { flush(self); },
      [=](ready_atom) {
        flush(self);
        return self->state.store->last_sequence();
      },
  };
}

}  // namespace

event_log_actor spawn_event_log(caf::actor_system& system,
                                std::shared_ptr<storage::event_store> store,
                                event_observer_actor observer,
                                metrics::registry_ptr metrics) {
  return system.spawn<caf::detached>(event_log, std::move(store),
                                     std::move(observer), std::move(metrics));
}

}  // namespace gateway
