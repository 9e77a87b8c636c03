// Start-up recovery of requests that the last run left unfinished.
#pragma once

#include <cstddef>

#include "gateway/storage/event_store.hpp"

namespace gateway {

// Ends every request still discovering or running as expired, listing the
// expected nodes that have no stored reply as silent. Call before any
// actor writes to store. Returns how many requests it ended; failures are
// logged and leave the request as it was.
// NOTE: a request whose deadline has not passed yet is ended too instead
// of resuming its collection.
std::size_t recover_unfinished(storage::event_store& store);

}  // namespace gateway
