#include "src/server/api_broker_gate.hpp"

#include <chrono>

#include "gateway/common/log_text.hpp"
#include "gateway/common/logging.hpp"
#include "src/server/api_submit.hpp"

namespace gateway {
namespace {

constexpr const char* no_broker_reason =
    "no broker is connected, so the request cannot reach any node; it was "
    "not accepted, submit it again once GET /readyz returns 200";

}  // namespace

void require_broker(caf::event_based_actor* self, const context_ptr& context,
                    const rpc_request& rpc, const http::responder& respond,
                    std::function<void()> release, std::function<void()> next) {
  auto reject = [context, rpc, respond, release] {
    release();
    logger("api")->warn("rejected {}.{} of {}: no broker is connected",
                        log_safe(rpc.agent), log_safe(rpc.action),
                        log_safe(rpc.caller));
    record_denial(context, rpc, no_broker_reason, "unavailable");
    respond(http::error_response(503, "unavailable", no_broker_reason));
  };
  self->request(context->broker, std::chrono::seconds(5), ready_atom::value)
      .then(
          [reject, next](bool connected) {
            if (connected)
              next();
            else
              reject();
          },
          [reject](const caf::error&) { reject(); });
}

}  // namespace gateway
