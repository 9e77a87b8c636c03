// Metrics of logins.
#pragma once

#include <prometheus/counter.h>
#include <prometheus/registry.h>

namespace gateway::metrics {

// choria_gateway_logins_total{result="succeeded"|"failed"}. Thread safe.
class login_metrics {
 public:
  explicit login_metrics(prometheus::Registry& registry);

  void count_login(bool succeeded);

 private:
  prometheus::Counter* succeeded_;
  prometheus::Counter* failed_;
};

}  // namespace gateway::metrics
