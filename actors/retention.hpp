// The retention worker: removes old finished requests in the background,
// in batches small enough that appends wait for one batch at most (the
// event store serializes its writers).
#pragma once

#include <chrono>
#include <memory>

#include "actors/messages.hpp"
#include "gateway/storage/event_store.hpp"

namespace gateway {

struct retention_config {
  std::shared_ptr<storage::event_store> store;
  std::chrono::seconds max_age{0};  // 0: no age limit
  std::uint64_t max_requests = 0;   // 0: no count limit
  std::chrono::seconds interval{60};
  // Deleted keys per batch, about the replies and events of a few
  // requests.
  std::size_t batch_keys = 2000;
};

// Spawns the worker on a thread of its own, or returns an invalid handle
// when config sets no limit. It runs at once, then every interval, and
// stops on an exit message.
caf::actor spawn_retention(caf::actor_system& system, retention_config config);

}  // namespace gateway
