// The idempotency gate: lets one submit per (user, Idempotency-Key) fan
// out. A key is claimed while its submit runs and stored durably with the
// request_accepted event, so a retry finds the original request, also
// after a restart.
#pragma once

#include <memory>
#include <string>

#include "actors/messages.hpp"
#include "gateway/storage/event_store.hpp"

namespace gateway {

using claim_atom = caf::atom_constant<caf::atom("claim")>;
using release_atom = caf::atom_constant<caf::atom("release")>;

struct claim_result {
  enum class outcome : std::uint8_t {
    claimed,      // the caller submits, then releases the key
    existing,     // request_id was submitted with this key and hash
    mismatch,     // the key was used with another hash
    in_progress,  // another submit with this key is running
  };
  outcome result = outcome::claimed;
  std::string request_id;
};

// claim takes (user, key, request hash). release takes (user, key) and
// ends a claim once its request_accepted event is written or the submit
// failed. A claim whose release never comes blocks retries with that key
// until the gateway restarts.
using idempotency_gate_actor = caf::typed_actor<
    caf::replies_to<claim_atom, std::string, std::string,
                    std::string>::with<claim_result>,
    caf::reacts_to<release_atom, std::string, std::string>>;

idempotency_gate_actor spawn_idempotency_gate(
    caf::actor_system& system,
    std::shared_ptr<const storage::event_store> store);

}  // namespace gateway

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gateway::claim_result)
