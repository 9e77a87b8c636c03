#include "actors/reply_router.hpp"

#include <mutex>
#include <utility>

#include "gateway/choria/protocol.hpp"

namespace gateway {

reply_router::reply_router(metrics::registry_ptr metrics)
    : metrics_(std::move(metrics)) {}

void reply_router::add(const std::string& request_id, reply_sink_actor sink) {
  std::unique_lock lock(mutex_);
  routes_[request_id] = std::move(sink);
}

void reply_router::remove(const std::string& request_id) {
  std::unique_lock lock(mutex_);
  routes_.erase(request_id);
}

void reply_router::clear() {
  std::unique_lock lock(mutex_);
  routes_.clear();
}

reply_sink_actor reply_router::find(std::string_view request_id) const {
  std::shared_lock lock(mutex_);
  auto route = routes_.find(request_id);
  return route == routes_.end() ? reply_sink_actor() : route->second;
}

void reply_router::deliver(std::string_view subject, std::string_view payload) {
  auto dot = subject.rfind('.');
  auto request_id =
      dot == std::string_view::npos ? subject : subject.substr(dot + 1);
  auto sink = find(request_id);
  if (!sink) {
    // NOTE: a late reply after its request ended lands here too.
    ++unknown_requests_;
    metrics_->rpc.count_drop(metrics::drop_reason::unknown_request);
    return;
  }
  caf::anon_send(sink, incoming_atom::value, choria::decode_reply(payload));
}

std::uint64_t reply_router::unknown_requests() const {
  return unknown_requests_.load();
}

}  // namespace gateway
