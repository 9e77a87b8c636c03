// Helpers shared by the monitoring tests: scraping a gateway, running a
// known workload, and running promtool.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "gateway_stack.hpp"
#include "process.hpp"

namespace gateway::integration {

// GET /metrics on port; fails the test and returns "" unless it is 200.
inline std::string scrape(unsigned short port) {
  http_call call;
  call.target = "/metrics";
  auto result = send_http(port, call);
  EXPECT_EQ(result.status, 200u) << result.body << result.error;
  return result.status == 200 ? result.body : "";
}

// The names of the first count simulated nodes.
inline std::vector<std::string> first_nodes(int count) {
  std::vector<std::string> out;
  for (int i = 1; i <= count; ++i) out.push_back(gateway_stack::node_name(i));
  return out;
}

// Submits requests rpcutil ping requests addressed to nodes and waits
// until each has ended. Returns the request ids; every request must end
// complete.
inline std::vector<std::string> ping_nodes(
    const gateway_stack& stack, const std::string& token, int requests,
    const std::vector<std::string>& nodes) {
  using namespace std::chrono_literals;
  std::vector<std::string> ids;
  for (int i = 0; i < requests; ++i) {
    auto id = stack.submit_accepted(
        token, {{"agent", "rpcutil"}, {"action", "ping"}, {"nodes", nodes}});
    if (id.empty()) return ids;
    ids.push_back(id);
  }
  for (const auto& id : ids) {
    auto status = stack.await_finished(token, id, 60s);
    EXPECT_EQ(status["state"], "complete") << status;
  }
  return ids;
}

// Runs `promtool arguments...` with standard input from input_path (when
// not empty) and returns its exit status, or -1; its output goes to
// log_path.
inline int run_promtool(const std::vector<std::string>& arguments,
                        const std::string& input_path,
                        const std::string& log_path) {
  using namespace std::chrono_literals;
  std::string command = "exec '" PROMTOOL_PATH "'";
  for (const auto& argument : arguments) command += " '" + argument + "'";
  if (!input_path.empty()) command += " < '" + input_path + "'";
  child_process promtool("/bin/sh", {"-c", command}, log_path);
  int status = promtool.wait_exit(60s);
  if (status == -1 || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

}  // namespace gateway::integration
