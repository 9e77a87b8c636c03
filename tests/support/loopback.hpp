// Helpers that every end-to-end test needs: free loopback ports, awaiting
// a condition, and reading a whole file.
#pragma once

#include <chrono>
#include <functional>
#include <string>

namespace gateway::test_support {

// A TCP port on 127.0.0.1 that was free a moment ago, or -1. A process
// never gets the same port twice.
[[nodiscard]] int free_loopback_port();

// Polls condition every 10 ms until it returns true or timeout passes.
[[nodiscard]] bool wait_until(const std::function<bool()>& condition,
                              std::chrono::milliseconds timeout);

// The whole content of path, or an empty string.
[[nodiscard]] std::string read_text(const std::string& path);

}  // namespace gateway::test_support
