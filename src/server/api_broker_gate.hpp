// The submit check that a broker is connected, shared by submits and
// replays. Internal to src/server.
#pragma once

#include <functional>

#include "src/server/api_support.hpp"

namespace gateway {

// Asks the broker link whether it is connected and calls next() when it
// is. Otherwise it calls release(), records a request_denied event whose
// reason names the missing broker, and responds 503. The event shows in
// the audit trail but not in the RBAC denial metric. Without a broker the
// request could reach no node, and a discovery would find none and
// complete with zero nodes. A broker link that does not respond within
// 5 s counts as not connected.
void require_broker(caf::event_based_actor* self, const context_ptr& context,
                    const rpc_request& rpc, const http::responder& respond,
                    std::function<void()> release, std::function<void()> next);

}  // namespace gateway
