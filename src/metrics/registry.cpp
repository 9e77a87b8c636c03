#include "gateway/metrics/registry.hpp"

#include <prometheus/gauge.h>
#include <prometheus/text_serializer.h>

#ifndef GATEWAY_VERSION
#define GATEWAY_VERSION "unknown"
#endif

namespace gateway::metrics {
namespace {

void register_process_info(prometheus::Registry& registry) {
  prometheus::BuildGauge()
      .Name("choria_gateway_build_info")
      .Help("Always 1; the labels name the gateway version and the compiler")
      .Register(registry)
      .Add({{"version", GATEWAY_VERSION}, {"compiler", __VERSION__}})
      .Set(1);
  prometheus::BuildGauge()
      .Name("choria_gateway_start_time_seconds")
      .Help("Unix time the metrics registry was created at start-up")
      .Register(registry)
      .Add({})
      .SetToCurrentTime();
}

}  // namespace

registry::registry()
    : prometheus_(std::make_shared<prometheus::Registry>()),
      http(*prometheus_),
      rpc(*prometheus_),
      broker(*prometheus_),
      event_log(*prometheus_),
      logins(*prometheus_) {
  register_process_info(*prometheus_);
}

std::shared_ptr<registry> registry::create() {
  return std::make_shared<registry>();
}

const std::shared_ptr<registry>& registry::unserved() {
  static const auto instance = create();
  return instance;
}

std::string registry::scrape() {
  event_log.refresh();
  return prometheus::TextSerializer().Serialize(prometheus_->Collect());
}

}  // namespace gateway::metrics
