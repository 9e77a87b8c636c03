#include "actors/retention.hpp"

#include "gateway/common/logging.hpp"

namespace gateway {
namespace {

using sweep_atom = caf::atom_constant<caf::atom("sweep")>;

struct retention_state {
  retention_config config;
  std::size_t removed = 0;  // in the current run
  static inline const char* name = "retention";
};

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

storage::retention_rule rule_of(const retention_config& config) {
  storage::retention_rule rule;
  if (config.max_age.count() > 0)
    rule.cutoff_ms = now_ms() - config.max_age.count() * 1000;
  if (config.max_requests > 0) rule.max_requests = config.max_requests;
  return rule;
}

// Removes one batch; schedules the next batch at once while more is due,
// and the next run after the interval otherwise.
void sweep(caf::stateful_actor<retention_state>* self) {
  auto& state = self->state;
  storage::retention_step step;
  auto error = state.config.store->remove_old_requests(
      rule_of(state.config), state.config.batch_keys, step);
  if (error) logger("retention")->error("removing old requests failed: {}",
                                        *error);
  state.removed += step.removed_requests;
  if (!error && step.more) {
    self->send(self, sweep_atom::value);
    return;
  }
  if (state.removed > 0)
    logger("retention")->info("removed {} old requests, {} remain",
                              state.removed,
                              state.config.store->request_count());
  state.removed = 0;
  self->delayed_send(self, state.config.interval, sweep_atom::value);
}

caf::behavior retention(caf::stateful_actor<retention_state>* self,
                        retention_config config) {
  self->state.config = std::move(config);
  self->send(self, sweep_atom::value);
  return {
      [self](sweep_atom) { sweep(self); },
  };
}

}  // namespace

caf::actor spawn_retention(caf::actor_system& system,
                           retention_config config) {
  if (config.max_age.count() == 0 && config.max_requests == 0) return {};
  return system.spawn<caf::detached>(retention, std::move(config));
}

}  // namespace gateway
