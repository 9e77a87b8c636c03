// A collector owns one request id from acceptance to its end: it records
// the request, discovers the targets when the request has a filter, has
// the signer sign it, publishes it, receives every reply, and ends the
// request as complete (every expected node answered) or expired (the
// deadline passed first), recording who stayed silent.
#pragma once

#include <string>

#include "actors/messages.hpp"
#include "gateway/server/recovery.hpp"
#include "gateway/metrics/registry.hpp"

namespace gateway {

struct collector_deps {
  event_log_actor event_log;
  signer_actor signer;
  broker_link_actor broker_link;
  metrics::registry_ptr metrics = metrics::registry::unserved();
};

// start returns the initial state ("discovering" or "running") once the
// request_accepted event is durable, so a 202 is never sent for a request
// the log does not hold. The collector quits after its final event is
// written.
using collector_actor = caf::typed_actor<
    caf::replies_to<start_atom>::with<std::string>,
    caf::reacts_to<incoming_atom, choria::reply_result>,
    caf::reacts_to<discovered_atom>,
    caf::reacts_to<batch_atom>,
    caf::reacts_to<flush_atom>,
    caf::reacts_to<deadline_atom>>;

collector_actor spawn_collector(caf::actor_system& system,
                                const collector_deps& deps,
                                std::string request_id, rpc_request request);

// Rebuilds the request from its request_accepted event. Returns nullopt
// and sets *error when a field is missing or has the wrong type.
std::optional<rpc_request> request_from_accepted(
    const storage::event& accepted, std::string* error);

// Spawns a collector that continues a request left unfinished by the last
// run (see recovery.hpp): it collects a published request until the
// deadline, or publishes an unpublished one. It writes no second
// request_accepted event. Returns false and sets *error when the stored
// request cannot be rebuilt.
bool spawn_resumed_collector(caf::actor_system& system,
                             const collector_deps& deps, resume_order order,
                             std::string* error);

}  // namespace gateway
