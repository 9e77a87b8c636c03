#include "extra_fleet.hpp"

#include <signal.h>

#include <filesystem>

#include "nats_capture.hpp"

namespace gateway::integration {

std::int64_t rejected_count(const nlohmann::json& stats,
                            const std::string& reason) {
  if (!stats.is_object() || !stats.contains("rejected")) return -1;
  const auto& rejected = stats["rejected"];
  if (!rejected.is_object() || !rejected.contains(reason) ||
      !rejected[reason].is_number_integer())
    return -1;
  return rejected[reason].get<std::int64_t>();
}

extra_fleet::extra_fleet(const gateway_stack& stack,
                         extra_fleet_options options) {
  if (options.tls_certificate.empty()) {
    options.tls_certificate = stack.setup_file("fleet-sim.pem");
    options.tls_key = stack.setup_file("fleet-sim-key.pem");
  }
  std::vector<std::string> arguments{
      "--nats",
      "tls://127.0.0.1:" + std::to_string(broker_port_of(stack)),
      "--count",
      std::to_string(options.count),
      "--name-format",
      options.name_format,
      "--ca",
      options.request_ca,
      "--tls-cert",
      options.tls_certificate,
      "--tls-key",
      options.tls_key,
      "--tls-ca",
      stack.setup_file("ca.pem"),
      "--ready-file",
      folder_.file("ready"),
      "--stats-file",
      folder_.file("stats.json")};
  process_ = std::make_unique<child_process>(FLEET_SIM_PATH, arguments,
                                             folder_.file("fleet.log"));
}

bool extra_fleet::await_ready(std::chrono::milliseconds timeout) const {
  std::string ready = folder_.file("ready");
  return wait_until([&] { return std::filesystem::exists(ready); }, timeout);
}

nlohmann::json extra_fleet::read_stats(
    const std::function<bool(const nlohmann::json&)>& done,
    std::chrono::milliseconds timeout) {
  nlohmann::json stats;
  (void)wait_until(
      [&] {
        ::kill(process_->pid(), SIGUSR1);
        auto read = nlohmann::json::parse(read_text(folder_.file("stats.json")),
                                          nullptr, false);
        if (!read.is_object()) return false;
        stats = read;
        return done(stats);
      },
      timeout);
  return stats;
}

}  // namespace gateway::integration
