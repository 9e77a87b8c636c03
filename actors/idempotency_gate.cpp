#include "actors/idempotency_gate.hpp"

#include <map>

#include "gateway/common/logging.hpp"

namespace gateway {
namespace {

struct gate_state {
  std::shared_ptr<const storage::event_store> store;
  // Claims of submits still running: (user, key) -> request hash.
  std::map<std::pair<std::string, std::string>, std::string> running;
  static inline const char* name = "idempotency_gate";
};

using gate_pointer = idempotency_gate_actor::stateful_pointer<gate_state>;

caf::result<claim_result> claim(gate_pointer self, const std::string& user,
                                const std::string& key,
                                const std::string& hash) {
  auto& state = self->state;
  using outcome = claim_result::outcome;
  auto running = state.running.find({user, key});
  if (running != state.running.end())
    return claim_result{running->second == hash ? outcome::in_progress
                                                : outcome::mismatch,
                        ""};

  std::string error;
  auto stored = state.store->idempotent_request(user, key, &error);
  if (!error.empty()) {
    logger("api")->error("reading an idempotency key of {} failed: {}", user,
                         error);
    return make_error(gateway_errc::storage_failed, error);
  }
  if (stored) {
    return claim_result{stored->second == hash ? outcome::existing
                                               : outcome::mismatch,
                        stored->first};
  }
  state.running.emplace(std::make_pair(user, key), hash);
  return claim_result{outcome::claimed, ""};
}

idempotency_gate_actor::behavior_type idempotency_gate(
    gate_pointer self, std::shared_ptr<const storage::event_store> store) {
  self->state.store = std::move(store);
  return {
      [self](claim_atom, const std::string& user, const std::string& key,
             const std::string& hash) { return claim(self, user, key, hash); },
      [self](release_atom, const std::string& user, const std::string& key) {
        self->state.running.erase({user, key});
      },
  };
}

}  // namespace

idempotency_gate_actor spawn_idempotency_gate(
    caf::actor_system& system,
    std::shared_ptr<const storage::event_store> store) {
  return system.spawn(idempotency_gate, std::move(store));
}

}  // namespace gateway
