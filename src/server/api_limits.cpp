#include "src/server/api_limits.hpp"

#include "gateway/common/log_text.hpp"
#include "gateway/common/logging.hpp"

namespace gateway {

http::response login_throttled(std::int64_t retry_after) {
  auto out = http::error_response(
      429, "too_many_requests",
      "too many failed logins for this username or from this address; try "
      "again in " +
          std::to_string(retry_after) + " seconds");
  out.headers.emplace_back("Retry-After", std::to_string(retry_after));
  return out;
}

bool take_request_slot(const context_ptr& context,
                       const std::string& username,
                       const http::responder& respond) {
  if (!context->in_flight || context->in_flight->try_acquire(username))
    return true;
  const auto max = context->in_flight->max_per_user();
  logger("api")->debug("rejected a request of {}: {} requests in flight",
                      log_safe(username), max);
  auto out = http::error_response(
      429, "too_many_requests",
      "user " + username + " already has " + std::to_string(max) +
          " requests in flight, the maximum of "
          "gateway.limits.user_requests_in_flight; wait until one ends");
  // NOTE: when a slot frees depends on the timeouts of the running
  // requests, so the one second here is a polling interval, not a promise.
  out.headers.emplace_back("Retry-After", "1");
  respond(std::move(out));
  return false;
}

bool signing_has_room(const context_ptr& context,
                      const http::responder& respond) {
  const auto cap = context->config.signing_backlog;
  if (!context->signing_backlog || cap == 0) return true;
  const auto waiting = context->signing_backlog->load();
  if (waiting < static_cast<std::int64_t>(cap)) return true;
  logger("api")->warn("rejected a request: {} requests wait for a signature, "
                      "the maximum of gateway.limits.signing_backlog",
                      waiting);
  auto out = http::error_response(
      503, "overloaded",
      std::to_string(waiting) +
          " requests wait for a signature, the maximum of "
          "gateway.limits.signing_backlog; retry in a second");
  out.headers.emplace_back("Retry-After", "1");
  respond(std::move(out));
  return false;
}

void release_slot_on_exit(const context_ptr& context,
                          const collector_actor& collector,
                          const std::string& username) {
  if (!context->in_flight) return;
  auto* actor = caf::actor_cast<caf::abstract_actor*>(collector);
  actor->attach_functor([limit = context->in_flight, username] {
    limit->release(username);
  });
}

}  // namespace gateway
