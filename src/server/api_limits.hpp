// Responses and bookkeeping for the gateway's abuse limits, shared by the
// login and submit routes.
#pragma once

#include <cstdint>
#include <string>

#include "actors/collector.hpp"
#include "src/server/api_routes.hpp"

namespace gateway {

// The 429 response for a throttled login, with Retry-After in seconds.
[[nodiscard]] http::response login_throttled(std::int64_t retry_after);

// Takes one of the caller's in-flight request slots. When the caller has
// none left, responds 429 naming the limit, with Retry-After: 1, and
// returns false.
[[nodiscard]] bool take_request_slot(const context_ptr& context,
                                     const std::string& username,
                                     const http::responder& respond);

// Checks that fewer than gateway.limits.signing_backlog requests wait for
// a signature. Otherwise responds 503 with Retry-After and returns false,
// so that overload does not pile up collectors without bound.
[[nodiscard]] bool signing_has_room(const context_ptr& context,
                                    const http::responder& respond);

// Gives the slot taken for `username` back when `collector` ends, however
// it ends.
void release_slot_on_exit(const context_ptr& context,
                          const collector_actor& collector,
                          const std::string& username);

}  // namespace gateway
