// The stream hub: tells live result streams that their request has new
// events. It observes every batch the event log writes and forwards, per
// subscribed request id, the highest new reply sequence and whether the
// request ended. It sends no event data, so a subscriber always reads
// the replies themselves from the store and a slow subscriber costs the
// hub nothing.
#pragma once

#include <cstdint>
#include <string>

#include "actors/event_observer.hpp"
#include "actors/messages.hpp"

namespace gateway {

using subscribe_atom = caf::atom_constant<caf::atom("subscribe")>;
using news_atom = caf::atom_constant<caf::atom("news")>;
using pump_atom = caf::atom_constant<caf::atom("pump")>;
using heartbeat_atom = caf::atom_constant<caf::atom("heartbeat")>;
using closed_atom = caf::atom_constant<caf::atom("closed")>;

// One live stream of one request. news carries the highest sequence of a
// new reply (0 when the batch had none) and true once the request ended.
// pump and heartbeat are the subscriber's own timers, and closed arrives
// when the client went away.
using stream_subscriber_actor =
    caf::typed_actor<caf::reacts_to<news_atom, std::uint64_t, bool>,
                     caf::reacts_to<pump_atom>, caf::reacts_to<heartbeat_atom>,
                     caf::reacts_to<closed_atom>>;

// subscribe answers true once the subscriber is registered: every batch
// written after that answer reaches it as news, and every earlier batch is
// already readable in the store. A subscriber is dropped when it quits.
using stream_hub_actor =
    caf::typed_actor<caf::reacts_to<written_atom, event_batch>,
                     caf::replies_to<subscribe_atom, std::string,
                                     stream_subscriber_actor>::with<bool>>;

stream_hub_actor spawn_stream_hub(caf::actor_system& system);

}  // namespace gateway
