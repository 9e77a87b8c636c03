// A second choria-fleet-sim process next to a stack's own simulator, with
// its own node names and its own certificates, for tests of nodes that
// trust or present a different CA.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "gateway_stack.hpp"
#include "process.hpp"

namespace gateway::integration {

struct extra_fleet_options {
  std::string name_format{};  // such as "foreign-{index}.example.net"
  int count = 2;
  std::string request_ca{};  // --ca: the CA request signers must chain to
  // The NATS client certificate; the stack's simulator certificate when
  // empty.
  std::string tls_certificate{};
  std::string tls_key{};
};

// The simulator's count of requests rejected for reason, such as
// "untrusted_cert", or -1 when stats has no such counter.
[[nodiscard]] std::int64_t rejected_count(const nlohmann::json& stats,
                                          const std::string& reason);

// Runs choria-fleet-sim against the stack's broker. The process is stopped
// by pid with SIGTERM when the object is destroyed.
class extra_fleet {
 public:
  extra_fleet(const gateway_stack& stack, extra_fleet_options options);

  [[nodiscard]] child_process& process() { return *process_; }
  // Waits until the simulator wrote its ready file.
  [[nodiscard]] bool await_ready(std::chrono::milliseconds timeout) const;
  // Sends SIGUSR1 until the counters in the stats file satisfy done or
  // timeout passes. Returns the last counters read, or null when none.
  [[nodiscard]] nlohmann::json read_stats(
      const std::function<bool(const nlohmann::json&)>& done,
      std::chrono::milliseconds timeout);
  [[nodiscard]] std::string log() const {
    return read_text(folder_.file("fleet.log"));
  }

 private:
  temp_dir folder_;
  std::unique_ptr<child_process> process_;
};

}  // namespace gateway::integration
