// Metrics of the event log writer and the size of its database.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

namespace gateway::metrics {

// Safe to use from any thread. One writer at a time is expected: the
// write in progress is tracked for that writer only.
class event_log_metrics {
 public:
  explicit event_log_metrics(prometheus::Registry& registry);

  // Marks the start of a batch write.
  void write_started();
  // Observes the batch written since write_started(): its duration, its
  // event count, and an error when it failed.
  void write_finished(std::size_t events, bool succeeded);

  // The folder whose total file size is reported as the database size.
  void set_data_dir(std::string path);

  // Updates the gauges computed at scrape time: the database size and the
  // age of the write in progress.
  void refresh();

 private:
  prometheus::Histogram* append_duration_;
  prometheus::Histogram* batch_events_;
  prometheus::Counter* appended_events_;
  prometheus::Counter* append_errors_;
  prometheus::Gauge* current_write_seconds_;
  prometheus::Gauge* last_write_timestamp_;
  prometheus::Gauge* size_bytes_;
  // Steady clock nanoseconds at the start of the write in progress, or 0.
  std::atomic<std::int64_t> write_started_ns_{0};
  std::mutex data_dir_mutex_;
  std::string data_dir_;
};

}  // namespace gateway::metrics
