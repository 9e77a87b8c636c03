// The event log writer: the only actor that writes the RocksDB event store.
// Appends from all collectors are grouped: the first append into an empty
// buffer schedules a flush behind every message already queued, so one
// write batch (and one fsync when syncing) covers all of them.
#pragma once

#include <memory>

#include "actors/event_observer.hpp"
#include "actors/messages.hpp"
#include "gateway/metrics/registry.hpp"
#include "gateway/storage/event_store.hpp"

namespace gateway {

// Spawns the writer on a thread of its own, because a write blocks for the
// length of an fsync. Each append's response arrives once its batch is
// written; every append in a failed batch gets storage_failed. observer,
// when valid, receives each written batch after the responses.
event_log_actor spawn_event_log(
    caf::actor_system& system, std::shared_ptr<storage::event_store> store,
    event_observer_actor observer = {},
    metrics::registry_ptr metrics = metrics::registry::unserved());

}  // namespace gateway
