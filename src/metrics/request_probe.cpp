#include "gateway/metrics/request_probe.hpp"

#include <utility>

namespace gateway::metrics {

request_probe::request_probe(registry_ptr metrics, std::string_view agent,
                             std::string_view action)
    : metrics_(std::move(metrics)) {
  if (metrics_) counters_ = metrics_->rpc.for_action(agent, action);
}

request_probe::~request_probe() { leave_in_flight(); }

request_probe::request_probe(request_probe&& other) noexcept
    : metrics_(std::move(other.metrics_)),
      counters_(other.counters_),
      created_(other.created_),
      discovery_started_(other.discovery_started_),
      in_flight_(std::exchange(other.in_flight_, false)),
      published_(other.published_),
      replied_(other.replied_),
      ended_(other.ended_) {}

request_probe& request_probe::operator=(request_probe&& other) noexcept {
  if (this == &other) return *this;
  leave_in_flight();
  metrics_ = std::move(other.metrics_);
  counters_ = other.counters_;
  created_ = other.created_;
  discovery_started_ = other.discovery_started_;
  in_flight_ = std::exchange(other.in_flight_, false);
  published_ = other.published_;
  replied_ = other.replied_;
  ended_ = other.ended_;
  return *this;
}

double request_probe::seconds_since(
    std::chrono::steady_clock::time_point start) const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

void request_probe::leave_in_flight() {
  if (!in_flight_) return;
  in_flight_ = false;
  metrics_->rpc.in_flight->Decrement();
}

void request_probe::accepted() {
  if (!metrics_ || in_flight_ || ended_) return;
  counters_.submitted->Increment();
  metrics_->rpc.in_flight->Increment();
  in_flight_ = true;
}

void request_probe::discovery_started() {
  discovery_started_ = std::chrono::steady_clock::now();
}

void request_probe::discovery_ended(std::size_t nodes) {
  if (!metrics_) return;
  metrics_->rpc.discovery_duration->Observe(seconds_since(discovery_started_));
  metrics_->rpc.discovered_nodes->Observe(static_cast<double>(nodes));
}

void request_probe::published() {
  if (!metrics_ || published_) return;
  published_ = true;
  metrics_->rpc.time_to_publish->Observe(seconds_since(created_));
}

void request_probe::reply(int statuscode, bool expected) {
  if (!metrics_) return;
  metrics_->rpc.count_reply(statuscode);
  if (!expected) metrics_->rpc.unexpected_replies->Increment();
  if (replied_) return;
  replied_ = true;
  metrics_->rpc.time_to_first_reply->Observe(seconds_since(created_));
}

void request_probe::dropped(drop_reason reason) {
  if (metrics_) metrics_->rpc.count_drop(reason);
}

void request_probe::ended(request_end end) {
  if (!metrics_ || ended_) return;
  ended_ = true;
  leave_in_flight();
  switch (end) {
    case request_end::completed:
      counters_.completed->Increment();
      metrics_->rpc.time_to_completion->Observe(seconds_since(created_));
      break;
    case request_end::expired:
      counters_.expired->Increment();
      break;
    case request_end::failed:
      counters_.failed->Increment();
      break;
  }
}

}  // namespace gateway::metrics
