#include "gateway/metrics/login_metrics.hpp"

namespace gateway::metrics {

login_metrics::login_metrics(prometheus::Registry& registry) {
  auto& family = prometheus::BuildCounter()
                     .Name("choria_gateway_logins_total")
                     .Help("Login attempts, by result: succeeded or failed")
                     .Register(registry);
  succeeded_ = &family.Add({{"result", "succeeded"}});
  failed_ = &family.Add({{"result", "failed"}});
}

void login_metrics::count_login(bool succeeded) {
  (succeeded ? succeeded_ : failed_)->Increment();
}

}  // namespace gateway::metrics
