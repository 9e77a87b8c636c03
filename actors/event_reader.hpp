// The event reader: serves status and reply pages from the event store's
// read models, so that HTTP code never touches RocksDB. Reads run beside
// the writer; RocksDB reads are thread safe.
#pragma once

#include <memory>

#include "actors/messages.hpp"
#include "gateway/storage/event_store.hpp"

namespace gateway {

// status fails with not_found for an unknown request; replies fails with
// invalid for a bad cursor and takes (request id, cursor, limit).
event_reader_actor::behavior_type event_reader(
    event_reader_actor::pointer self,
    std::shared_ptr<const storage::event_store> store);

}  // namespace gateway
