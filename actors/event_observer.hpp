// The interface through which the event log announces what it wrote, so
// that live readers learn of new events without polling the store.
#pragma once

#include <memory>
#include <vector>

#include "actors/messages.hpp"

namespace gateway {

// The events of one written batch, with their sequence numbers, shared
// read-only by every receiver.
using event_batch = std::shared_ptr<const std::vector<storage::event>>;

using written_atom = caf::atom_constant<caf::atom("written")>;

// Receives every batch after it is durable (or in the WAL, as
// configured), in sequence order.
using event_observer_actor =
    caf::typed_actor<caf::reacts_to<written_atom, event_batch>>;

}  // namespace gateway

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(gateway::event_batch)
