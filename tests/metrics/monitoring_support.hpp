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

// Returns the body of GET /metrics on port. A status other than 200 fails
// the test and returns "".
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

// Submits `requests` rpcutil ping requests addressed to nodes, waits until
// each has ended and returns their ids. A request that does not end
// complete fails the test.
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

// Runs `promtool arguments...` with standard input from input_path, when
// set, and its output appended to log_path. Returns the exit status, or -1
// when promtool did not exit in 60 seconds or was killed.
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
