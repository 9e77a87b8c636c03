#include "gateway/metrics/event_log_metrics.hpp"

#include <chrono>

#include "buckets.hpp"
#include "directory_size.hpp"

namespace gateway::metrics {
namespace {

std::int64_t steady_now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

prometheus::Gauge* gauge(prometheus::Registry& registry, const char* name,
                         const char* help) {
  return &prometheus::BuildGauge().Name(name).Help(help).Register(registry).Add(
      {});
}

prometheus::Counter* counter(prometheus::Registry& registry, const char* name,
                             const char* help) {
  return &prometheus::BuildCounter()
              .Name(name)
              .Help(help)
              .Register(registry)
              .Add({});
}

}  // namespace

event_log_metrics::event_log_metrics(prometheus::Registry& registry)
    : append_duration_(
          &prometheus::BuildHistogram()
               .Name("choria_gateway_event_log_append_duration_seconds")
               .Help("Time to write one batch of events to RocksDB, fsync "
                     "included when gateway.log.sync is true")
               .Register(registry)
               .Add({}, buckets::local_seconds)),
      batch_events_(&prometheus::BuildHistogram()
                         .Name("choria_gateway_event_log_batch_events")
                         .Help("Events in each write batch")
                         .Register(registry)
                         .Add({}, buckets::batch_events)),
      appended_events_(counter(registry,
                               "choria_gateway_event_log_appended_events_total",
                               "Events written to the event log")),
      append_errors_(counter(registry,
                             "choria_gateway_event_log_append_errors_total",
                             "Write batches that failed")),
      current_write_seconds_(gauge(
          registry, "choria_gateway_event_log_current_write_seconds",
          "Age of the batch write in progress at scrape time, 0 when idle")),
      last_write_timestamp_(gauge(
          registry, "choria_gateway_event_log_last_write_timestamp_seconds",
          "Unix time of the last successful batch write")),
      size_bytes_(gauge(registry, "choria_gateway_event_log_size_bytes",
                        "Total size of the files in the event log's "
                        "folder, at scrape time")) {}

void event_log_metrics::write_started() {
  write_started_ns_.store(steady_now_ns());
}

void event_log_metrics::write_finished(std::size_t events, bool succeeded) {
  auto started = write_started_ns_.exchange(0);
  if (started != 0)
    append_duration_->Observe(static_cast<double>(steady_now_ns() - started) /
                              1e9);
  batch_events_->Observe(static_cast<double>(events));
  if (!succeeded) {
    append_errors_->Increment();
    return;
  }
  appended_events_->Increment(static_cast<double>(events));
  last_write_timestamp_->SetToCurrentTime();
}

void event_log_metrics::set_data_dir(std::string path) {
  std::lock_guard<std::mutex> lock(data_dir_mutex_);
  data_dir_ = std::move(path);
}

void event_log_metrics::refresh() {
  auto started = write_started_ns_.load();
  current_write_seconds_->Set(
      started == 0 ? 0.0
                   : static_cast<double>(steady_now_ns() - started) / 1e9);

  std::string path;
  {
    std::lock_guard<std::mutex> lock(data_dir_mutex_);
    path = data_dir_;
  }
  if (!path.empty())
    size_bytes_->Set(static_cast<double>(directory_size(path)));
}

}  // namespace gateway::metrics
